/**
 * What a bridged recipe's Python code asks of buildout for Deno while it
 * runs: sections of the configuration, `easy_install.install` /
 * `working_set` / `scripts` and the download utility, all done by the
 * project's own resolver, script writer and download cache; and the events
 * it sends: log records, printed lines, options set, paths created.
 *
 * @module
 */
import { isAbsolute, resolve as resolvePath } from "node:path";
import { UserError } from "../errors.ts";
import { formatRecord, LEVELS } from "../log.ts";
import type { RecipeContext } from "../parts/recipe.ts";
import { parseRequirement } from "../pypa/requirement.ts";
import { Download } from "../fetch/download.ts";
import { generateScripts } from "../recipes/egg_scripts.ts";
import { EggRecipe } from "../recipes/egg.ts";
import { session } from "../resolve/session.ts";
import { installWorkingSet } from "./dists.ts";
import type { BridgeEvent, RequestHandlers } from "./process.ts";
import type { BridgeRun } from "./run.ts";

type Args = Record<string, unknown>;
const strings = (v: unknown) => Array.isArray(v) ? v.map(String) : [];

/**
 * The handlers of requests made for one part.
 *
 * @example
 * ```ts
 * await process.request({ op: "install", part: "data" }, handlers(run, ctx));
 * ```
 */
export function handlers(run: BridgeRun, ctx: RecipeContext): RequestHandlers {
  const { settings, buildout } = ctx;
  const log = settings.log;
  return {
    event(e: BridgeEvent) {
      if (e.ev === "out") log.print(e.text);
      else if (e.ev === "log" && log.format) {
        // buildout's log-format, with the recipe logger's name
        if (log.level > e.level) return;
        log.sink(
          formatRecord(
            log.format,
            e.levelname ?? "INFO",
            e.level,
            e.msg,
            e.name,
          ),
        );
      } else if (e.ev === "log") {
        const line = e.name && e.name !== "root"
          ? `${e.name}: ${e.msg}`
          : e.msg;
        if (e.level >= LEVELS.ERROR) log.error(line);
        else if (e.level >= LEVELS.WARNING) log.warn(line);
        else if (e.level >= LEVELS.INFO) log.info(line);
        else log.debug(line);
      } else if (e.ev === "set") {
        buildout.section(e.section).set(e.key, e.value);
      } else if (e.ev === "delete") buildout.section(e.section).delete(e.key);
      else if (e.ev === "read") {
        // marks the option used (buildout's unused-option warning)
        if (buildout.isInitialized(e.section)) {
          buildout.section(e.section).get(e.key);
        }
      } else if (e.ev === "created") ctx.created(...e.paths);
    },
    async call(fn: string, a: Args) {
      if (fn === "section") {
        const name = String(a.name);
        return buildout.has(name) ? buildout.section(name).toRecord() : null;
      }
      if (fn === "sections") return buildout.names();
      if (fn === "add_section") {
        const data = (a.data ?? {}) as Record<string, unknown>;
        return buildout.addSection(
          String(a.name),
          Object.fromEntries(
            Object.entries(data).map(([k, v]) => [k, String(v)]),
          ),
        ).toRecord();
      }
      if (fn === "install") return await install(run, a);
      if (fn === "scripts") return await scripts(run, ctx, a);
      if (fn === "egg") return await egg(run, ctx, a);
      if (fn === "download") {
        const got = await new Download({
          cacheRoot: settings.downloadCache,
          namespace: a.namespace ? String(a.namespace) : undefined,
          offline: settings.offline || settings.installFromCache,
          hashName: Boolean(a.hash_name),
          log,
          timeoutSeconds: settings.timeoutSeconds,
        }).download(String(a.url), {
          md5: a.md5 ? String(a.md5) : undefined,
          path: a.path ? String(a.path) : undefined,
        });
        return { path: got.path, is_temp: got.isTemp };
      }
      throw new Error(`Unknown bridge callback: ${fn}`);
    },
  };
}

async function install(run: BridgeRun, a: Args) {
  const { settings } = run;
  const links = strings(a.links);
  const ws = await installWorkingSet(
    settings,
    strings(a.specs).map(parseRequirement),
    await run.folder(),
    {
      findLinks: links.length ? links : settings.findLinks,
      index: a.index ? String(a.index) : settings.index,
    },
  );
  for (const d of ws) run.dists.set(d.location, d);
  return ws.map((d) => ({
    name: d.name,
    key: d.key,
    version: d.version,
    location: d.location,
  }));
}

async function scripts(run: BridgeRun, ctx: RecipeContext, a: Args) {
  const { settings } = ctx;
  const ws = (Array.isArray(a.ws) ? a.ws : []).map((r) => {
    const d = run.dists.get(String((r as Args).location));
    if (!d) {
      throw new UserError(
        `Not a distribution installed through easy_install: ${
          (r as Args).location
        }`,
      );
    }
    return d;
  });
  const renames = a.scripts as Record<string, string> | null;
  // `[buildout] executable` as written may be a bare name: the probed path.
  const python = typeof a.executable === "string" && isAbsolute(a.executable)
    ? a.executable
    : (await session(settings).interpreter()).executable;
  return await generateScripts(
    ws,
    strings(a.reqs).map((r) => parseRequirement(r).key),
    python,
    {
      scripts: renames
        ? Object.entries(renames).map(([k, v]) => k === v ? k : `${k}=${v}`)
        : undefined,
      entryPoints: strings(a.entries),
      interpreter: a.interpreter ? String(a.interpreter) : undefined,
      extraPaths: strings(a.extra_paths).map((p) =>
        resolvePath(settings.directory, p)
      ),
      initialization: String(a.initialization ?? ""),
      arguments: String(a.arguments ?? ""),
      relativePaths: Boolean(a.relative_paths),
      dependentScripts: false,
      binDirectory: a.dest ? String(a.dest) : settings.binDirectory,
      buildoutDirectory: settings.directory,
    },
    ctx,
  );
}

/** `zc.recipe.egg.Eggs` / `Scripts` of a subclass: the project's egg recipe. */
async function egg(run: BridgeRun, ctx: RecipeContext, a: Args) {
  const recipe = new EggRecipe(ctx, Boolean(a.scripts));
  if (a.what === "init") return ctx.options.toRecord();
  if (a.what === "install") return await recipe.install();
  const ws = await recipe.workingSet([
    ...recipe.requirements,
    ...strings(a.extra).map(parseRequirement),
  ]);
  for (const d of ws) run.dists.set(d.location, d);
  return ws.map((d) => ({
    name: d.name,
    key: d.key,
    version: d.version,
    location: d.location,
  }));
}
