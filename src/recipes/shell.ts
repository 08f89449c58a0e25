/**
 * Running the shell commands a user wrote in a part (`plone.recipe.command`,
 * `collective.recipe.cmd`): in the buildout directory, their standard output
 * shown as buildout's output, their standard error passed through.
 *
 * Under `install-from-cache` the commands still run (the user wrote them), but
 * in a network namespace of their own (`unshare -n`) when the system allows
 * it, so they cannot reach the network either.
 *
 * @module
 */
import type { Logger } from "../log.ts";
import type { Settings } from "../parts/settings.ts";

/** How to run one command line. */
export interface ShellRun {
  /** The program and its first arguments, e.g. `["/bin/sh", "-c", cmd]`. */
  argv: string[];
  settings: Settings;
  log: Logger;
  /** The part name, for the log line about network isolation. */
  part: string;
}

let unshareArgs: Promise<string[] | undefined> | undefined;

async function works(args: string[]): Promise<boolean> {
  try {
    const r = await new Deno.Command("unshare", {
      args: [...args, "true"],
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).output();
    return r.success;
  } catch {
    return false;
  }
}

/**
 * The `unshare` arguments that give a command no network, tried once per run
 * (`-n`, then with the current user mapped for users without the privilege);
 * undefined when none works.
 *
 * @example
 * ```ts
 * await networkIsolation(); // ["-n"] as root, or undefined without unshare
 * ```
 */
export function networkIsolation(): Promise<string[] | undefined> {
  unshareArgs ??= (async () => {
    for (const args of [["-n"], ["--map-current-user", "-n"], ["-r", "-n"]]) {
      if (await works(args)) return args;
    }
    return undefined;
  })();
  return unshareArgs;
}

async function forward(
  stream: ReadableStream<Uint8Array>,
  emit: (line: string) => void,
): Promise<void> {
  const decoder = new TextDecoder();
  let pending = "";
  for await (const chunk of stream) {
    pending += decoder.decode(chunk, { stream: true });
    const lines = pending.split("\n");
    pending = lines.pop()!;
    for (const l of lines) emit(l);
  }
  pending += decoder.decode();
  if (pending) emit(pending);
}

/**
 * Run a command in the buildout directory and return its exit status. Its
 * standard output goes to buildout's output (whatever the log level), its
 * standard error to buildout's standard error. A program that cannot be
 * started gives status 127, as a shell does.
 *
 * @example
 * ```ts
 * const code = await runShell({ argv: ["/bin/sh", "-c", "echo hi"], settings, log, part: "cmd" });
 * ```
 */
export async function runShell(run: ShellRun): Promise<number> {
  const { settings, log, part } = run;
  let argv = run.argv;
  if (settings.installFromCache) {
    const isolation = await networkIsolation();
    if (isolation) {
      log.info(
        `${part}: install-from-cache: running without network access (unshare ${
          isolation.join(" ")
        }).`,
      );
      argv = ["unshare", ...isolation, "--", ...argv];
    } else {
      log.info(
        `${part}: install-from-cache: the commands may use the network (unshare is not available).`,
      );
    }
  }
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(argv[0], {
      args: argv.slice(1),
      cwd: settings.directory,
      stdin: "inherit",
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
  } catch (err) {
    log.warn(`${part}: cannot run ${argv[0]}: ${(err as Error).message}`);
    return 127;
  }
  await forward(child.stdout, (l) => log.sink(l));
  return (await child.status).code;
}
