/**
 * The `bundle`, `install-bundle` and `verify` commands, in the CLI's `Command` shape
 * (`(args: ParsedArgs, io: CliIO) => Promise<void>`, errors thrown).
 *
 * - `buildout bundle [-o FILE|oci://HOST/REPO:TAG|oci-layout:DIR] [--created]` (default
 *   `bundle.tar.gz`)
 * - `buildout install-bundle FILE|oci://...|oci-layout:DIR [-d DIR]` (default: the working
 *   directory)
 * - `buildout verify [PATH|oci://...|oci-layout:DIR]` (a bundle file or a folder; default: the
 *   working directory)
 *
 * @module
 */
import { isAbsolute, resolve } from "node:path";
import { UsageError, UserError } from "../errors.ts";
import { LEVELS, Logger } from "../log.ts";
import { getText } from "../fetch/http.ts";
import type { ParsedArgs } from "./args.ts";
import type { CliIO } from "./io.ts";
import { configPath, install, load } from "./commands.ts";
import { openBuildout } from "../parts/open.ts";
import {
  CACHE_DIR,
  collectBundle,
  createBundle,
  unpackBundle,
  type Verification,
  verifyBundleFile,
  verifyDirectory,
} from "../bundle/bundle.ts";
import { describeProblem } from "../bundle/manifest.ts";
import { isOciTarget } from "../oci/ref.ts";
import {
  unpackOciBundle,
  verifyOciBundle,
  writeOciBundle,
} from "./oci_bundle.ts";

/**
 * Split command arguments into one flag's value and the positional rest.
 *
 * @example
 * ```ts
 * takeFlag(["-o", "x.tgz"], ["-o", "--output"]); // { value: "x.tgz", rest: [] }
 * ```
 */
export function takeFlag(
  args: string[],
  names: string[],
): { value?: string; rest: string[] } {
  const rest: string[] = [];
  let value: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const eq = names.find((n) => n.startsWith("--") && a.startsWith(n + "="));
    if (eq) value = a.slice(eq.length + 1);
    else if (names.includes(a)) {
      if (i + 1 >= args.length) throw new UsageError(`${a} requires a value`);
      value = args[++i];
    } else if (a.startsWith("-") && a !== "-") {
      throw new UsageError(`unknown option ${a}`);
    } else rest.push(a);
  }
  return { value, rest };
}

function abs(p: string, cwd: string): string {
  return isAbsolute(p) ? p : resolve(cwd, p);
}

function logger(a: ParsedArgs, io: CliIO): Logger {
  return new Logger(a.options.quiet ? LEVELS.ERROR : LEVELS.INFO, io.stdout);
}

async function fetchText(url: string): Promise<string> {
  const page = await getText(url);
  if (page.status !== 200) {
    throw new UserError(
      `Error downloading extends for URL ${url}: HTTP Error ${page.status}`,
    );
  }
  return page.body;
}

/**
 * `bundle [-o FILE]`: write the configuration files (made local), the download cache and a
 * `MANIFEST` into one `.tar.gz`.
 *
 * @example
 * ```ts
 * await bundleCommand(parseArgs(["bundle", "-o", "app.tar.gz"]), processIO());
 * ```
 */
export async function bundleCommand(a: ParsedArgs, io: CliIO): Promise<void> {
  const created = createdFlag(a.args, io.env);
  const { value, rest } = takeFlag(
    a.args.filter((x) => !x.startsWith("--created")),
    ["-o", "--output"],
  );
  if (rest.length) {
    throw new UsageError(`bundle takes no arguments: ${rest.join(" ")}`);
  }
  const oci = value !== undefined && isOciTarget(value);
  if (created && !oci) {
    throw new UsageError("--created applies to oci:// and oci-layout: outputs");
  }
  const output = oci ? value : abs(value ?? "bundle.tar.gz", io.cwd);
  const open = await openBuildout(await load(a, io), {
    sink: io.stdout,
    quiet: true,
  });
  const cache = open.settings.downloadCache;
  if (!cache) {
    throw new UserError(
      "A bundle needs a download-cache: set download-cache in [buildout] and run buildout to fill it.",
    );
  }
  const inputs = {
    configFile: configPath(a.options, io.cwd),
    downloadCache: cache,
    fetchText,
  };
  if (oci) {
    const contents = await collectBundle(inputs);
    logger(a, io).info(
      await writeOciBundle(output, contents, created, io),
    );
    return;
  }
  const summary = await createBundle({ ...inputs, output });
  logger(a, io).info(
    `Wrote ${output}: ${summary.configs.length} configuration file(s), ` +
      `${summary.cacheFiles} cached file(s), ${summary.manifest.length} in MANIFEST.`,
  );
}

/**
 * The creation time `--created` asks for: `--created=TIME` as given, plain `--created` the
 * time of `SOURCE_DATE_EPOCH` when set, else now; undefined without the flag.
 *
 * @example
 * ```ts
 * createdFlag(["--created"], { SOURCE_DATE_EPOCH: "0" }); // "1970-01-01T00:00:00.000Z"
 * ```
 */
export function createdFlag(
  args: string[],
  env: Record<string, string | undefined>,
): string | undefined {
  const flag = args.findLast((x) =>
    x === "--created" || x.startsWith("--created=")
  );
  if (!flag) return undefined;
  if (flag.startsWith("--created=")) {
    const v = flag.slice("--created=".length);
    if (isNaN(Date.parse(v))) {
      throw new UsageError(`--created: not a time: ${v}`);
    }
    return v;
  }
  const epoch = env.SOURCE_DATE_EPOCH;
  return new Date(epoch ? Number(epoch) * 1000 : Date.now()).toISOString();
}

function report(v: Verification, a: ParsedArgs, io: CliIO): void {
  for (const p of v.problems) io.stdout(describeProblem(p));
  if (v.problems.length) {
    throw new UserError(
      `${v.problems.length} problem(s) found checking ${v.checked} file(s) against ${v.manifestPath}`,
    );
  }
  logger(a, io).info(`${v.checked} file(s) match ${v.manifestPath}`);
}

/**
 * `verify [PATH]`: check a bundle file, or a folder (an unpacked bundle or its download
 * cache), against its `MANIFEST`; each problem is printed, any problem is exit 1.
 *
 * @example
 * ```ts
 * await verifyCommand(parseArgs(["verify", "bundle.tar.gz"]), processIO());
 * ```
 */
export async function verifyCommand(a: ParsedArgs, io: CliIO): Promise<void> {
  const { rest } = takeFlag(a.args, []);
  if (rest.length > 1) throw new UsageError("verify takes at most one path");
  if (rest[0] && isOciTarget(rest[0])) {
    return report(await verifyOciBundle(rest[0], io), a, io);
  }
  const path = abs(rest[0] ?? ".", io.cwd);
  const st = await Deno.stat(path).catch(() => undefined);
  if (!st) throw new UserError(`No such file or directory: ${path}`);
  report(
    st.isFile ? await verifyBundleFile(path) : await verifyDirectory(path),
    a,
    io,
  );
}

/**
 * `install-bundle FILE [-d DIR]`: check the bundle, unpack it into DIR and run `install`
 * there with `install-from-cache = true` and the bundled download cache (no network).
 *
 * @example
 * ```ts
 * await installBundleCommand(parseArgs(["install-bundle", "app.tar.gz", "-d", "/srv/app"]), io);
 * ```
 */
export async function installBundleCommand(
  a: ParsedArgs,
  io: CliIO,
): Promise<void> {
  const { value, rest } = takeFlag(a.args, ["-d", "--directory"]);
  if (rest.length !== 1) {
    throw new UsageError("install-bundle requires one bundle file");
  }
  const dir = abs(value ?? ".", io.cwd);
  let config: string;
  if (isOciTarget(rest[0])) {
    const r = await unpackOciBundle(rest[0], dir, io);
    config = r.config;
    logger(a, io).info(r.line);
  } else {
    const file = abs(rest[0], io.cwd);
    const v = await verifyBundleFile(file);
    for (const p of v.problems) io.stdout(describeProblem(p));
    if (v.problems.length) {
      throw new UserError(
        `${file} does not match its MANIFEST; nothing installed.`,
      );
    }
    config = await unpackBundle(file, dir);
    logger(a, io).info(`Unpacked ${file} into ${dir}.`);
  }
  const set = (option: string, value: string) => ({
    section: "buildout",
    option,
    op: "=" as const,
    value,
  });
  await install({
    ...a,
    options: { ...a.options, configFile: config },
    assignments: [
      ...a.assignments,
      set("download-cache", resolve(dir, CACHE_DIR)),
      set("install-from-cache", "true"),
    ],
    command: "install",
    args: [],
  }, { ...io, cwd: dir });
}

/** The three commands by name, for the CLI's dispatch. */
export const BUNDLE_COMMANDS: Record<
  string,
  (a: ParsedArgs, io: CliIO) => Promise<void>
> = {
  bundle: bundleCommand,
  "install-bundle": installBundleCommand,
  verify: verifyCommand,
};
