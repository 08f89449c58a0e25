/**
 * Conformance with zc.buildout's tests/update.txt, as far as it applies
 * without buildout upgrading itself.
 *
 * Everything in that doctest is about zc.buildout checking for newer
 * releases of itself, installing them into `eggs/`, rewriting
 * `bin/buildout` and restarting. This tool has no self-upgrade and no
 * `bin/buildout` (README: "Not implemented: bootstrap/setup/self-upgrade"),
 * so these scenarios are not run:
 *
 * - the run with `versions:zc.buildout=91.0` that upgrades and restarts;
 * - the run that upgrades to the newest release found (`NINETYNINE`) and the
 *   rewritten `bin/buildout` script;
 * - the "upgrade" to an earlier release through `zc.buildout = < 99`;
 * - `relative-paths = true` honoured in the rewritten `bin/buildout`;
 * - a restarted run's exit code passed on (`recipe sys-exits`, exit 1);
 * - the custom `showversions` and `failrecipe` develop recipes (recipes are
 *   built in here).
 *
 * What does apply: with newer zc.buildout releases on the find-links and
 * index, no run fetches them: not offline, not non-newest, and not a buildout
 * whose `[versions]` pins zc.buildout (zc.buildout fetches that one and then
 * says `Not upgrading because not running a local buildout command.`; here
 * nothing is fetched, the intended difference above). `bin/` stays empty.
 * And a `relative-paths` in `[buildout]` with no egg part to read it is an
 * unused option.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { startLinkServer } from "../support/link_server.ts";
import { lines, withSample } from "./support.ts";

/** Files named like the doctest's new releases (their content is never read). */
const NEW_RELEASES = {
  "new_releases/zc_buildout-91.0-py3-none-any.whl": "not a wheel",
  "new_releases/zc_buildout-NINETYNINE.NINETYNINE-py3-none-any.whl":
    "not a wheel",
};

Deno.test("update.txt: newer zc.buildout releases are never fetched", async () => {
  await withSample(NEW_RELEASES, async (s) => {
    const server = await startLinkServer(join(s.dir, "new_releases"), {
      logging: true,
    });
    try {
      const top = `[buildout]\nfind-links = ${server.url}\n` +
        `index = ${server.url}\n`;
      await s.write(
        "buildout.cfg",
        `${top}parts = show-versions\n\n[show-versions]\nrecipe = mkdir\n`,
      );
      const first = await s.run();
      assert.equal(first.code, 0, first.stderr);
      assert.deepEqual(lines(first.stdout).slice(-2), [
        "Installing show-versions.",
        "show-versions: Creating directory /sample-buildout/parts/show-versions",
      ]);
      for (const flag of ["-o", "-N"]) {
        const r = await s.run(flag);
        assert.equal(r.code, 0, r.stderr);
        assert.deepEqual(lines(r.stdout), ["Updating show-versions."]);
      }
      // A pin of zc.buildout itself, in a buildout with no parts.
      await s.write(
        "buildout.cfg",
        `${top}parts =\n\n[versions]\nzc.buildout = 99.99\n`,
      );
      const pinned = await s.run();
      assert.equal(pinned.code, 0, pinned.stderr);
      assert.deepEqual(lines(pinned.stdout), ["Uninstalling show-versions."]);
      assert.deepEqual(await s.ls("bin"), []);
      assert.deepEqual(
        server.log().filter((l) => l.includes("zc_buildout")),
        [],
      );
    } finally {
      await server.close();
    }
  });
});

Deno.test(
  {
    name:
      "update.txt: the unused relative-paths warning in zc.buildout's words",
  },
  async () => {
    await withSample({
      "buildout.cfg": "[buildout]\nparts = show-versions\n" +
        "relative-paths = true\n\n[show-versions]\nrecipe = mkdir\n",
    }, async (s) => {
      const r = await s.run();
      assert.deepEqual(
        lines(r.stdout).filter((l) => !l.startsWith("Creating directory"))
          .slice(0, 3),
        [
          "Section `buildout` contains unused option(s): 'relative-paths'.",
          "This may be an indication for either a typo in the option's name or a bug in the used recipe.",
          "Installing show-versions.",
        ],
      );
    });
  },
);
