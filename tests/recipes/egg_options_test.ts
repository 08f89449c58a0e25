/**
 * `[buildout]` options real configurations use, through the CLI: abi-tag-eggs
 * and eggs-directory-version, allow-unknown-extras, use-dependency-links,
 * zc.buildout options that mean nothing here, the index's missing project
 * page, and what zc.recipe.egg parts record.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { runCli, withTempDir } from "../support/run.ts";
import { startLinkServer } from "../support/link_server.ts";

const LINKS = fileURLToPath(new URL("../../fixtures/links", import.meta.url));
const decode = (b: Uint8Array) => new TextDecoder().decode(b);

/** Write buildout.cfg (an empty local index unless the body sets one) and run the CLI. */
async function buildout(dir: string, body: string, args: string[] = []) {
  await Deno.mkdir(join(dir, "empty-index"), { recursive: true });
  const own = /^index =/m.test(body.split("\n\n")[0]);
  const index = own ? "" : `index = ${dir}/empty-index\n`;
  await Deno.writeTextFile(
    join(dir, "buildout.cfg"),
    `[buildout]\n${index}${body}`,
  );
  return await runCli(args, {
    cwd: dir,
    env: { BUILDOUT_HOME: join(dir, "nohome") },
  });
}

async function list(dir: string): Promise<string[]> {
  const names: string[] = [];
  for await (const e of Deno.readDir(dir)) names.push(e.name);
  return names.filter((n) => !n.startsWith(".")).sort();
}

/** The ABI tag, computed here from SOABI as zc.buildout's pep425tags does. */
async function pythonAbiTag(): Promise<string> {
  const out = await new Deno.Command("python3", {
    args: ["-c", "import sysconfig; print(sysconfig.get_config_var('SOABI'))"],
  }).output();
  const soabi = decode(out.stdout).trim();
  assert.match(soabi, /^cpython-\d+-/);
  return "cp" + soabi.split("-")[1];
}

/** The `[name]` section of .installed.cfg as lines. */
async function installedSection(dir: string, name: string): Promise<string[]> {
  const text = await Deno.readTextFile(join(dir, ".installed.cfg"));
  const start = text.indexOf(`[${name}]\n`);
  assert.ok(start >= 0, text);
  const body = text.slice(start + name.length + 3).split("\n\n")[0];
  return body.split("\n").filter(Boolean);
}

Deno.test("abi-tag-eggs installs under the ABI-tag folder (after eggs-directory-version)", async () => {
  const tag = await pythonAbiTag();
  await withTempDir(async (dir) => {
    const part =
      `[app]\nrecipe = zc.recipe.egg\neggs = demo\nfind-links = ${LINKS}\n`;
    let r = await buildout(
      dir,
      `parts = app\nabi-tag-eggs = true\n\n${part}`,
    );
    assert.equal(r.code, 0, r.stderr);
    const eggs = join(dir, "eggs", tag);
    assert.ok(r.stdout.includes(`Creating directory '${eggs}'.\n`), r.stdout);
    assert.deepEqual(await list(join(dir, "eggs")), [tag]);
    assert.deepEqual(await list(eggs), [
      "demo-0.3-py3.11.egg",
      "demoneeded-1.1-py3.11.egg",
    ]);
    const script = await Deno.readTextFile(join(dir, "bin", "demo"));
    assert.ok(script.includes(`  '${eggs}/demo-0.3-py3.11.egg',\n`), script);
    assert.ok(
      (await installedSection(dir, "app")).includes(`eggs-directory = ${eggs}`),
    );
    // zc.buildout 5's eggs-directory-version comes before the tag.
    r = await buildout(
      dir,
      `parts = app\nabi-tag-eggs = true\neggs-directory-version = v5\n\n${part}`,
    );
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(await list(join(dir, "eggs", "v5", tag)), [
      "demo-0.3-py3.11.egg",
      "demoneeded-1.1-py3.11.egg",
    ]);
  });
});

Deno.test("zc.buildout options meaningless here draw no unused-option warning; typos still do", async () => {
  // (relative-paths is not among them: with no egg part to read it,
  // zc.buildout reports it unused, and so does this tool; see update.txt.)
  await withTempDir(async (dir) => {
    const r = await buildout(
      dir,
      "parts =\nunzip = true\npython = buildout\nzc.buildout-version = 3.0\n" +
        "accept-buildout-test-releases = false\ncheck-picked-versions = true\n" +
        "use-dependency-links = false\n" +
        "allow-unknown-extras = false\neggs-directory-version =\nparst = x\n",
    );
    assert.equal(r.code, 0, r.stderr);
    assert.ok(
      r.stdout.endsWith(
        "Section `buildout` contains unused option(s): 'parst'.\n" +
          "This may be an indication for either a typo in the option's name " +
          "or a bug in the used recipe.\n",
      ),
      r.stdout,
    );
    assert.equal(r.stdout.match(/unused option/g)?.length, 1);
  });
});

Deno.test("allow-unknown-extras = true turns the unknown extra into a warning", async () => {
  await withTempDir(async (dir) => {
    const r = await buildout(
      dir,
      `parts = x\nallow-unknown-extras = true\n\n[x]\nrecipe = zc.recipe.egg:eggs\n` +
        `eggs = demo[nope]\nfind-links = ${LINKS}\n`,
    );
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, "");
    assert.deepEqual(r.stdout.split("\n").slice(-5), [
      "Got demo 0.3.",
      "demo 0.3 does not provide the extra 'nope'",
      "Getting distribution for 'demoneeded'.",
      "Got demoneeded 1.1.",
      "",
    ]);
  });
});

Deno.test("no index page: buildout's 'maybe misspelled?' warning, then the While: block", async () => {
  const server = await startLinkServer(LINKS, { logging: true });
  try {
    await withTempDir(async (dir) => {
      const r = await buildout(
        dir,
        `parts = x\nfind-links = ${server.url}\nindex = ${server.url}index/\n\n` +
          "[x]\nrecipe = zc.recipe.egg:eggs\neggs =\n  demo\n  Not_There\n",
      );
      assert.equal(r.code, 1);
      // demo is on the find-links page: its missing index page is no warning.
      assert.ok(
        r.stdout.endsWith(
          "Got demo 0.3.\n" +
            "Couldn't find index page for 'Not_There' (maybe misspelled?)\n" +
            "Getting distribution for 'Not_There'.\n",
        ),
        r.stdout,
      );
      assert.equal(r.stdout.match(/index page/g)?.length, 1);
      assert.equal(
        r.stderr,
        "While:\n  Installing x.\n  Getting distribution for 'Not_There'.\n" +
          "Error: Couldn't find a distribution for 'Not_There'.\n",
      );
      const log = server.log();
      assert.ok(log.includes("GET 404 /index/not-there/"), log.join("\n"));
      assert.ok(log.includes("GET 200 /index/"), log.join("\n"));
    });
  } finally {
    await server.close();
  }
});

Deno.test("use-dependency-links: a develop egg's dependency_links are find-links unless false", async () => {
  const server = await startLinkServer(LINKS, { logging: true });
  try {
    await withTempDir(async (dir) => {
      const src = join(dir, "depdemo");
      await Deno.mkdir(src);
      await Deno.writeTextFile(join(src, "depdemo.py"), "");
      await Deno.writeTextFile(
        join(src, "setup.py"),
        "from setuptools import setup\n" +
          "setup(name='depdemo', version='1', py_modules=['depdemo'],\n" +
          `      install_requires=['demoneeded'], dependency_links=['${server.url}'])\n`,
      );
      const cfg = (extra: string) =>
        `develop = depdemo\nparts = eggs\n${extra}\n` +
        "[eggs]\nrecipe = zc.recipe.egg:eggs\neggs = depdemo\n";
      let r = await buildout(dir, cfg(""));
      assert.equal(r.code, 0, r.stderr);
      assert.ok(
        r.stdout.endsWith(
          "Installing eggs.\nGetting distribution for 'demoneeded'.\nGot demoneeded 1.1.\n",
        ),
        r.stdout,
      );
      assert.deepEqual(server.log(), [
        "GET 200 /",
        "GET 200 /demoneeded-1.1.zip",
      ]);
      server.clearLog();
      for (const name of await list(join(dir, "eggs"))) {
        await Deno.remove(join(dir, "eggs", name), { recursive: true });
      }
      r = await buildout(dir, cfg("use-dependency-links = false\n"));
      assert.equal(r.code, 1);
      assert.equal(
        r.stderr,
        "While:\n  Updating eggs.\n  Getting distribution for 'demoneeded'.\n" +
          "Error: Couldn't find a distribution for 'demoneeded'.\n",
      );
      assert.deepEqual(server.log(), []);
    });
  } finally {
    await server.close();
  }
});

Deno.test("zc.recipe.egg parts record index, find-links and the directories as zc.buildout does", async () => {
  await withTempDir(async (dir) => {
    const r = await buildout(
      dir,
      `parts = a b c\n\n[a]\nrecipe = zc.recipe.egg:eggs\neggs = demo\nfind-links = ${LINKS}\n\n` +
        "[b]\nrecipe = zc.recipe.egg\neggs = demo\nindex = ${a:index}\n" +
        "find-links = ${a:find-links}\nrelative-paths = true\n\n" +
        "[c]\nrecipe = zc.recipe.egg:eggs\neggs =\n",
    );
    assert.equal(r.code, 0, r.stderr);
    const d = (sub: string) => `${dir}/${sub}`;
    assert.deepEqual(await installedSection(dir, "a"), [
      "__buildout_installed__ = ",
      "__buildout_signature__ = zc-recipe-egg:eggs buildout-deno-0.1.0",
      `_d = ${d("develop-eggs")}`,
      `_e = ${d("eggs")}`,
      `develop-eggs-directory = ${d("develop-eggs")}`,
      "eggs = demo",
      `eggs-directory = ${d("eggs")}`,
      `find-links = ${LINKS}`,
      `index = ${d("empty-index")}`,
      "recipe = zc.recipe.egg:eggs",
    ]);
    const b = await installedSection(dir, "b");
    for (
      const line of [
        `_b = ${d("bin")}`,
        `bin-directory = ${d("bin")}`,
        `buildout-directory = ${dir}`,
        `find-links = ${LINKS}`,
        `index = ${d("empty-index")}`,
      ]
    ) assert.ok(b.includes(line), b.join("\n"));
    // No find-links anywhere: no empty `find-links =` line.
    const c = await installedSection(dir, "c");
    assert.ok(!c.some((l) => l.startsWith("find-links")), c.join("\n"));
  });
});
