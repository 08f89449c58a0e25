/**
 * `fs` sources: a folder already on disk, with no version control. They can
 * be activated and deactivated; checkout and update only check the folder.
 *
 * @module
 */
import { basename } from "node:path";
import { UserError } from "../errors.ts";
import { existsSync } from "../fsutil.ts";
import { pyRepr } from "../pyrepr.ts";
import type { Source } from "./sources.ts";
import type { WcContext, WcStatus, WorkingCopy } from "./workingcopy.ts";

/**
 * The working copy of an `fs` source (its URL must be the folder's name).
 *
 * @example
 * ```ts
 * await new FsWorkingCopy(source, ctx).checkout({ update: false, force: false });
 * // Filesystem package 'pkg' doesn't need a checkout.
 * ```
 */
export class FsWorkingCopy implements WorkingCopy {
  constructor(readonly source: Source, private ctx: WcContext) {}

  checkout(): Promise<void> {
    const { name, path, url } = this.source;
    if (!existsSync(path)) {
      throw new UserError(
        `Directory ${pyRepr(path)} for package ${
          pyRepr(name)
        } doesn't exist. Check in the documentation if you need to add/change ` +
          `a 'sources-dir' option in your [buildout] section or a 'path' option in [sources].`,
      );
    }
    if (!this.#matches()) throw this.#differs(name, url);
    this.ctx.log.info(
      `Filesystem package ${pyRepr(name)} doesn't need a checkout.`,
    );
    return Promise.resolve();
  }

  update(): Promise<void> {
    const { name, url } = this.source;
    if (!this.#matches()) throw this.#differs(name, url);
    this.ctx.log.info(
      `Filesystem package ${pyRepr(name)} doesn't need update.`,
    );
    return Promise.resolve();
  }

  status(): Promise<WcStatus> {
    return Promise.resolve("clean");
  }

  statusText(): Promise<string> {
    return Promise.resolve("");
  }

  matches(): Promise<boolean> {
    return Promise.resolve(this.#matches());
  }

  #matches(): boolean {
    return basename(this.source.path) === this.source.url;
  }

  #differs(name: string, url: string): UserError {
    return new UserError(
      `Directory name for existing package ${pyRepr(name)} differs. Expected ${
        pyRepr(url)
      }.`,
    );
  }
}
