import assert from "node:assert/strict";
import { join } from "node:path";
import { formatRecord, Logger } from "../src/log.ts";
import { runCli, withTempDir } from "./support/run.ts";

Deno.test("levels filter; print is hidden only above INFO", () => {
  const lines: string[] = [];
  const log = new Logger(20, (l) => lines.push(l));
  log.debug("d");
  log.info("i");
  log.warn("w");
  log.print("p");
  const quiet = new Logger(30, (l) => lines.push(l));
  quiet.info("hidden");
  quiet.print("hidden too");
  quiet.warn("shown");
  assert.deepEqual(lines, ["i", "w", "p", "shown"]);
});

Deno.test("formatRecord knows buildout's log-format fields", () => {
  assert.equal(
    formatRecord("%(levelname)s %(message)s", "INFO", 20, "x"),
    "INFO x",
  );
  assert.equal(
    formatRecord("%(name)s[%(levelno)d] %(message)s 100%%", "WARNING", 30, "y"),
    "zc.buildout[30] y 100%",
  );
});

Deno.test("log-format applies to buildout's messages", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(
      join(dir, "buildout.cfg"),
      "[buildout]\nparts = d\nlog-format = %(levelname)s: %(message)s\n\n[d]\nrecipe = mkdir\npaths = x\n",
    );
    const r = await runCli([], {
      cwd: dir,
      env: { BUILDOUT_HOME: join(dir, "none") },
    });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stdout.includes("INFO: Installing d.\n"), r.stdout);
  });
});
