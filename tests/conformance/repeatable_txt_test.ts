/**
 * Conformance with zc.buildout's tests/repeatable.txt: version pins in a
 * `[versions]` section (or one named by `versions`), `versions =` turning
 * pins off, `allow-picked-versions = false`, `show-picked-versions` and
 * `update-versions-file`.
 *
 * The doctest builds a recipe egg `spam` in versions 1 and 2 and pins the
 * recipe. Recipes are built in here (README, "How it differs"), so the pinned
 * distribution is `demo` (0.1 ... 0.3, and 0.4c1) from the seed's sample
 * links, installed by a `zc.recipe.egg:eggs` part; its dependency
 * `demoneeded` is pinned throughout, so `demo` is the only pick, as `spam` is
 * in the doctest. Because the eggs are installed by the part (not while
 * loading a recipe), `Installing foo.` comes before `Getting distribution`.
 *
 * specifications/repeatable.txt is a proposal (`create-repeatable`,
 * `extended-by`) zc.buildout never implemented; it has no scenario to check.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { startLinkServer } from "../support/link_server.ts";
import { withTempDir } from "../support/run.ts";
import { lines, LINKS, type Sample, sampleBuildout } from "./sample.ts";

/** A buildout with part `foo` installing `eggs` from the link server. */
function cfg(
  links: string,
  o: { top?: string; versions?: string; eggs?: string } = {},
): string {
  return `[buildout]\nparts = foo\nfind-links = ${links}\n${o.top ?? ""}\n` +
    (o.versions ?? "") +
    `\n[foo]\nrecipe = zc.recipe.egg:eggs\neggs = ${o.eggs ?? "demo"}\n`;
}

/** A `[versions]` section pinning demoneeded and the given lines. */
const versions = (more = "", name = "versions") =>
  `[${name}]\ndemoneeded = 1.1\n${more}`;

Deno.test("repeatable.txt: pins, picked versions, and the versions file", async (t) => {
  const server = await startLinkServer(LINKS);
  try {
    await withTempDir(async (root) => {
      const s: Sample = await sampleBuildout(root);
      const links = server.url;
      const run = async (args: string[] = []) => {
        const r = await s.run(args);
        assert.equal(r.stderr, "");
        assert.equal(r.code, 0);
        return lines(r.stdout);
      };

      await t.step("unpinned, the newest final release is used", async () => {
        await s.write(cfg(links, { versions: versions() }));
        assert.deepEqual(await run(), [
          "Installing foo.",
          "Getting distribution for 'demo'.",
          "Got demo 0.3.",
          "Getting distribution for 'demoneeded==1.1'.",
          "Got demoneeded 1.1.",
        ]);
      });

      await t.step(
        "a pin in [versions] selects the older release",
        async () => {
          await s.write(cfg(links, { versions: versions("demo = 0.2\n") }));
          // The part's options are unchanged (the doctest's recipe egg changed,
          // hence its reinstall): zc.recipe.egg's update installs the pin.
          assert.deepEqual(await run(), [
            "Updating foo.",
            "Getting distribution for 'demo==0.2'.",
            "Got demo 0.2.",
          ]);
        },
      );

      await t.step(
        "-v with versions turned off shows what was picked",
        async () => {
          // Our -v also shows the index lookup as a debug line; left out.
          const out = await run(["buildout:versions=", "-v"]);
          assert.deepEqual(
            out.filter((l) => !l.startsWith("Couldn't retrieve index page"))
              .slice(0, 4),
            [
              "Updating foo.",
              "Installing 'demo'.",
              "We have the best distribution that satisfies 'demo'.",
              "Picked: demo = 0.3",
            ],
          );
        },
      );

      await t.step("-v with the pin: nothing picked", async () => {
        const out = await run(["-v"]);
        assert.deepEqual(out.slice(0, 3), [
          "Updating foo.",
          "Installing 'demo'.",
          "We have the distribution that satisfies 'demo==0.2'.",
        ]);
        assert.ok(!out.some((l) => l.startsWith("Picked:")), out.join("\n"));
      });

      await t.step("a pin applies to a range requirement too", async () => {
        await s.write(
          cfg(links, { versions: versions("demo = 0.2\n"), eggs: "demo >0" }),
        );
        const out = await run(["-v"]);
        assertInOrder(out, [
          "Uninstalling foo.",
          "Installing foo.",
          "Installing 'demo >0'.",
          "We have the distribution that satisfies 'demo==0.2'.",
        ]);
      });

      await t.step(
        "pins hold with allow-picked-versions = false and a ${part:option} in [buildout] (issue 577)",
        async () => {
          await s.write(
            cfg(links, {
              top: "allow-picked-versions = false\ntest = ${foo:option}\n",
              versions: versions("demo = 0.2\n"),
            }).replace("eggs = demo\n", "eggs = demo\noption = TEST\n"),
          );
          const r = await s.run();
          assert.equal(r.stderr, "");
          assert.equal(r.code, 0);
          // The line between them warns that `test` is unused (checked, in
          // zc.buildout's words, by the pending test below).
          const out = lines(r.stdout);
          assert.equal(out[0], "Uninstalling foo.");
          assert.equal(out.at(-1), "Installing foo.");
          assert.ok(out.some((l) => l.includes("'test'")), out.join("\n"));
        },
      );

      await t.step(
        "allow-picked-versions = false: an unpinned pick is an error",
        async () => {
          await s.write(
            cfg(links, {
              top: "allow-picked-versions = false\n",
              versions: versions(),
            }),
          );
          const r = await s.run();
          assert.equal(r.code, 1);
          assert.ok(
            r.stderr.startsWith("While:\n  Installing foo.\n"),
            r.stderr,
          );
          assert.ok(r.stderr.endsWith(PICKED_ERROR), r.stderr);
        },
      );

      await t.step("versions = release1 names the pin section", async () => {
        await s.write(
          cfg(links, {
            top: "versions = release1\n",
            versions: versions("demo = 0.2\n", "release1"),
          }),
        );
        // The failed install above left foo uninstalled (its options had
        // changed), so it is installed afresh.
        assertInOrder(await run(["-v"]), [
          "Installing foo.",
          "We have the distribution that satisfies 'demo==0.2'.",
        ]);
      });

      await t.step("versions = (empty) turns pins off", async () => {
        await s.write(
          cfg(links, {
            top: "versions =\n",
            versions: versions("demo = 0.2\n"),
          }),
        );
        // foo's options are unchanged: zc.recipe.egg updates it.
        assertInOrder(await run(["-v"]), [
          "Updating foo.",
          "We have the best distribution that satisfies 'demo'.",
          "Picked: demo = 0.3",
        ]);
      });

      await t.step(
        "show-picked-versions prints the picks at the end",
        async () => {
          await s.write(
            cfg(links, {
              top: "show-picked-versions = true\n",
              versions: versions(),
            }),
          );
          assert.deepEqual(await run(), [
            "Updating foo.",
            "Versions had to be automatically picked.",
            "The following part definition lists the versions picked:",
            "[versions]",
            "demo = 0.3",
          ]);
        },
      );

      await t.step("everything pinned: nothing printed", async () => {
        await s.write(
          cfg(links, {
            top: "show-picked-versions = true\n",
            versions: versions("demo = 0.3\n"),
          }),
        );
        assert.deepEqual(await run(), ["Updating foo."]);
      });

      await t.step("pins match names case-insensitively", async () => {
        await s.write(
          cfg(links, {
            top: "show-picked-versions = true\n",
            versions: versions("Demo = 0.3\n"),
          }),
        );
        assert.deepEqual(await run(), ["Updating foo."]);
      });

      await t.step("pins from an extended versions file", async () => {
        await Deno.writeTextFile(
          join(s.dir, "my_versions.cfg"),
          versions("demo = 0.3\n"),
        );
        await s.write(
          cfg(links, {
            top: "extends = my_versions.cfg\nshow-picked-versions = true\n",
          }),
        );
        assert.deepEqual(await run(), ["Updating foo."]);
      });

      const withUpdateFile = (show: boolean) =>
        s.write(
          cfg(links, {
            top: "extends = my_versions.cfg\n" +
              "update-versions-file = my_versions.cfg\n" +
              `show-picked-versions = ${show}\n`,
          }),
        );

      await t.step(
        "update-versions-file appends the picks to the versions file",
        async () => {
          await Deno.writeTextFile(join(s.dir, "my_versions.cfg"), versions());
          await withUpdateFile(true);
          assert.deepEqual(await run(), [
            "Updating foo.",
            "Versions had to be automatically picked.",
            "The following part definition lists the versions picked:",
            "[versions]",
            "demo = 0.3",
            "Picked versions have been written to my_versions.cfg",
          ]);
          assert.match(await versionsFile(s), ADDED);
          // Run again: now pinned, nothing is picked.
          assert.ok(
            !(await run()).some((l) => l.toLowerCase().includes("picked")),
          );
        },
      );

      await t.step(
        "update-versions-file without show-picked-versions: written, not shown",
        async () => {
          await Deno.writeTextFile(join(s.dir, "my_versions.cfg"), versions());
          await withUpdateFile(false);
          assert.deepEqual(await run(), [
            "Updating foo.",
            "Picked versions have been written to my_versions.cfg",
          ]);
          assert.match(await versionsFile(s), ADDED);
        },
      );
    });
  } finally {
    await server.close();
  }
});

/** The text zc.buildout gives when a pick is not allowed (demo 0.3). */
const PICKED_ERROR = "Error: Picked: demo = 0.3\n\n" +
  "The `demo` egg does not have a version pin and `allow-picked-versions = false`.\n\n" +
  "To resolve this, add\n\n    demo = 0.3\n\nto the [versions] section,\n\n" +
  "OR set `allow-picked-versions = true`.\n";

/** The versions file after one append: the original, a dated comment, the pick. */
const ADDED = new RegExp(
  "^\\[versions\\]\ndemoneeded = 1\\.1\n\n" +
    "# Added by buildout at \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{6}\n" +
    "demo = 0\\.3\n$",
);

function versionsFile(s: Sample): Promise<string> {
  return Deno.readTextFile(join(s.dir, "my_versions.cfg"));
}

/** `expected` occur in `out` in this order (other lines may come between). */
function assertInOrder(out: string[], expected: string[]): void {
  let at = 0;
  for (const line of expected) {
    const i = out.indexOf(line, at);
    assert.ok(i >= 0, `missing in order: ${line}\n${out.join("\n")}`);
    at = i + 1;
  }
}

Deno.test(
  {
    name:
      "repeatable.txt: the picked-version error's context and the unused-option warning, exactly",
  },
  async () => {
    const server = await startLinkServer(LINKS);
    try {
      await withTempDir(async (root) => {
        const s = await sampleBuildout(root);
        await s.write(
          cfg(server.url, {
            top: "allow-picked-versions = false\n",
            versions: versions(),
          }),
        );
        const r = await s.run();
        assert.equal(r.code, 1);
        assert.equal(
          r.stderr,
          "While:\n  Installing foo.\n  Getting distribution for 'demo'.\n" +
            PICKED_ERROR,
        );
        await s.write(
          cfg(server.url, {
            top: "allow-picked-versions = false\ntest = ${foo:option}\n",
            versions: versions("demo = 0.2\n"),
          }).replace("eggs = demo\n", "eggs = demo\noption = TEST\n"),
        );
        const ok = await s.run();
        assert.equal(ok.code, 0);
        assert.deepEqual(lines(ok.stdout).slice(0, 3), [
          "Section `buildout` contains unused option(s): 'test'.",
          "This may be an indication for either a typo in the option's name or a bug in the used recipe.",
          "Installing foo.",
        ]);
      });
    } finally {
      await server.close();
    }
  },
);
