/**
 * `deno task demo`: the main job, on a bundled sample. In a temporary folder a
 * buildout installs the demo application from fixtures/links into a download
 * cache, then installs it again from that cache alone (network permission
 * revoked), and runs the generated `bin/demo`.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { RUN_FLAGS } from "../src/permissions.ts";

const MAIN = fileURLToPath(new URL("../main.ts", import.meta.url));
const LINKS = fileURLToPath(new URL("../fixtures/links", import.meta.url));
const FLAGS = RUN_FLAGS;

async function buildout(dir: string, title: string): Promise<void> {
  console.log(`\n== ${title}\n$ buildout   (in ${dir})`);
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", ...FLAGS, MAIN],
    cwd: dir,
    env: { BUILDOUT_HOME: join(dir, ".no-user-defaults"), BUILDOUT_CWD: "" },
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  if (r.code !== 0) Deno.exit(r.code);
}

function config(cache: string, fromCache: boolean): string {
  return [
    "[buildout]",
    "parts = app",
    `download-cache = ${cache}`,
    `find-links = ${LINKS}`,
    // An empty local index, so that nothing goes looking on PyPI.
    `index = ${join(cache, "..", "empty-index")}`,
    ...(fromCache ? ["install-from-cache = true"] : []),
    "",
    "[app]",
    "recipe = zc.recipe.egg",
    "eggs = demo",
    "",
  ].join("\n");
}

const root = await Deno.realPath(
  await Deno.makeTempDir({ prefix: "buildout-demo-" }),
);
const dir = join(root, "sample-buildout");
const cache = join(root, "download-cache");
await Deno.mkdir(dir);
await Deno.mkdir(join(root, "empty-index"));
try {
  await Deno.writeTextFile(join(dir, "buildout.cfg"), config(cache, false));
  await buildout(
    dir,
    "1. Install the demo application, filling the download cache",
  );
  const cached = [];
  for await (const e of Deno.readDir(join(cache, "dist"))) cached.push(e.name);
  console.log(
    `\ndownload cache ${cache}/dist holds: ${cached.sort().join(", ")}`,
  );

  await Deno.remove(join(dir, "eggs"), { recursive: true });
  await Deno.writeTextFile(join(dir, "buildout.cfg"), config(cache, true));
  await buildout(
    dir,
    "2. eggs/ removed; install again with install-from-cache = true (no network)",
  );

  console.log("\n== 3. Run the generated script\n$ bin/demo");
  const out = await new Deno.Command(join(dir, "bin", "demo")).output();
  await Deno.stdout.write(out.stdout);
  console.log(
    "(demo 0.3 prints x = 3, its dependency demoneeded 1.1 gives y = 1)",
  );
} finally {
  await Deno.remove(root, { recursive: true });
}
