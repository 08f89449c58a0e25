import assert from "node:assert/strict";
import { join } from "node:path";
import { Buildout } from "../../src/config/buildout.ts";
import { loadConfig } from "../../src/config/load.ts";
import type { Assignment } from "../../src/config/types.ts";
import {
  effectiveLevel,
  ensureCacheDirectories,
  parseBool,
  parseVersions,
  readSettings,
} from "../../src/parts/settings.ts";
import { UserError } from "../../src/errors.ts";
import { withTempDir } from "../support/run.ts";

async function settingsFor(
  dir: string,
  cfg: string,
  assignments: Assignment[] = [],
  lines: string[] = [],
) {
  await Deno.writeTextFile(join(dir, "buildout.cfg"), cfg);
  const raw = await loadConfig({
    configFile: join(dir, "buildout.cfg"),
    cwd: dir,
    userDefaults: false,
    env: {},
    assignments,
  });
  return readSettings(new Buildout(raw), { sink: (l) => lines.push(l) });
}

const set = (option: string, value: string): Assignment => ({
  section: "buildout",
  option,
  op: "=",
  value,
});

Deno.test("booleans are exactly true or false", () => {
  assert.equal(parseBool("newest", "true"), true);
  assert.equal(parseBool("newest", "false"), false);
  for (const bad of ["yes", "True", ""]) {
    assert.throws(
      () => parseBool("newest", bad),
      new UserError(`Invalid value for 'newest' option: '${bad}'`),
    );
  }
});

Deno.test("log level arithmetic: log-level minus verbosity; -q only errors", () => {
  assert.equal(effectiveLevel("INFO", "0", false), 20);
  assert.equal(effectiveLevel("INFO", "10", false), 10);
  assert.equal(effectiveLevel("25", "5", false), 20);
  assert.equal(effectiveLevel("warning", "", false), 30);
  assert.equal(effectiveLevel("INFO", "-10", true), 40);
  assert.throws(
    () => effectiveLevel("LOUD", "0", false),
    new UserError("Invalid logging level LOUD"),
  );
  assert.throws(
    () => effectiveLevel("INFO", "x", false),
    new UserError("Invalid verbosity x"),
  );
});

Deno.test("[versions] pins by normalised name", () => {
  assert.deepEqual(
    parseVersions(new Map([["Demo_Pkg", "0.2"], ["x", ">=1,<2"], ["e", ""]])),
    new Map([["demo-pkg", "0.2"], ["x", ">=1,<2"]]),
  );
});

Deno.test("defaults and paths of the typed settings", async () => {
  await withTempDir(async (d) => {
    const s = await settingsFor(
      d,
      "[buildout]\nparts =\nfind-links = a\n  b\n\n[versions]\nDemo = 0.2\n",
    );
    assert.equal(s.directory, d);
    assert.equal(s.binDirectory, join(d, "bin"));
    assert.equal(s.partsDirectory, join(d, "parts"));
    assert.equal(s.developEggsDirectory, join(d, "develop-eggs"));
    assert.equal(s.eggsDirectory, join(d, "eggs"));
    assert.equal(s.installed, join(d, ".installed.cfg"));
    assert.equal(s.downloadCache, undefined);
    assert.deepEqual(s.findLinks, ["a", "b"]);
    assert.equal(s.index, "https://pypi.org/simple/");
    assert.deepEqual(s.allowHosts, ["*"]);
    assert.equal(s.newest, true);
    assert.equal(s.offline, false);
    assert.equal(s.preferFinal, true);
    assert.equal(s.executable, "python3");
    assert.equal(s.timeoutSeconds, undefined);
    assert.deepEqual(s.versions, new Map([["demo", "0.2"]]));
    assert.equal(s.logLevel, 20);
  });
});

Deno.test("-o forces newest off; newest=yes is refused", async () => {
  await withTempDir(async (d) => {
    const s = await settingsFor(d, "[buildout]\nparts =\n", [
      set("offline", "true"),
      set("newest", "true"),
    ]);
    assert.equal(s.offline, true);
    assert.equal(s.newest, false);
    await assert.rejects(
      settingsFor(d, "[buildout]\nparts =\nnewest = yes\n"),
      new UserError("Invalid value for 'newest' option: 'yes'"),
    );
  });
});

Deno.test("socket-timeout is logged and typed", async () => {
  await withTempDir(async (d) => {
    const lines: string[] = [];
    const s = await settingsFor(
      d,
      "[buildout]\nparts =\n",
      [set("socket-timeout", "7")],
      lines,
    );
    assert.equal(s.timeoutSeconds, 7);
    assert.deepEqual(lines, ["Setting socket time out to 7 seconds."]);
  });
});

Deno.test("cache folders are created with dist/, each logged once", async () => {
  await withTempDir(async (d) => {
    const lines: string[] = [];
    const s = await settingsFor(
      d,
      "[buildout]\nparts =\ndownload-cache = dl\nextends-cache = ext\neggs-directory = shared/eggs\n",
      [],
      lines,
    );
    await ensureCacheDirectories(s);
    await ensureCacheDirectories(s);
    assert.deepEqual(lines, [
      `Creating directory '${d}/dl'.`,
      `Creating directory '${d}/ext'.`,
      `Creating directory '${d}/shared/eggs'.`,
    ]);
    assert.ok((await Deno.stat(join(d, "dl/dist"))).isDirectory);
  });
});
