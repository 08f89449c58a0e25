/**
 * Run one build step (`./configure ...`, `make`, a hook script) through
 * `sh`, printing its output (stdout and stderr merged) as it comes and
 * keeping the last lines for the error of a failing step.
 *
 * @module
 */
import { UserError } from "../../errors.ts";

/** How many output lines a failing step's error shows. */
export const TAIL_LINES = 20;

/** Where and how a step runs. */
export interface StepOptions {
  cwd: string;
  /** The variables to set on top of this process's environment. */
  env: Record<string, string>;
  /** Each output line, as it comes. */
  print: (line: string) => void;
  /** `sh -e`: a multi-line script stops at its first failing command. */
  errexit?: boolean;
}

/**
 * Run `command` with `sh -c`; a non-zero exit or a signal is a UserError
 * naming the command, followed by the last {@link TAIL_LINES} output lines.
 *
 * @example
 * ```ts
 * await runStep("make install", { cwd: src, env: {}, print: console.log });
 * ```
 */
export async function runStep(command: string, o: StepOptions): Promise<void> {
  const tail: string[] = [];
  const keep = (line: string) => {
    o.print(line);
    tail.push(line);
    if (tail.length > TAIL_LINES) tail.shift();
  };
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command("sh", {
      args: [o.errexit ? "-ec" : "-c", `exec 2>&1\n${command}`],
      cwd: o.cwd,
      env: o.env,
      stdin: "null",
      stdout: "piped",
      stderr: "null",
    }).spawn();
  } catch (err) {
    throw new UserError(
      `Cannot run ${JSON.stringify(command)}: ${(err as Error).message}`,
    );
  }
  let rest = "";
  const dec = new TextDecoder();
  for await (const chunk of child.stdout) {
    const lines = (rest + dec.decode(chunk, { stream: true })).split("\n");
    rest = lines.pop()!;
    lines.forEach((l) => keep(l.replace(/\r$/, "")));
  }
  rest += dec.decode();
  if (rest) keep(rest);
  const status = await child.status;
  if (status.success) return;
  const what = status.signal
    ? `Command received signal ${status.signal}`
    : `Command failed with exit code ${status.code}`;
  const shown = tail.length
    ? `\nLast ${tail.length} line(s) of its output:\n` +
      tail.map((l) => `  ${l}`).join("\n")
    : "";
  throw new UserError(`${what}: ${command.trim()}${shown}`);
}
