/**
 * The part lifecycle of `buildout install`, in buildout's order: construct
 * every selected part, uninstall (reverse recorded order), then install or
 * update each part, recording the result in `.installed.cfg` after each step.
 *
 * @module
 */
import { resolve } from "../path.ts";
import { doing } from "../errors.ts";
import { type OpenBuildout, type Part } from "./open.ts";
import { makeDirectory } from "./settings.ts";
import { loadRecipes, lookupUninstaller, recipeSignature } from "./recipe.ts";
import {
  formatSection,
  INSTALLED_KEY,
  type InstalledState,
  readInstalled,
  SIGNATURE_KEY,
  writeInstalled,
} from "./installed.ts";
import { exists } from "../fsutil.ts";
import { realInside } from "../paths.ts";
import { Journal, leftovers, sweepInstalledTemps } from "./journal.ts";
import { pyRepr } from "../pyrepr.ts";
import { runDevelop } from "./develop.ts";
import { partHooks } from "./hooks.ts";
import { selectParts } from "./select.ts";

export { referencedSections, selectParts } from "./select.ts";

/**
 * Why a recorded part must be uninstalled, or undefined to keep it
 * (`recorded` from `.installed.cfg`, `current` the part's options now plus
 * its signature; undefined when the part is no longer selected).
 *
 * @example
 * ```ts
 * uninstallReason({ a: "1", __buildout_installed__: "/p" }, { a: "2" });
 * // "option a changed:\n'2' != '1'"
 * ```
 */
export function uninstallReason(
  recorded: Record<string, string>,
  current: Record<string, string> | undefined,
): string | undefined {
  if (!current) return "removed";
  const old = { ...recorded };
  delete old[INSTALLED_KEY];
  const keys = new Set([...Object.keys(old), ...Object.keys(current)]);
  for (const k of [...keys].sort()) {
    if (!(k in current)) return `dropped option ${k}`;
    if (!(k in old)) return `new option ${k}`;
    if (old[k] !== current[k]) {
      return `option ${k} changed:\n'${current[k]}' != '${old[k]}'`;
    }
  }
  return undefined;
}

async function listDir(dir: string): Promise<Set<string>> {
  const names = new Set<string>();
  try {
    for await (const e of Deno.readDir(dir)) names.add(e.name);
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
  }
  return names;
}

/**
 * Remove recorded paths, but only inside the buildout directory; others are
 * left in place with a warning. Missing paths are skipped.
 *
 * @example
 * ```ts
 * await removePaths(open, ["/abs/buildout/parts/data"]);
 * ```
 */
export async function removePaths(
  open: OpenBuildout,
  paths: string[],
): Promise<void> {
  const { directory, log } = open.settings;
  for (const p of paths) {
    const abs = resolve(directory, p);
    if (abs === resolve(directory) || !realInside(directory, abs)) {
      log.warn(`Not removing '${abs}': it is outside the buildout directory.`);
      continue;
    }
    await Deno.remove(abs, { recursive: true }).catch((err) => {
      if (!(err instanceof Deno.errors.NotFound)) throw err;
    });
  }
}

function recordOf(part: Part): Record<string, string> {
  return {
    ...part.options.toRecord(),
    [SIGNATURE_KEY]: part.recipe.signature?.() ?? recipeSignature(part.spec),
  };
}

function sameRecord(
  a: Record<string, string> | undefined,
  b: Record<string, string>,
): boolean {
  if (!a) return false;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length &&
    keys.every((k) => a[k] === b[k]);
}

function installedPaths(rec: Record<string, string>): string[] {
  return (rec[INSTALLED_KEY] ?? "").split("\n").filter((s) => s);
}

function moveToEnd(state: InstalledState, name: string): void {
  state.parts = state.parts.filter((p) => p !== name);
  state.parts.push(name);
}

/**
 * Run `buildout install [parts]` on an opened buildout.
 *
 * @example
 * ```ts
 * await runInstall(await openBuildout(raw), []);
 * ```
 */
export async function runInstall(
  open: OpenBuildout,
  only: string[] = [],
): Promise<void> {
  let ok = false;
  try {
    await installParts(open, only);
    ok = true;
  } finally {
    await partHooks.finish?.(open, ok);
  }
}

async function installParts(open: OpenBuildout, only: string[]) {
  const { settings } = open;
  const { log } = settings;
  for (
    const dir of [
      settings.binDirectory,
      settings.partsDirectory,
      settings.developEggsDirectory,
    ]
  ) {
    if (await makeDirectory(dir, true)) {
      log.info(`Creating directory '${dir}'.`);
    }
  }
  const state = await readInstalled(settings.installed);
  const journal = new Journal(settings.directory);
  await recoverInterrupted(open, journal, state.parts);
  const developBefore = state.developEggs.join("\n");
  try {
    await runDevelop(open, state);
  } finally {
    if (state.developEggs.join("\n") !== developBefore) {
      await writeInstalled(settings.installed, state);
    }
  }
  const selected = await doing("Installing.", async () => {
    await partHooks.prepare?.(open, only);
    return selectParts(open, only);
  });
  const parts = selected.map((n) => open.parts.get(n)!);
  if (log.level <= 0) {
    log.debug("\nConfiguration data:");
    for (const name of open.buildout.initOrder) {
      const rec = open.buildout.section(name).toRecord();
      log.debug(formatSection(name, rec).trimEnd());
    }
  }
  // Options nothing read so far: checked for use after install/update.
  const unusedBefore = new Map(parts.map((p) => [p.name, p.options.unused()]));
  const records = new Map(parts.map((p) => [p.name, recordOf(p)]));

  for (const name of [...state.parts].reverse()) {
    const recorded = state.sections.get(name) ?? {};
    if (only.length && !selected.includes(name)) continue;
    let reason = uninstallReason(recorded, records.get(name));
    const paths = installedPaths(recorded);
    if (!reason) {
      for (const p of paths) {
        if (!(await exists(resolve(settings.directory, p)))) {
          reason = `path ${p} missing`;
          break;
        }
      }
    }
    if (!reason) continue;
    log.debug(`Part ${name}, ${reason}.`);
    await doing(`Uninstalling ${name}.`, async () => {
      log.info(`Uninstalling ${name}.`);
      await loadRecipes([recorded.recipe ?? ""]);
      const uninstaller = lookupUninstaller(recorded.recipe ?? "");
      if (uninstaller) {
        log.info("Running uninstall recipe.");
        await uninstaller({ name, options: recorded, log, settings });
      } else {
        await partHooks.uninstall?.(open, name, recorded);
      }
      await removePaths(open, paths);
    });
    state.parts = state.parts.filter((p) => p !== name);
    state.sections.delete(name);
    await writeInstalled(settings.installed, state);
  }
  warnUnused(open, "buildout", open.buildout.section("buildout").unused());

  for (const part of parts) {
    const record = records.get(part.name)!;
    const updating = state.parts.includes(part.name);
    const label = `${updating ? "Updating" : "Installing"} ${part.name}.`;
    log.info(label);
    let paths: string[] | undefined;
    try {
      paths = await doing(label, async () => {
        if (!updating) await journal.begin(await journalEntry(open, part));
        return await runRecipe(open, part, updating);
      });
    } catch (err) {
      // runRecipe removed what the failed install created.
      if (!updating) await journal.end();
      throw err;
    }
    if (updating) {
      const old = installedPaths(state.sections.get(part.name) ?? {});
      const added = (paths ?? []).filter((p) => !old.includes(p));
      record[INSTALLED_KEY] = [...old, ...added].join("\n");
    } else {
      record[INSTALLED_KEY] = (paths ?? []).join("\n");
    }
    const unchanged = updating &&
      sameRecord(state.sections.get(part.name), record);
    state.sections.set(part.name, record);
    moveToEnd(state, part.name);
    // An update that changed nothing is not written now (the final write
    // below has the same content): a no-op run writes nothing at all.
    if (!unchanged) await writeInstalled(settings.installed, state);
    if (!updating) await journal.end();
    const before = new Set(unusedBefore.get(part.name));
    warnUnused(
      open,
      part.name,
      part.options.unused().filter((k) => before.has(k)),
    );
  }
  await writeInstalled(settings.installed, state);
}

/**
 * Remove what an install killed before it was recorded left behind (see
 * {@link Journal}), and temporary files of killed runs.
 */
async function recoverInterrupted(
  open: OpenBuildout,
  journal: Journal,
  recorded: string[],
): Promise<void> {
  await sweepInstalledTemps(open.settings.installed);
  const left = await journal.interrupted();
  if (left && !recorded.includes(left.part)) {
    const paths = await leftovers(left);
    if (paths.length) {
      open.settings.log.info(
        `Removing what an interrupted install of ${left.part} left behind.`,
      );
      await removePaths(open, paths);
    }
  }
  await journal.end();
}

async function journalEntry(open: OpenBuildout, part: Part) {
  const { binDirectory, partsDirectory } = open.settings;
  const before: Record<string, string[]> = {};
  for (const dir of [binDirectory, partsDirectory]) {
    before[dir] = [...await listDir(dir)];
  }
  const pending: string[] = [];
  for (const p of part.recipe.pending?.() ?? []) {
    const abs = resolve(open.settings.directory, p);
    if (!(await exists(abs))) pending.push(abs);
  }
  return { part: part.name, before, pending };
}

function warnUnused(open: OpenBuildout, name: string, unused: string[]) {
  const keys = unused.filter((k) => !k.startsWith("<")).sort();
  if (!keys.length) return;
  open.settings.log.warn(
    `Section \`${name}\` contains unused option(s): ${
      keys.map(pyRepr).join(" ")
    }.\nThis may be an indication for either a typo in the option's name ` +
      "or a bug in the used recipe.",
  );
}

/**
 * Run a part's install (or update), with the working directory set to the
 * buildout directory. A failed install removes what the part registered as
 * created; a failed update leaves the previous install alone.
 */
async function runRecipe(
  open: OpenBuildout,
  part: Part,
  updating: boolean,
): Promise<string[] | undefined> {
  const { log, directory } = open.settings;
  const cwd = Deno.cwd();
  open.createdPaths = [];
  const watched = [open.settings.binDirectory, open.settings.partsDirectory];
  const before = updating ? [] : await Promise.all(watched.map(listDir));
  Deno.chdir(directory);
  try {
    let result: string[] | void;
    if (updating && part.recipe.update) {
      result = await part.recipe.update();
    } else {
      if (updating) {
        log.warn(
          `The recipe for ${part.name} doesn't define an update method. Using its install method.`,
        );
      }
      result = await part.recipe.install();
      if (!Array.isArray(result)) {
        log.warn(
          `The ${part.name} install returned None.  A path or iterable os paths should be returned.`,
        );
        return [];
      }
    }
    return Array.isArray(result) ? result.map(String) : undefined;
  } catch (err) {
    if (!updating) {
      for (const p of open.createdPaths) {
        if (!(await exists(resolve(directory, p)))) {
          log.warn(`Couldn't clean up '${p}'.`);
        }
      }
      await removePaths(open, open.createdPaths);
      // Also whatever appeared in bin/ and parts/ meanwhile (recipes that do
      // not register what they create).
      for (const [i, dir] of watched.entries()) {
        const added = [...await listDir(dir)].filter((n) => !before[i].has(n));
        await removePaths(open, added.map((n) => resolve(dir, n)));
      }
    }
    throw err;
  } finally {
    open.createdPaths = [];
    Deno.chdir(cwd);
  }
}
