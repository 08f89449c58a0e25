import assert from "node:assert/strict";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  compileArgs,
  describeRuntime,
  INCLUDES,
  PERMISSIONS,
  runtimeSource,
} from "../tools/compile.ts";
import { VERSION } from "../src/version.ts";
import { RUNTIME_FLAGS } from "../src/permissions.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

function run(args: string[], env: Record<string, string>, cwd = ROOT) {
  return new Deno.Command(Deno.execPath(), {
    args,
    cwd,
    env,
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
}

function envWithout(...names: string[]): Record<string, string> {
  const env = Deno.env.toObject();
  for (const n of names) delete env[n];
  return env;
}

Deno.test("compile uses exactly the permissions and V8 flags of the buildout task", async () => {
  const config = JSON.parse(await Deno.readTextFile(join(ROOT, "deno.json")));
  const task: string = config.tasks.buildout;
  const flags = task.split(/\s+/).filter((w) => w.startsWith("--allow-"));
  assert.deepEqual([...PERMISSIONS], flags);
  const v8 = task.split(/\s+/).filter((w) => w.startsWith("--v8-flags"));
  assert.deepEqual(v8, [...RUNTIME_FLAGS]);
  assert.deepEqual(
    compileArgs("main.ts", "dist/buildout").filter((w) =>
      w.startsWith("--v8-flags")
    ),
    v8,
  );
  assert.deepEqual(compileArgs("main.ts", "dist/buildout").slice(-3), [
    "--output",
    "dist/buildout",
    "main.ts",
  ]);
  assert.match(config.tasks.compile, /tools\/compile\.ts/);
});

Deno.test("compile embeds the two workers, which are started from URLs beside their starters", async () => {
  const args = compileArgs("main.ts", "dist/buildout");
  const workers = [
    [join(ROOT, "src", "install", "wheel_worker.ts"), "wheel_pool.ts"],
    [join(ROOT, "src", "extract", "write_worker.ts"), "write_thread.ts"],
  ];
  assert.deepEqual([...INCLUDES], workers.map(([w]) => w));
  const included = args.flatMap((a, i) =>
    args[i - 1] === "--include" ? [a] : []
  );
  assert.deepEqual(included, workers.map(([w]) => w));
  for (const [worker, starter] of workers) {
    await Deno.stat(worker);
    const code = await Deno.readTextFile(join(dirname(worker), starter));
    const name = basename(worker).replace(".", "\\.");
    assert.match(
      code,
      new RegExp(
        `new Worker\\(\\s*new URL\\("\\./${name}", import\\.meta\\.url\\)\\.href`,
      ),
    );
  }
});

Deno.test("runtime source: DENORT_BIN beats the cache, the cache beats a download", () => {
  assert.equal(
    describeRuntime(
      runtimeSource({ DENORT_BIN: "/opt/denort" }, "/c/x.zip", "u"),
    ),
    "Runtime: /opt/denort (from DENORT_BIN)",
  );
  assert.equal(
    describeRuntime(runtimeSource({}, "/c/x.zip", "u")),
    "Runtime: /c/x.zip (Deno cache)",
  );
  assert.equal(
    describeRuntime(runtimeSource({}, undefined, "https://dl/x.zip")),
    "Runtime: downloading https://dl/x.zip",
  );
});

Deno.test("without DENORT_BIN and no way to download the runtime: one line pointing at DENORT_BIN", async () => {
  // An empty DENO_DIR (sharing only the npm cache) has no cached runtime, and a proxy on a
  // closed local port makes the download fail at once, with or without internet.
  const tmp = await Deno.makeTempDir();
  try {
    const denoDir = join(tmp, "deno");
    await Deno.mkdir(denoDir);
    const info = await run(["info", "--json"], Deno.env.toObject());
    const npm = JSON.parse(new TextDecoder().decode(info.stdout)).npmCache;
    await Deno.symlink(npm, join(denoDir, "npm"));
    const env = {
      ...envWithout("DENORT_BIN", "NO_PROXY", "no_proxy"),
      DENO_DIR: denoDir,
      HTTPS_PROXY: "http://127.0.0.1:9",
      HTTP_PROXY: "http://127.0.0.1:9",
      NO_COLOR: "1",
    };
    const out = await run([
      "run",
      "--allow-read",
      "--allow-write",
      "--allow-env",
      "--allow-run",
      "tools/compile.ts",
      "--output",
      join(tmp, "buildout"),
    ], env);
    const stdout = new TextDecoder().decode(out.stdout);
    const stderr = new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 1, stderr);
    assert.match(
      stdout,
      /^Runtime: downloading https:\/\/dl\.deno\.land\/.*denort-.*\.zip$/m,
    );
    const lines = stderr.trim().split("\n");
    assert.equal(lines.length, 1, stderr);
    assert.match(lines[0], /cannot download the Deno runtime.*DENORT_BIN/);
    await assert.rejects(Deno.stat(join(tmp, "buildout")));
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test({
  name: "compiled binary runs --version (needs DENORT_BIN)",
  ignore: !Deno.env.get("DENORT_BIN"),
  async fn() {
    const tmp = await Deno.makeTempDir();
    try {
      const bin = join(tmp, "buildout");
      const out = await run(
        ["task", "compile", "--output", bin],
        Deno.env.toObject(),
      );
      const stdout = new TextDecoder().decode(out.stdout);
      assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
      assert.match(stdout, /from DENORT_BIN/);
      const v = await new Deno.Command(bin, {
        args: ["--version"],
        stdout: "piped",
      })
        .output();
      const text = new TextDecoder().decode(v.stdout);
      assert.equal(v.code, 0);
      assert.match(text, new RegExp(VERSION.replaceAll(".", "\\.")));
      assert.match(text, new RegExp(Deno.version.deno.replaceAll(".", "\\.")));
    } finally {
      await Deno.remove(tmp, { recursive: true });
    }
  },
});
