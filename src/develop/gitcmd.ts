/**
 * Running the `git` program: found on PATH once, run with no terminal
 * prompts, its output captured.
 *
 * @module
 */
import { delimiter, join } from "node:path";
import { UserError } from "../errors.ts";

/** What one `git` run printed and returned. */
export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `git args` in a folder. */
export type GitRunner = (args: string[], cwd?: string) => Promise<GitResult>;

/**
 * The `git` executable on `PATH`; `Cannot find executable git in PATH` when missing.
 *
 * @example
 * ```ts
 * findGit({ PATH: "/usr/bin" }); // "/usr/bin/git"
 * ```
 */
export function findGit(env: Record<string, string | undefined>): string {
  for (const dir of (env.PATH ?? "").split(delimiter).filter(Boolean)) {
    const file = join(dir, "git");
    try {
      const st = Deno.statSync(file);
      if (st.isFile && ((st.mode ?? 0o111) & 0o111)) return file;
    } catch {
      // not here
    }
  }
  throw new UserError("Cannot find executable git in PATH");
}

/**
 * A {@link GitRunner} with the given environment on top of the process's
 * (tests pass their own HOME); git never asks for credentials.
 *
 * @example
 * ```ts
 * const git = gitRunner({ HOME: "/tmp/h" });
 * await git(["status", "-s", "-b"], "/w/src/pkg");
 * ```
 */
export function gitRunner(env: Record<string, string | undefined>): GitRunner {
  const merged: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...Deno.env.toObject(), ...env })) {
    if (v !== undefined) merged[k] = v;
  }
  merged.GIT_TERMINAL_PROMPT = "0";
  let exe: string | undefined;
  return async (args, cwd) => {
    exe ??= findGit(merged);
    const out = await new Deno.Command(exe, {
      args,
      cwd,
      env: merged,
      clearEnv: true,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    const dec = new TextDecoder();
    return {
      code: out.code,
      stdout: dec.decode(out.stdout),
      stderr: dec.decode(out.stderr),
    };
  };
}
