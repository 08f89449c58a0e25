/**
 * `collective.recipe.cmd` (also its `:sh` entry): the lines of `cmds` are
 * written to a script run by `shell` (default `sh`) in the buildout directory,
 * on install when `on_install` is true, on update when `on_update` is true.
 * `uninstall_cmds` run the same way when the part is uninstalled. A non-zero
 * exit status fails the part. The `:py` entry (Python code run inside
 * buildout's own process) is refused with one line.
 *
 * @module
 */
import { join } from "node:path";
import { UserError } from "../errors.ts";
import type { Logger } from "../log.ts";
import type { Settings } from "../parts/settings.ts";
import {
  type Recipe,
  type RecipeContext,
  registerRecipe,
  registerUninstaller,
} from "../parts/recipe.ts";
import { runShell } from "./shell.ts";

/**
 * The recipe's switches: `1` or `true` (any case) are true, anything else false.
 *
 * @example
 * ```ts
 * cmdSwitch("True"); // true
 * cmdSwitch("yes"); // false
 * ```
 */
export function cmdSwitch(value: string | undefined): boolean {
  return ["1", "true"].includes((value ?? "false").toLowerCase());
}

/**
 * Run the lines of `cmds` (each stripped) as one script with `shell`; a
 * non-zero exit status is a UserError. Nothing runs when `cmds` is blank.
 *
 * @example
 * ```ts
 * await runCmds("echo one\necho two", "sh", { settings, log, part: "cmds" });
 * ```
 */
export async function runCmds(
  cmds: string,
  shell: string,
  o: { settings: Settings; log: Logger; part: string },
): Promise<void> {
  const text = cmds.trim();
  if (!text) return;
  const shellArgs = shell.trim().split(/\s+/).filter((s) => s);
  if (!shellArgs.length) {
    throw new UserError("Invalid value for 'shell' option: ''");
  }
  const dir = await Deno.makeTempDir({ prefix: "buildout-cmd-" });
  try {
    const script = join(dir, "run");
    await Deno.writeTextFile(
      script,
      text.split("\n").map((l) => l.trim()).join("\n"),
    );
    const code = await runShell({ argv: [...shellArgs, script], ...o });
    if (code !== 0) {
      throw new UserError(
        `Command '${
          shellArgs.join(" ")
        } <cmds>' returned non-zero exit status ${code}.`,
      );
    }
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

/**
 * The cmd recipe.
 *
 * @example
 * ```ts
 * const r = new CmdRecipe(ctx); // [touch] on_install = true; cmds = touch var/ready
 * await r.install(); // []
 * ```
 */
export class CmdRecipe implements Recipe {
  readonly onInstall: boolean;
  readonly onUpdate: boolean;
  readonly shell: string;
  readonly cmds: string;

  constructor(private ctx: RecipeContext) {
    const { options } = ctx;
    this.onInstall = cmdSwitch(options.get("on_install"));
    this.onUpdate = cmdSwitch(options.get("on_update"));
    this.shell = options.get("shell") ?? "sh";
    this.cmds = options.get("cmds") ?? "";
    options.get("uninstall_cmds");
  }

  async install(): Promise<string[]> {
    if (this.onInstall) await this.execute();
    return [];
  }

  async update(): Promise<string[]> {
    if (this.onUpdate) await this.execute();
    return [];
  }

  private execute(): Promise<void> {
    const { ctx } = this;
    return runCmds(this.cmds, this.shell, {
      settings: ctx.settings,
      log: ctx.log,
      part: ctx.name,
    });
  }
}

registerRecipe(
  ["collective.recipe.cmd", "collective.recipe.cmd:sh"],
  (ctx) => new CmdRecipe(ctx),
);

registerRecipe(["collective.recipe.cmd:py"], () => {
  throw new UserError(
    "The recipe collective.recipe.cmd:py is not supported: it runs Python code " +
      "inside buildout's own process. Use collective.recipe.cmd with " +
      "cmds = python3 -c '...' instead.",
  );
});

registerUninstaller(
  ["collective.recipe.cmd", "collective.recipe.cmd:sh"],
  ({ name, options, settings, log }) =>
    runCmds(options.uninstall_cmds ?? "", options.shell ?? "sh", {
      settings,
      log,
      part: name,
    }),
);
