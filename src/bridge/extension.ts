/**
 * Python extensions (`[buildout] extensions = ...`, other than the built-in
 * mr.developer): each is a distribution installed like a recipe (resolver,
 * cache, versions, offline rules); the `zc.buildout.extension` entry points
 * of what was installed run in the run's Python process before parts are
 * chosen, with the `buildout` mapping. What they set, delete or add goes
 * into the raw configuration with the extension as its source (so `annotate`
 * shows it, and sections initialised later see it) and into sections already
 * initialised. `zc.buildout.unloadextension` entry points run at the end of
 * a successful run ({@link unloadExtensions}).
 *
 * @module
 */
import { UserError } from "../errors.ts";
import { Buildout } from "../config/buildout.ts";
import type { HistoryEntry, RawConfig } from "../config/types.ts";
import type { OpenBuildout } from "../parts/open.ts";
import { pyRepr } from "../pyrepr.ts";
import { handlers } from "./callbacks.ts";
import type { RequestHandlers } from "./process.ts";
import { asError, parseEntryPoint } from "./recipe.ts";
import { type BridgeRun, bridgeRun } from "./run.ts";

/** Record one value an extension set, with `source` as its origin. */
function setRaw(
  raw: RawConfig,
  section: string,
  key: string,
  value: string,
  source: string,
): void {
  let s = raw.get(section);
  if (!s) raw.set(section, s = new Map());
  const old = s.get(key);
  const entry: HistoryEntry = { op: "SET", value, source };
  s.set(key, { value, source, history: [...(old?.history ?? []), entry] });
}

/** The handlers of an extension's request: reads and writes of the configuration. */
function extensionHandlers(
  run: BridgeRun,
  open: OpenBuildout,
  source: string,
): RequestHandlers {
  const { buildout, settings } = open;
  const raw = buildout.rawConfig;
  // Sections not yet initialised are read from a view without recipes, so
  // reading them constructs nothing; rebuilt after each change.
  let view: Buildout | undefined;
  const read = (name: string) =>
    buildout.isInitialized(name)
      ? buildout.section(name).toRecord()
      : (view ??= new Buildout(raw)).section(name).toRecord();
  const base = handlers(run, {
    buildout,
    name: "buildout",
    options: buildout.section("buildout"),
    log: settings.log,
    settings,
    created: () => {},
  });
  return {
    event(e) {
      if (e.ev === "set") {
        setRaw(raw, e.section, e.key, e.value, source);
        if (buildout.isInitialized(e.section)) {
          buildout.section(e.section).set(e.key, e.value);
        }
        view = undefined;
      } else if (e.ev === "delete") {
        raw.get(e.section)?.delete(e.key);
        if (buildout.isInitialized(e.section)) {
          buildout.section(e.section).delete(e.key);
        }
        view = undefined;
      } else base.event(e);
    },
    async call(fn, a) {
      if (fn === "section") {
        const name = String(a.name);
        return raw.has(name) ? read(name) : null;
      }
      if (fn === "sections") return [...raw.keys()];
      if (fn === "add_section") {
        const name = String(a.name);
        if (raw.has(name)) {
          throw new UserError(`Section already exists: ${pyRepr(name)}`);
        }
        raw.set(name, new Map());
        const data = (a.data ?? {}) as Record<string, unknown>;
        for (const [k, v] of Object.entries(data)) {
          setRaw(raw, name, k, String(v), source);
        }
        view = undefined;
        return read(name);
      }
      return await base.call(fn, a);
    },
  };
}

/** One extension entry point to run. */
interface ExtensionEntry {
  spec: string;
  module: string;
  attr: string;
}

/**
 * Install the extensions `specs` and run their `zc.buildout.extension`
 * entry points (the Python process stays up for the unload entry points).
 *
 * @example
 * ```ts
 * await loadPythonExtensions(open, ["buildout.environ"]);
 * await runInstall(open, []); // unloads them at the end
 * ```
 */
export async function loadPythonExtensions(
  open: OpenBuildout,
  specs: string[],
): Promise<void> {
  const run = bridgeRun(open.settings);
  try {
    const path: string[] = [];
    const load: ExtensionEntry[] = [];
    const unload: ExtensionEntry[] = [];
    for (const spec of specs) {
      for (const d of await run.recipeWorkingSet(spec)) {
        if (path.includes(d.location)) continue;
        path.push(d.location);
        for (
          const [group, into] of [
            ["zc.buildout.extension", load],
            ["zc.buildout.unloadextension", unload],
          ] as const
        ) {
          for (const value of Object.values(d.entryPoints(group))) {
            into.push({ spec: d.name, ...parseEntryPoint(value) });
          }
        }
      }
    }
    for (const ep of load) await request(run, open, "extension", ep, path);
    run.atEnd = async () => {
      for (const ep of unload) await request(run, open, "unload", ep, path);
    };
  } catch (err) {
    await run.close();
    throw err;
  }
}

async function request(
  run: BridgeRun,
  open: OpenBuildout,
  op: string,
  ep: ExtensionEntry,
  path: string[],
): Promise<void> {
  const process = await run.process();
  try {
    await process.request({
      op,
      module: ep.module,
      attr: ep.attr,
      path,
      directory: open.settings.directory,
    }, extensionHandlers(run, open, ep.spec));
  } catch (err) {
    throw asError(err);
  }
}

/**
 * For `annotate`: install and run the extensions, recording what they
 * change in the raw configuration; the Python process is ended after.
 *
 * @example
 * ```ts
 * await annotatePythonExtensions(await openBuildout(raw), ["myext"]);
 * ```
 */
export async function annotatePythonExtensions(
  open: OpenBuildout,
  specs: string[],
): Promise<void> {
  await loadPythonExtensions(open, specs);
  await bridgeRun(open.settings).close();
}
