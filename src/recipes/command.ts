/**
 * `plone.recipe.command`: run `command` (with `/bin/sh -c`, in the buildout
 * directory) when the part is installed, `update-command` when it is updated.
 * `location` lists the paths the part owns (removed on uninstall); with
 * `stop-on-error` a failing command fails the part, else it is a warning.
 *
 * @module
 */
import { resolve } from "node:path";
import { UserError } from "../errors.ts";
import {
  type Recipe,
  type RecipeContext,
  registerRecipe,
} from "../parts/recipe.ts";
import { runShell } from "./shell.ts";

/**
 * Parse `stop-on-error`: unset, `no`, `off`, `false` are off; `yes`, `on`,
 * `true` on (any case); anything else is refused.
 *
 * @example
 * ```ts
 * parseStopOnError("Yes"); // true
 * parseStopOnError(undefined); // false
 * ```
 */
export function parseStopOnError(value: string | undefined): boolean {
  if (value === undefined) return false;
  const v = value.toLowerCase();
  if (["no", "off", "false"].includes(v)) return false;
  if (["yes", "on", "true"].includes(v)) return true;
  throw new UserError(
    `Invalid value '${value}' for 'stop_on_error', use 'yes', 'on', 'true', 'no', 'off' or false.`,
  );
}

/**
 * The command recipe.
 *
 * @example
 * ```ts
 * const r = new CommandRecipe(ctx); // [gen] command = make -C src; location = src/out
 * await r.install(); // ["src/out"]
 * ```
 */
export class CommandRecipe implements Recipe {
  readonly stopOnError: boolean;

  constructor(private ctx: RecipeContext) {
    this.stopOnError = parseStopOnError(ctx.options.get("stop-on-error"));
    // read now, so that an update (which runs neither) warns of no unused option
    ctx.options.get("command");
    ctx.options.get("update-command");
    ctx.options.get("location");
  }

  /** The paths named by `location`, as written. */
  private locations(): string[] {
    return (this.ctx.options.get("location") ?? "").split(/\s+/)
      .filter((p) => p);
  }

  pending(): string[] {
    return this.locations().map((p) => resolve(this.ctx.settings.directory, p));
  }

  async install(): Promise<string[]> {
    const command = this.ctx.options.get("command");
    if (!command) throw new UserError("No command specified");
    this.ctx.log.info(`${this.ctx.name}: Running '${command}'`);
    await this.execute(command);
    return this.locations();
  }

  async update(): Promise<void> {
    const command = this.ctx.options.get("update-command");
    if (command === undefined) return;
    this.ctx.log.info(`${this.ctx.name}: Running ${command}`);
    await this.execute(command);
  }

  private async execute(command: string): Promise<void> {
    const { ctx } = this;
    const code = await runShell({
      argv: ["/bin/sh", "-c", command],
      settings: ctx.settings,
      log: ctx.log,
      part: ctx.name,
    });
    if (code === 0) return;
    if (this.stopOnError) {
      throw new UserError(
        `Non zero exit code (${code}) while running command.`,
      );
    }
    ctx.log.warn(
      `${ctx.name}: Non zero exit code (${code}) while running command (ignored: stop-on-error is off).`,
    );
  }
}

registerRecipe(["plone.recipe.command"], (ctx) => new CommandRecipe(ctx));
