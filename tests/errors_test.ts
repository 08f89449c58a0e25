import assert from "node:assert/strict";
import { join } from "node:path";
import {
  addContext,
  formatError,
  isUserCaused,
  UserError,
} from "../src/errors.ts";
import { runCli, withTempDir } from "./support/run.ts";

Deno.test("formatError: While context, Error line; internal errors say so", () => {
  const err = new UserError("Couldn't find a distribution for 'x'.");
  addContext(err, "Getting distribution for 'x'.");
  addContext(err, "Installing eggs.");
  assert.equal(
    formatError(err, false),
    "While:\n  Installing eggs.\n  Getting distribution for 'x'.\nError: Couldn't find a distribution for 'x'.",
  );
  const bug = formatError(new TypeError("boom"), false);
  assert.match(bug, /An internal error occurred/);
  assert.match(bug, /TypeError: boom \(run with -v for the stack\)/);
});

Deno.test("errors of the operating system count as user-caused", () => {
  assert.ok(isUserCaused(new Deno.errors.PermissionDenied("open '/x'")));
  assert.ok(isUserCaused(new Error("No space left on device (os error 28)")));
  assert.ok(!isUserCaused(new TypeError("x is undefined")));
});

Deno.test("a directory that cannot be created is one clear line, exit 1", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(join(dir, "afile"), "");
    await Deno.writeTextFile(
      join(dir, "buildout.cfg"),
      "[buildout]\nparts =\neggs-directory = afile/eggs\n",
    );
    const r = await runCli([], {
      cwd: dir,
      env: { BUILDOUT_HOME: join(dir, "none") },
    });
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      new RegExp(
        `^While:\\n {2}Initializing\\.\\nError: Cannot create directory '${dir}/afile/eggs': .+\\.\\n$`,
      ),
    );
  });
});
