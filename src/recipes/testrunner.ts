/**
 * `zc.recipe.testrunner`: a `bin/` script that runs `zope.testrunner` over the
 * distributions named in `eggs` (one `--test-path` per distribution, not for
 * their dependencies), with the part's working set on `sys.path`.
 *
 * Options: `eggs` (default: the part name), `script` (default: the part name;
 * set to the script's full path), `extra-paths`, `defaults` (a Python list
 * expression put before the test paths), `working-directory` (default: a
 * folder `parts/<part>` created by the part, then also set as `location`),
 * `environment` (a section whose options become environment variables),
 * `initialization` (Python run before the tests), `relative-paths`, plus the
 * egg options (`find-links`, `index`, ...) of `zc.recipe.egg`.
 *
 * @module
 */

import { resolve as resolvePath } from "node:path";
import { UserError } from "../errors.ts";
import {
  type Recipe,
  type RecipeContext,
  registerRecipe,
} from "../parts/recipe.ts";
import { childPath } from "../paths.ts";
import { normalizeName } from "../pypa/name.ts";
import { parseRequirement } from "../pypa/requirement.ts";
import { pyRepr } from "../pyrepr.ts";
import { pathSetupParts } from "../scripts/generate.ts";
import { writeScript } from "../scripts/write.ts";
import { EggRecipe } from "./egg.ts";
import { scriptPaths } from "./egg_scripts.ts";

/** What the script text is made of (all paths absolute). */
export interface TestRunnerScript {
  python: string;
  scriptDir: string;
  /** `sys.path` entries, in order. */
  paths: string[];
  /** One `--test-path` per tested distribution. */
  testPaths: string[];
  workingDirectory: string;
  /** Environment variables set before the tests, in order. */
  environment: [string, string][];
  /** The `initialization` option's Python source. */
  initialization: string;
  /** The `defaults` option's Python expression (empty: none). */
  defaults: string;
  /** The buildout directory when `relative-paths` is on. */
  relativeTo?: string;
}

/**
 * The text of the test script, laid out as zc.recipe.testrunner writes it.
 *
 * @example
 * ```ts
 * testRunnerScript({
 *   python: "/usr/bin/python3", scriptDir: "/b/bin", paths: ["/b/demo"],
 *   testPaths: ["/b/demo"], workingDirectory: "/b/parts/test",
 *   environment: [], initialization: "", defaults: "",
 * });
 * // ...os.chdir('/b/parts/test')\n\n\nimport zope.testrunner\n...
 * //     sys.exit(zope.testrunner.run([\n        '--test-path', '/b/demo',\n        ]))
 * ```
 */
export function testRunnerScript(o: TestRunnerScript): string {
  const parts = pathSetupParts({
    python: o.python,
    paths: o.paths,
    relativeTo: o.relativeTo,
    scriptDir: o.scriptDir,
  });
  // Paths below the buildout directory are written relative to it when the
  // script computes `base` (only then is there a prelude).
  const root = o.relativeTo?.replace(/\/+$/, "");
  const relative = (p: string) =>
    root !== undefined && parts.prelude.length && p.startsWith(root + "/")
      ? `join(base, ${pyRepr(p.slice(root.length + 1))})`
      : pyRepr(p);
  let init = "import os\nsys.argv[0] = os.path.abspath(sys.argv[0])\n" +
    `os.chdir(${relative(o.workingDirectory)})\n`;
  for (const [k, v] of o.environment) {
    init += `os.environ['${k}'] = ${pyRepr(v)}\n`;
  }
  init += o.initialization;
  const defaults = o.defaults ? `(${o.defaults}) + ` : "";
  const args = defaults + "[\n" +
    o.testPaths.map((p) => `        '--test-path', ${relative(p)},\n`).join(
      "",
    ) + "        ]";
  return [
    ...parts.shebang,
    "",
    ...parts.prelude,
    "import sys",
    ...parts.pathBlock,
    // zc.buildout wraps the initialization in newlines.
    "\n" + init + "\n",
    "import zope.testrunner",
    "",
    "if __name__ == '__main__':",
    `    sys.exit(zope.testrunner.run(${args}))`,
    "",
  ].join("\n");
}

/**
 * The test-runner recipe: resolves `eggs` plus `zope.testrunner` through the
 * egg recipe and writes the script.
 *
 * @example
 * ```ts
 * registerRecipe(["zc.recipe.testrunner"], (ctx) => new TestRunnerRecipe(ctx));
 * ```
 */
export class TestRunnerRecipe implements Recipe {
  readonly script: string;
  readonly egg: EggRecipe;
  readonly location?: string;

  constructor(private ctx: RecipeContext) {
    const { options, settings, name } = ctx;
    const script = (options.get("script") ?? "").trim() || name;
    this.script = childPath(settings.binDirectory, script, "Option 'script'");
    options.set("script", this.script);
    if (!(options.get("working-directory") ?? "").trim()) {
      this.location = childPath(settings.partsDirectory, name, "Part name");
      options.set("location", this.location);
    }
    this.egg = new EggRecipe(ctx, true);
    options.get("defaults");
    options.get("environment");
  }

  pending(): string[] {
    return [this.script, ...(this.location ? [this.location] : [])];
  }

  /** `[name, value]` of every option of the `environment` section. */
  private environment(): [string, string][] {
    const section = (this.ctx.options.get("environment") ?? "").trim();
    if (!section) return [];
    const env = this.ctx.buildout.section(section);
    return env.keys().map((k) => [k, env.get(k) ?? ""]);
  }

  /** The eggs and the test runner itself. */
  private requirements() {
    return [...this.egg.requirements, parseRequirement("zope.testrunner")];
  }

  /** `buildout lock`: resolve what the runner needs, writing nothing. */
  async lockResolve(): Promise<void> {
    await this.egg.workingSet(this.requirements());
  }

  async install(): Promise<string[]> {
    const { options, settings } = this.ctx;
    const o = this.egg.scriptOptions!;
    const ws = await this.egg.workingSet(this.requirements());
    const byKey = new Map(ws.map((d) => [d.key, d.location]));
    const testPaths = await Promise.all(
      this.egg.requirements.map((r) => {
        const location = byKey.get(normalizeName(r.name));
        if (location === undefined) {
          throw new UserError(`Requirement not found in working set: ${r}`);
        }
        return Deno.realPath(location).catch(() => location);
      }),
    );
    const created: string[] = [];
    let wd = (options.get("working-directory") ?? "").trim();
    if (this.location) {
      wd = this.location;
      const info = await Deno.stat(wd).catch(() => undefined);
      if (!info) {
        this.ctx.created(wd);
        await Deno.mkdir(wd, { recursive: true });
      } else if (!info.isDirectory) {
        throw new UserError(`'${wd}' exists and is not a directory.`);
      }
      created.push(wd);
    }
    const interp = await this.egg.interpreter();
    const text = testRunnerScript({
      python: interp.executable,
      scriptDir: settings.binDirectory,
      paths: scriptPaths(ws, o.extraPaths, settings.log),
      testPaths,
      workingDirectory: resolvePath(settings.directory, wd),
      environment: this.environment(),
      initialization: (options.get("initialization") ?? "").trim(),
      defaults: (options.get("defaults") ?? "").trim(),
      relativeTo: o.relativePaths ? settings.directory : undefined,
    });
    await Deno.mkdir(settings.binDirectory, { recursive: true });
    this.ctx.created(this.script);
    if (await writeScript(this.script, text)) {
      settings.log.info(`Generated script '${this.script}'.`);
    }
    return [...created, this.script];
  }

  async update(): Promise<string[]> {
    return await this.install();
  }
}

registerRecipe(["zc.recipe.testrunner"], (ctx) => new TestRunnerRecipe(ctx));
