/**
 * Checking out and updating a set of sources, one after the other, with
 * mr.developer's messages: `Queued 'x' for checkout.`, linked folders
 * skipped, dirty checkouts left alone unless forced.
 *
 * @module
 */
import { UserError } from "../errors.ts";
import { existsSync } from "../fsutil.ts";
import { FsWorkingCopy } from "./fs.ts";
import { GitWorkingCopy } from "./git.ts";
import { parseBool, type Source } from "./sources.ts";
import type { WcContext, WorkingCopy } from "./workingcopy.ts";

/**
 * The working copy for a source's kind.
 *
 * @example
 * ```ts
 * await workingCopy(source, ctx).status(); // "clean"
 * ```
 */
export function workingCopy(source: Source, ctx: WcContext): WorkingCopy {
  return source.kind === "fs"
    ? new FsWorkingCopy(source, ctx)
    : new GitWorkingCopy(source, ctx);
}

function isLink(path: string): boolean {
  try {
    return Deno.lstatSync(path).isSymlink;
  } catch {
    return false;
  }
}

/** Options of {@link checkoutSources}. */
export interface CheckoutOptions {
  /** Update existing checkouts (`always-checkout`). */
  update: boolean;
  /** Update dirty checkouts too (`always-checkout = force`). */
  force: boolean;
}

/**
 * Check out the named sources: missing ones are cloned; existing ones are
 * updated when the source's `update=` or `o.update` says so (never offline),
 * else their URL is checked. A dirty checkout is skipped unless forced.
 *
 * @example
 * ```ts
 * await checkoutSources(["pkg"], sources, ctx, { update: false, force: false });
 * // Queued 'pkg' for checkout.
 * // Cloned 'pkg' with git from 'file:///r/pkg'.
 * ```
 */
export async function checkoutSources(
  names: string[],
  sources: Map<string, Source>,
  ctx: WcContext,
  o: CheckoutOptions,
): Promise<void> {
  for (const name of names) {
    const source = sources.get(name);
    if (!source) {
      throw new UserError(`Checkout failed. No source defined for '${name}'.`);
    }
    const wc = workingCopy(source, ctx);
    const own = source.options.update;
    const update = !ctx.noNetwork && (own ? parseBool(own)! : o.update);
    let force = o.force;
    if (existsSync(source.path)) {
      if (isLink(source.path)) {
        ctx.log.info(`Skipped update of linked '${name}'.`);
        continue;
      }
      if (update && !force && await wc.status() !== "clean") {
        if (!await skipDirty(name, ctx)) continue;
        force = true;
      }
    }
    ctx.log.info(`Queued '${name}' for checkout.`);
    await wc.checkout({ update, force });
  }
}

/**
 * Update the named (checked-out) sources; dirty ones only with `force`.
 *
 * @example
 * ```ts
 * await updateSources(["pkg"], sources, ctx, { force: false });
 * // Queued 'pkg' for update.
 * // Updated 'pkg' with git.
 * ```
 */
export async function updateSources(
  names: string[],
  sources: Map<string, Source>,
  ctx: WcContext,
  o: { force: boolean },
): Promise<void> {
  for (const name of names) {
    const source = sources.get(name);
    if (!source) continue;
    const wc = workingCopy(source, ctx);
    if (!o.force && await wc.status() !== "clean") {
      await skipDirty(name, ctx);
      continue;
    }
    ctx.log.info(`Queued '${name}' for update.`);
    await wc.update({ force: o.force });
  }
}

/** mr.developer asks whether to update anyway; here the answer is no (`-f` forces). */
function skipDirty(name: string, ctx: WcContext): Promise<boolean> {
  ctx.log.warn(`The package '${name}' is dirty.`);
  ctx.log.info(`Skipped update of '${name}'.`);
  return Promise.resolve(false);
}
