/**
 * A tiny source distribution for the cmmi recipe tests: a shell `configure`
 * that writes a Makefile (no autotools), served by a link server.
 *
 * @module
 */
import { join } from "node:path";
import { makeTar, type Member } from "../install/support.ts";
import { type LinkServer, startLinkServer } from "../support/link_server.ts";
import { runCli, type RunResult } from "../support/run.ts";

/** The `configure` script: echoes its arguments, writes the Makefile. */
export const CONFIGURE = `#!/bin/sh
echo "configuring foo $*"
prefix=/nowhere
for a in "$@"; do case "$a" in --prefix=*) prefix="\${a#--prefix=}";; esac; done
cat > Makefile <<EOF
all:
\t@echo "building foo \\$(MSG) CFLAGS=\\$\\$CFLAGS"
\t@test -z "$FAIL" || { i=0; while [ \\$\\$i -lt 30 ]; do i=\\$\\$((i+1)); echo "log line \\$\\$i"; done; exit 1; }
install:
\tmkdir -p $prefix/bin
\tcp hello $prefix/bin/hello
\t@echo "installing foo"
extra:
\t@echo "extra target"
EOF
`;

/** The program the package installs. */
export const HELLO = "#!/bin/sh\necho hello\n";

/** A patch (for `-p1`) that changes what `hello` prints. */
export const PATCH = `--- a/hello
+++ b/hello
@@ -1,2 +1,2 @@
 #!/bin/sh
-echo hello
+echo hello patched
`;

/** The source archive's members (top folder `foo-1.0/`). */
export const FOO: Member[] = [
  { name: "foo-1.0/", type: "directory" },
  { name: "foo-1.0/configure", content: CONFIGURE, mode: 0o755 },
  { name: "foo-1.0/hello", content: HELLO, mode: 0o755 },
];

/** A served `srv/foo-1.0.tar.gz`, a buildout folder `b/` with a `downloads/` cache. */
export async function setup(
  dir: string,
): Promise<{ srv: string; b: string; server: LinkServer }> {
  const srv = join(dir, "srv");
  await Deno.mkdir(srv);
  await makeTar(join(srv, "foo-1.0.tar.gz"), FOO, "gz");
  await Deno.writeTextFile(join(srv, "fix.patch"), PATCH);
  const b = join(dir, "b");
  await Deno.mkdir(join(b, "downloads"), { recursive: true });
  const server = await startLinkServer(srv, { logging: true });
  return { srv, b, server };
}

/** Write `buildout.cfg` in `b` and run buildout there; `out` has `b` as `/B`. */
export async function build(
  b: string,
  cfg: string,
  argv: string[] = [],
): Promise<RunResult & { out: string; err: string }> {
  await Deno.writeTextFile(join(b, "buildout.cfg"), cfg);
  const r = await runCli(["-U", ...argv], { cwd: b });
  return {
    ...r,
    out: r.stdout.replaceAll(b, "/B").split("\n")
      .filter((l) => !l.startsWith("Creating directory '")).join("\n"),
    err: r.stderr.replaceAll(b, "/B"),
  };
}

/** Whether a path exists (links not followed). */
export const exists = (p: string) =>
  Deno.lstat(p).then(() => true, () => false);

/** What `prog` prints. */
export async function output(prog: string): Promise<string> {
  const r = await new Deno.Command(prog, { stdout: "piped" }).output();
  return new TextDecoder().decode(r.stdout);
}
