import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { UserError } from "../../src/errors.ts";
import { Logger } from "../../src/log.ts";
import {
  type Assignment,
  type FetchSettings,
  loadConfig,
  type LoadOptions,
  type RawConfig,
} from "../../src/config/load.ts";

/** A temp dir with files; `run` loads `buildout.cfg` from it. */
async function withFiles(
  files: Record<string, string>,
  fn: (dir: string) => Promise<void>,
): Promise<void> {
  const dir = await Deno.realPath(await Deno.makeTempDir());
  try {
    for (const [name, text] of Object.entries(files)) {
      await Deno.mkdir(dirname(join(dir, name)), { recursive: true });
      await Deno.writeTextFile(join(dir, name), text);
    }
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function opts(dir: string, o: Partial<LoadOptions> = {}): LoadOptions {
  return {
    configFile: join(dir, "buildout.cfg"),
    cwd: dir,
    userDefaults: false,
    env: {},
    assignments: [],
    ...o,
  };
}

function cl(text: string): Assignment {
  const eq = text.indexOf("=");
  let left = text.slice(0, eq);
  let op: Assignment["op"] = "=";
  if (left.endsWith("+") || left.endsWith("-")) {
    op = left.endsWith("+") ? "+=" : "-=";
    left = left.slice(0, -1);
  }
  const colon = left.indexOf(":");
  return {
    section: colon < 0 ? "buildout" : left.slice(0, colon),
    option: left.slice(colon + 1),
    op,
    value: text.slice(eq + 1),
  };
}

const value = (raw: RawConfig, s: string, k: string) =>
  raw.get(s)?.get(k)?.value;

async function loadError(o: LoadOptions): Promise<string> {
  try {
    await loadConfig(o);
  } catch (err) {
    assert.ok(err instanceof UserError, `not a UserError: ${err}`);
    return err.message;
  }
  assert.fail("no error");
}

Deno.test("priority: defaults < user defaults < files < command line (spec 2.1)", async () => {
  await withFiles({
    "home/default.cfg": "[buildout]\nx = user\nz = user\nw = user\n",
    "buildout.cfg": "[buildout]\nx = cfg\nw += cfg\n",
  }, async (dir) => {
    const raw = await loadConfig(opts(dir, {
      userDefaults: true,
      env: { BUILDOUT_HOME: join(dir, "home") },
      assignments: [cl("x=cl"), cl("w+=cl")],
    }));
    assert.equal(value(raw, "buildout", "x"), "cl");
    assert.equal(value(raw, "buildout", "z"), "user");
    assert.equal(value(raw, "buildout", "w"), "user\ncfg\ncl");
    assert.deepEqual(raw.get("buildout")!.get("w")!.history, [
      { op: "SET", value: "user", source: join(dir, "home/default.cfg") },
      { op: "ADD", value: "cfg", source: join(dir, "buildout.cfg") },
      { op: "ADD", value: "cl", source: "COMMAND_LINE_VALUE" },
    ]);
  });
});

Deno.test("user defaults: ~/.buildout, empty BUILDOUT_HOME, -U", async () => {
  await withFiles({
    "home/.buildout/default.cfg": "[buildout]\nu = home\n",
    "bh/default.cfg": "[buildout]\nu = bh\n",
    "buildout.cfg": "[buildout]\n",
  }, async (dir) => {
    const home = join(dir, "home");
    const load = (env: LoadOptions["env"], userDefaults = true) =>
      loadConfig(opts(dir, { env, userDefaults })).then((r) =>
        value(r, "buildout", "u")
      );
    assert.equal(await load({ HOME: home }), "home");
    assert.equal(await load({ HOME: home, BUILDOUT_HOME: "" }), "home");
    assert.equal(
      await load({ HOME: home, BUILDOUT_HOME: join(dir, "bh") }),
      "bh",
    );
    assert.equal(await load({ HOME: home }, false), undefined);
    assert.equal(await load({ HOME: join(dir, "nowhere") }), undefined);
  });
});

Deno.test("built-in defaults, directory and versions", async () => {
  await withFiles({ "buildout.cfg": "[buildout]\nparts =\n" }, async (dir) => {
    const raw = await loadConfig(opts(dir));
    const b = raw.get("buildout")!;
    assert.equal(b.get("directory")!.value, dir);
    assert.equal(b.get("directory")!.source, "COMPUTED_VALUE");
    assert.equal(b.get("executable")!.value, "python3");
    assert.equal(b.get("bin-directory")!.value, join(dir, "bin"));
    assert.deepEqual(b.get("installed")!.history, [
      { op: "SET", value: ".installed.cfg", source: "DEFAULT_VALUE" },
      {
        op: "DIRECTORY",
        value: join(dir, ".installed.cfg"),
        source: "DEFAULT_VALUE",
      },
    ]);
    assert.equal(b.get("eggs-directory")!.value, join(dir, "eggs"));
    assert.deepEqual(b.get("eggs-directory")!.history, [
      { op: "SET", value: "eggs", source: "DEFAULT_VALUE" },
      { op: "DIRECTORY", value: join(dir, "eggs"), source: "DEFAULT_VALUE" },
    ]);
    assert.equal(b.get("versions")!.value, "versions");
    assert.deepEqual([...raw.get("versions")!.keys()], []);
    assert.equal(b.has("download-cache"), false);
  });
});

Deno.test("extends: several files, later wins, relative to the extending file, key removed", async () => {
  await withFiles({
    "buildout.cfg": "[buildout]\nextends = sub/mid.cfg b2.cfg\ny = root\n",
    "sub/mid.cfg": "[buildout]\nextends = b1.cfg\nx = mid\n[s]\nk = mid\n",
    "sub/b1.cfg": "[buildout]\nx = 1\ny = 1\nz = 1\n",
    "b2.cfg": "[buildout]\nx = 2\n",
  }, async (dir) => {
    const raw = await loadConfig(opts(dir));
    assert.equal(value(raw, "buildout", "x"), "2");
    assert.equal(value(raw, "buildout", "y"), "root");
    assert.equal(value(raw, "buildout", "z"), "1");
    assert.equal(value(raw, "s", "k"), "mid");
    assert.equal(raw.get("buildout")!.has("extends"), false);
    assert.equal(
      raw.get("buildout")!.get("z")!.source,
      join(dir, "sub/b1.cfg"),
    );
  });
});

Deno.test("extends cycle is an error listing the include chain", async () => {
  await withFiles({
    "buildout.cfg": "[buildout]\nextends = a.cfg\n",
    "a.cfg": "[buildout]\nextends = b.cfg\n",
    "b.cfg": "[buildout]\nextends = a.cfg\n",
  }, async (dir) => {
    assert.equal(
      await loadError(opts(dir)),
      `Recursive file include ['${dir}/buildout.cfg', '${dir}/a.cfg', '${dir}/b.cfg'] ${dir}/a.cfg`,
    );
  });
});

Deno.test("missing main config, missing extended file, parse error in an extended file", async () => {
  await withFiles({
    "buildout.cfg": "[buildout]\nextends = base.cfg\n",
    "bad.cfg": "[buildout]\nextends = broken.cfg\n",
    "broken.cfg": "[buildout]\noops\n",
  }, async (dir) => {
    assert.equal(
      await loadError(opts(dir, { configFile: "other.cfg" })),
      `Couldn't open ${dir}/other.cfg`,
    );
    assert.equal(
      await loadError(opts(dir)),
      `Couldn't open ${dir}/base.cfg (extended by ${dir}/buildout.cfg)`,
    );
    assert.equal(
      await loadError(opts(dir, { configFile: "bad.cfg" })),
      `File contains parsing errors: ${dir}/broken.cfg\n\t[line  2]: 'oops\\n'`,
    );
  });
});

Deno.test("diamond: a shared base is applied once, sibling += kept (W4 fixed)", async () => {
  await withFiles({
    "buildout.cfg": "[buildout]\nextends = c.cfg d.cfg\n",
    "c.cfg": "[buildout]\nextends = e.cfg\nx = c\nparts += c\n",
    "d.cfg": "[buildout]\nextends = e.cfg\nparts += d\n",
    "e.cfg": "[buildout]\nx = e\nparts = e\n",
  }, async (dir) => {
    const raw = await loadConfig(opts(dir));
    assert.equal(value(raw, "buildout", "x"), "c");
    assert.equal(value(raw, "buildout", "parts"), "e\nc\nd");
  });
});

Deno.test("+= and -= across layers; no base: += is =, -= gives ''; a section already there: an implicit empty base", async () => {
  await withFiles({
    "buildout.cfg":
      "[buildout]\nextends = base.cfg\nparts += b\n  c\nparts -= a\n" +
      "[new]\nk+=v\nr -= x\n[s]\nlist -= a1\n",
    "base.cfg": "[buildout]\nparts = a\n[s]\nlist = a1 a2\n  a1\n",
  }, async (dir) => {
    const raw = await loadConfig(
      opts(dir, {
        assignments: [cl("parts+=cl"), cl("new:k-=v"), cl("s:z+=1")],
      }),
    );
    assert.equal(value(raw, "buildout", "parts"), "b\nc\ncl");
    assert.equal(value(raw, "new", "k"), "");
    assert.equal(value(raw, "new", "r"), "");
    assert.equal(value(raw, "s", "list"), "a1 a2");
    // [s] exists below the command line, z does not: += works on an implicit '' (buildout).
    assert.equal(value(raw, "s", "z"), "\n1");
    assert.deepEqual(raw.get("s")!.get("z")!.history, [
      { op: "SET", value: "", source: "IMPLICIT_VALUE" },
      { op: "ADD", value: "1", source: "COMMAND_LINE_VALUE" },
    ]);
  });
});

Deno.test("remote extends through fetchText, with the root's fetch settings", async () => {
  await withFiles({
    "buildout.cfg": "[buildout]\nextends = http://h/cfg/base.cfg\n" +
      "extends-cache = cache\nnewest = false\n",
    "local.cfg": "[s]\nlocal = yes\n",
  }, async (dir) => {
    const remote: Record<string, string> = {
      "http://h/cfg/base.cfg":
        `[buildout]\nextends = ../rel.cfg ${dir}/local.cfg\n[s]\nb = 1\n`,
      "http://h/rel.cfg": "[s]\nr = 1\n[buildout]\nextends-cache = ignored\n",
    };
    const calls: [string, FetchSettings][] = [];
    const fetchText = (url: string, settings: FetchSettings) => {
      calls.push([url, settings]);
      if (!(url in remote)) throw new UserError(`no ${url}`);
      return Promise.resolve(remote[url]);
    };
    const raw = await loadConfig(
      opts(dir, { fetchText, assignments: [cl("offline=true")] }),
    );
    assert.equal(value(raw, "s", "b"), "1");
    assert.equal(value(raw, "s", "r"), "1");
    assert.equal(value(raw, "s", "local"), "yes");
    const settings = {
      offline: true,
      newest: false,
      extendsCache: join(dir, "cache"),
    };
    assert.deepEqual(calls, [["http://h/cfg/base.cfg", settings], [
      "http://h/rel.cfg",
      settings,
    ]]);
    assert.equal(raw.get("s")!.get("r")!.source, "http://h/rel.cfg");
  });
});

Deno.test("a relative path option in a remote file is ambiguous", async () => {
  await withFiles({
    "buildout.cfg": "[buildout]\nextends = http://h/remote.cfg\n",
  }, async (dir) => {
    const fetchText = () =>
      Promise.resolve("[buildout]\neggs-directory = reggs\n");
    assert.equal(
      await loadError(opts(dir, { fetchText })),
      'Setting "eggs-directory" to a non absolute location ("reggs") within a\n' +
        'remote configuration file ("http://h/remote.cfg") is ambiguous.',
    );
  });
});

Deno.test("a URL main config has no directory; extends-cache with ${ is refused", async () => {
  await withFiles({
    "buildout.cfg":
      "[buildout]\nextends-cache = ${buildout:x}\nextends = http://h/a.cfg\n",
  }, async (dir) => {
    const fetchText = () => Promise.resolve("[buildout]\nparts =\n");
    const raw = await loadConfig(
      opts(dir, { configFile: "http://h/a.cfg", fetchText }),
    );
    assert.equal(raw.get("buildout")!.has("directory"), false);
    assert.equal(
      await loadError(opts(dir, { fetchText })),
      "extends-cache '${buildout:x}' may not contain ${section:variable} to expand.",
    );
    assert.equal(
      await loadError(
        opts(dir, { fetchText, assignments: [cl("offline=yes")] }),
      ),
      "Invalid value for 'offline' option: 'yes'",
    );
  });
});

Deno.test("path rules: relative to the defining file, ~ expanded, ${ left alone", async () => {
  await withFiles({
    "buildout.cfg":
      "[buildout]\nextends = sub/mid.cfg\ndownload-cache = ~/cache\n" +
      "extends-cache = ${buildout:directory}/ec\n",
    "sub/mid.cfg": "[buildout]\neggs-directory = myeggs\n",
  }, async (dir) => {
    const raw = await loadConfig(opts(dir, { env: { HOME: "/home/me" } }));
    assert.equal(
      value(raw, "buildout", "eggs-directory"),
      join(dir, "sub/myeggs"),
    );
    assert.equal(value(raw, "buildout", "download-cache"), "/home/me/cache");
    assert.equal(
      value(raw, "buildout", "extends-cache"),
      "${buildout:directory}/ec",
    );
    const fromCli = await loadConfig(opts(dir, {
      assignments: [cl("eggs-directory=e2"), cl("directory=" + join(dir, "d"))],
    }));
    assert.equal(
      value(fromCli, "buildout", "eggs-directory"),
      join(dir, "d/e2"),
    );
  });
});

Deno.test("macros: recursive, raw, own options and += on top, < removed", async () => {
  await withFiles({
    "buildout.cfg":
      "[base]\nrecipe = r\nlist = a\nname = ${:_buildout_section_name_}\n" +
      "[mid]\n<= base\nextra = 1\n" +
      "[other]\nextra = 2\nmore = o\n" +
      "[use]\n<= mid\n  other\nlist += b\nown = x\n" +
      "[buildout]\n<= base\n",
  }, async (dir) => {
    const raw = await loadConfig(opts(dir));
    const use = raw.get("use")!;
    assert.deepEqual(
      Object.fromEntries([...use].map(([k, v]) => [k, v.value])),
      {
        recipe: "r",
        list: "a\nb",
        name: "${:_buildout_section_name_}",
        extra: "2",
        more: "o",
        own: "x",
      },
    );
    assert.equal(value(raw, "buildout", "<"), "base");
  });
});

Deno.test("macro errors", async () => {
  await withFiles({
    "missing.cfg": "[buildout]\n[s]\n<= nope\n",
    "loop.cfg": "[buildout]\n[loop1]\n<= loop2\n[loop2]\n<= loop1\n",
  }, async (dir) => {
    assert.equal(
      await loadError(opts(dir, { configFile: "missing.cfg" })),
      "No section named 'nope'",
    );
    assert.equal(
      await loadError(opts(dir, { configFile: "loop.cfg" })),
      "Infinite extending loop 'loop1'",
    );
  });
});

Deno.test("conditional sections: false dropped, true applied in file order", async () => {
  await withFiles({
    "buildout.cfg":
      "[s:windows]\nk = win\n[buildout]\n[s]\nk = plain\n[s:linux]\nk = linux\n" +
      '[t:python_version >= "3.12"]\nk = new\n[buildout:linux]\nextends = more.cfg\n',
    "more.cfg": "[more]\nk = 1\n",
  }, async (dir) => {
    const lines: string[] = [];
    const markerEnv = {
      python_version: "3.11",
      sys_platform: "linux",
      os_name: "posix",
      implementation_name: "cpython",
    };
    const raw = await loadConfig(opts(dir, {
      markerEnv,
      log: new Logger(10, (l) => lines.push(l)),
    }));
    assert.equal(value(raw, "s", "k"), "linux");
    assert.equal(raw.has("t"), false);
    assert.equal(value(raw, "more", "k"), "1");
    assert.deepEqual(lines, [
      "Ignoring section 's' with [expression]: 'windows'",
      `Ignoring section 't' with [expression]: 'python_version >= "3.12"'`,
    ]);
  });
});

Deno.test("a bad condition names file and line", async () => {
  await withFiles(
    { "buildout.cfg": "[buildout]\n\n[s:frob]\n" },
    async (dir) => {
      assert.equal(
        await loadError(opts(dir)),
        `${dir}/buildout.cfg, line 3: Invalid condition 'frob': unknown name 'frob'`,
      );
    },
  );
});

Deno.test("extended-by, command-line extends, optional-extends", async () => {
  await withFiles({
    "old.cfg": "[buildout]\nextended-by = x.cfg\n",
    "buildout.cfg":
      "[buildout]\nx = cfg\noptional-extends = opt.cfg gone.cfg\n",
    "opt.cfg": "[buildout]\no = 1\n",
    "cl.cfg": "[buildout]\nx = clext\n",
  }, async (dir) => {
    assert.equal(
      await loadError(opts(dir, { configFile: "old.cfg" })),
      `No-longer supported "extended-by" option found in ${dir}/old.cfg.`,
    );
    const lines: string[] = [];
    const raw = await loadConfig(opts(dir, {
      assignments: [cl("extends=cl.cfg")],
      log: new Logger(20, (l) => lines.push(l)),
    }));
    assert.equal(value(raw, "buildout", "x"), "clext");
    assert.equal(value(raw, "buildout", "o"), "1");
    assert.equal(raw.get("buildout")!.has("extends"), false);
    assert.deepEqual(lines, ["optional-extends file not found: gone.cfg"]);
  });
});

Deno.test("each URL is fetched once per run", async () => {
  await withFiles({
    "home/default.cfg": "[buildout]\nextends = http://h/shared.cfg\n",
    "buildout.cfg": "[buildout]\nextends = http://h/shared.cfg\n",
  }, async (dir) => {
    const calls: string[] = [];
    const fetchText = (url: string) => {
      calls.push(url);
      return Promise.resolve("[shared]\nk = 1\n");
    };
    const raw = await loadConfig(opts(dir, {
      fetchText,
      userDefaults: true,
      env: { BUILDOUT_HOME: join(dir, "home") },
    }));
    assert.equal(value(raw, "shared", "k"), "1");
    assert.deepEqual(calls, ["http://h/shared.cfg"]);
  });
});
