/**
 * `git` sources: clone (with `branch=`, `rev=`, `pushurl=`, `depth=`,
 * submodules), update (fetch, switch, merge), status and URL check, with the
 * messages mr.developer prints. Network operations (clone, fetch) never run
 * while buildout is offline or installing from the cache.
 *
 * @module
 */
import { UserError } from "../errors.ts";
import { existsSync } from "../fsutil.ts";
import { pyRepr } from "../pyrepr.ts";
import type { Source, Submodules } from "./sources.ts";
import {
  noNetworkError,
  noUpdateError,
  type WcContext,
  type WcStatus,
  type WorkingCopy,
} from "./workingcopy.ts";

const REMOTE = "origin";
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * The working copy of a `git` source.
 *
 * @example
 * ```ts
 * await new GitWorkingCopy(source, ctx).checkout({ update: false, force: false });
 * // Cloned 'pkg' with git from 'file:///r/pkg'.
 * ```
 */
export class GitWorkingCopy implements WorkingCopy {
  constructor(readonly source: Source, private ctx: WcContext) {}

  async checkout(o: { update: boolean; force: boolean }): Promise<void> {
    const { name, path, url } = this.source;
    if (!existsSync(path)) return await this.#clone();
    if (o.update) return await this.update(o);
    if (await this.matches()) {
      this.ctx.log.info(`Skipped checkout of existing package '${name}'.`);
    } else {
      this.ctx.log.warn(
        `Checkout URL for existing package '${name}' differs. Expected '${url}'.`,
      );
    }
  }

  async update(o: { force: boolean }): Promise<void> {
    const { name } = this.source;
    if (this.ctx.noNetwork) throw noUpdateError(name, this.ctx.noNetwork);
    if (!await this.matches()) {
      this.ctx.log.warn(
        `Can't update package '${name}' because its URL doesn't match.`,
      );
    }
    if (await this.status() !== "clean" && !o.force) {
      throw new UserError(`Can't update package '${name}' because it's dirty.`);
    }
    this.ctx.log.info(`Updated '${name}' with git.`);
    await this.#run(["fetch"], `git fetch of '${name}' failed.`);
    const opts = this.source.options;
    if ("rev" in opts) await this.#switch(false);
    else if ("branch" in opts) {
      await this.#switch(false);
      await this.#merge(false);
    } else if (await this.#switch(true)) await this.#merge(true);
    if (this.#submodules() === "always") await this.#initSubmodules();
  }

  async status(): Promise<WcStatus> {
    const lines = (await this.statusText()).trim().split("\n");
    if (lines.length > 1) return "dirty";
    return lines[0].includes("ahead") ? "ahead" : "clean";
  }

  async statusText(): Promise<string> {
    return (await this.ctx.git(["status", "-s", "-b"], this.source.path))
      .stdout;
  }

  async matches(): Promise<boolean> {
    const { name, path, url } = this.source;
    const r = await this.ctx.git(["remote", "show", "-n", REMOTE], path);
    if (r.code !== 0) {
      throw this.#failed(`git remote of '${name}' failed.`, r.stderr);
    }
    return r.stdout.split(/\s+/).includes(url);
  }

  async #clone(): Promise<void> {
    const { name, path, url, options } = this.source;
    if (this.ctx.noNetwork) throw noNetworkError(name, url, this.ctx.noNetwork);
    let msg = `Cloned '${name}' with git`;
    if (options.branch) msg += ` using branch '${options.branch}'`;
    this.ctx.log.info(msg + ` from '${url}'.`);
    const args = ["clone", "--quiet"];
    if (options.depth) args.push("--depth", options.depth);
    if (options.branch) args.push("-b", options.branch);
    await this.#run(
      [...args, url, path],
      `git cloning of '${name}' failed.`,
      "",
    );
    if ("rev" in options) await this.#switch(false);
    if (options.pushurl) {
      await this.#run(
        ["config", `remote.${REMOTE}.pushurl`, options.pushurl],
        `git config remote.${REMOTE}.pushurl ${options.pushurl} failed.`,
      );
    }
    if (this.#submodules() !== "never") await this.#initSubmodules();
  }

  #submodules(): Submodules {
    return (this.source.options.submodules as Submodules | undefined) ??
      this.ctx.submodules;
  }

  /** Switch to `rev`, or the branch (local or remote); false when missing and accepted. */
  async #switch(acceptMissing: boolean): Promise<boolean> {
    const { options } = this.source;
    const branch = options.branch ?? await this.#defaultBranch();
    const listing = await this.#run(
      ["branch", "-a"],
      "'git branch -a' failed.",
    );
    const remote = `remotes/${REMOTE}`;
    let argv: string[];
    if ("rev" in options) {
      argv = ["checkout", options.rev];
      this.ctx.log.info(`Switching to rev '${options.rev}'.`);
    } else if (new RegExp(`^(\\*| ) ${escape(branch)}$`, "m").test(listing)) {
      argv = ["checkout", branch];
      this.ctx.log.info(`Switching to branch '${branch}'.`);
    } else if (
      new RegExp(`^  ${escape(remote)}/${escape(branch)}$`, "m").test(listing)
    ) {
      argv = ["checkout", "-b", branch, `${remote}/${branch}`];
      this.ctx.log.info(`Switching to remote branch '${remote}/${branch}'.`);
    } else if (acceptMissing) {
      this.ctx.log.info(`No such branch ${pyRepr(branch)}`);
      return false;
    } else throw new UserError(`No such branch ${pyRepr(branch)}`);
    await this.#run(argv, `git checkout of branch '${branch}' failed.`);
    return true;
  }

  async #merge(acceptMissing: boolean): Promise<void> {
    const branch = this.source.options.branch ?? await this.#defaultBranch();
    const listing = await this.#run(
      ["branch", "-a"],
      "'git branch -a' failed.",
    );
    if (!new RegExp(`^(\\*| ) ${escape(branch)}$`, "m").test(listing)) {
      if (acceptMissing) {
        this.ctx.log.info(`No such branch ${pyRepr(branch)}`);
        return;
      }
      throw new UserError(`No such branch ${pyRepr(branch)}`);
    }
    await this.#run(
      ["merge", `remotes/${REMOTE}/${branch}`],
      `git merge of remote branch '${REMOTE}/${branch}' failed.`,
    );
  }

  /** The branch the remote's HEAD names (mr.developer assumes `master`). */
  async #defaultBranch(): Promise<string> {
    const r = await this.ctx.git(
      ["symbolic-ref", "--quiet", `refs/remotes/${REMOTE}/HEAD`],
      this.source.path,
    );
    const m = /refs\/remotes\/[^/]+\/(.+)$/.exec(r.stdout.trim());
    return r.code === 0 && m ? m[1] : "master";
  }

  async #initSubmodules(): Promise<void> {
    const { name } = this.source;
    const r = await this.ctx.git(["submodule", "init"], this.source.path);
    if (r.code !== 0) {
      throw this.#failed("git submodule init failed.", r.stderr);
    }
    const text = r.stdout || r.stderr;
    const found = [...text.matchAll(/\s+['"](.*?)['"]\s+\(.+\)/g)].map((m) =>
      m[1]
    );
    for (const sub of found) {
      if (this.ctx.noNetwork) continue;
      await this.#run(
        ["submodule", "update", sub],
        "git submodule update failed.",
      );
      this.ctx.log.info(
        `Initialized '${name}' submodule at '${sub}' with git.`,
      );
    }
  }

  async #run(
    args: string[],
    failure: string,
    cwd: string | undefined = this.source.path,
  ): Promise<string> {
    const r = await this.ctx.git(args, cwd || undefined);
    if (r.code !== 0) throw this.#failed(failure, r.stderr);
    if (this.ctx.verbose) {
      for (const l of r.stdout.split("\n").filter(Boolean)) this.ctx.print(l);
    }
    return r.stdout;
  }

  /** git's own complaint goes to the log; the error is one line. */
  #failed(message: string, stderr: string): UserError {
    for (const line of stderr.trim().split("\n").filter(Boolean)) {
      this.ctx.log.error(line);
    }
    return new UserError(message);
  }
}
