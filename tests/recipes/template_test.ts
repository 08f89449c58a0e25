import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { runCli, withTempDir } from "../support/run.ts";
import { startLinkServer } from "../support/link_server.ts";
import {
  renderBuildout,
  renderGenshi,
} from "../../src/recipes/template/render.ts";

async function write(b: string, name: string, text: string) {
  await Deno.writeTextFile(join(b, name), text);
}

async function exists(p: string) {
  return await Deno.lstat(p).then(() => true, () => false);
}

const md5 = (s: string) => createHash("md5").update(s).digest("hex");

const cfg = (body: string, head = "") =>
  `[buildout]\nparts = template\n${head}\n[template]\nrecipe = collective.recipe.template\n${body}`;

Deno.test("renderBuildout: references, own options, $${ escapes", () => {
  const data: Record<string, Record<string, string>> = {
    buildout: { directory: "/b" },
    t: { msg: "hi", "a-b": "x" },
  };
  const look = (s: string, o: string) => data[s]?.[o];
  assert.equal(
    renderBuildout(
      "${buildout:directory} ${msg} ${:a-b} $${HOME} $$ $x",
      "t",
      look,
    ),
    "/b hi x ${HOME} $$ $x",
  );
  assert.throws(
    () => renderBuildout("${nope}", "t", look),
    /Referenced option does not exist: t nope/,
  );
});

Deno.test("renderGenshi: lookups only", () => {
  const look = (s: string, o: string) => `${s}/${o}`;
  assert.equal(
    renderGenshi(
      "${parts.buildout.directory} ${parts.buildout['bin-directory']} ${options['x-y']} $$HOME",
      "t",
      look,
    ),
    "buildout/directory buildout/bin-directory t/x-y $HOME",
  );
  assert.throws(
    () => renderGenshi("ok\n{% if x %}y{% end %}", "t", look),
    /collective\.recipe\.template:genshi is not supported for this template: line 2 uses genshi syntax \(\{% if x %\}\)/,
  );
  assert.throws(() => renderGenshi("${1 + 2}", "t", look), /not supported/);
});

Deno.test("collective.recipe.template: file input, update on template change, no-op, overwrite, uninstall", () =>
  withTempDir(async (b) => {
    await write(
      b,
      "template.in",
      "dir ${buildout:directory}\nmsg ${mymessage}\n",
    );
    await Deno.chmod(join(b, "template.in"), 0o750);
    await write(
      b,
      "buildout.cfg",
      cfg(
        "input = template.in\noutput = ${buildout:parts-directory}/etc/deep/out\nmymessage = Hello\n",
      ),
    );
    const out = join(b, "parts", "etc", "deep", "out");
    const r = await runCli(["-U"], { cwd: b });
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /^Installing template\.$/m);
    assert.equal(await Deno.readTextFile(out), `dir ${b}\nmsg Hello\n`);
    // the mode of the input file is copied
    assert.equal((await Deno.stat(out)).mode! & 0o777, 0o750);
    const installed = await Deno.readTextFile(join(b, ".installed.cfg"));
    assert.match(
      installed,
      new RegExp(
        `__buildout_installed__ = ${b}/parts/etc\\n\\t${b}/parts/etc/deep\\n\\t${out}\\n`,
      ),
    );

    // rerun: nothing rewritten (mtime kept), nothing recorded anew
    const mtime = (await Deno.stat(out)).mtime;
    const rec = (await Deno.stat(join(b, ".installed.cfg"))).mtime;
    await new Promise((r) => setTimeout(r, 20));
    const noop = await runCli(["-U"], { cwd: b });
    assert.equal(noop.stdout, "Updating template.\n");
    assert.deepEqual((await Deno.stat(out)).mtime, mtime);
    assert.deepEqual((await Deno.stat(join(b, ".installed.cfg"))).mtime, rec);

    // the template changed (options did not): the update rewrites the output
    await write(b, "template.in", "changed ${mymessage}\n");
    const u = await runCli(["-U"], { cwd: b });
    assert.equal(u.code, 0, u.stderr);
    assert.equal(u.stdout, "Updating template.\n");
    assert.equal(await Deno.readTextFile(out), "changed Hello\n");

    // an edited output is overwritten on update by default
    await write(b, "parts/etc/deep/out", "edited\n");
    await runCli(["-U"], { cwd: b });
    assert.equal(await Deno.readTextFile(out), "changed Hello\n");

    // an option changed: reinstall; the old output folders go
    await write(
      b,
      "buildout.cfg",
      cfg(
        "input = template.in\noutput = out.txt\nmymessage = Bye\nmode = 0600\n",
      ),
    );
    const re = await runCli(["-U"], { cwd: b });
    assert.equal(re.code, 0, re.stderr);
    assert.match(
      re.stdout,
      /^Uninstalling template\.\nInstalling template\.$/m,
    );
    assert.equal(await exists(join(b, "parts", "etc")), false);
    assert.equal(await Deno.readTextFile(join(b, "out.txt")), "changed Bye\n");
    assert.equal((await Deno.stat(join(b, "out.txt"))).mode! & 0o777, 0o600);

    // removing the part removes the output
    await write(b, "buildout.cfg", "[buildout]\nparts =\n");
    const un = await runCli(["-U"], { cwd: b });
    assert.equal(un.code, 0, un.stderr);
    assert.match(un.stdout, /^Uninstalling template\.$/m);
    assert.equal(await exists(join(b, "out.txt")), false);
  }));

Deno.test("collective.recipe.template: overwrite = false keeps an existing output and leaves it on uninstall", () =>
  withTempDir(async (b) => {
    await write(
      b,
      "buildout.cfg",
      cfg(
        "inline =\n  #!/bin/sh\n  echo ${:word}\noutput = run.sh\nword = hi\nmode = 755\noverwrite = false\n",
      ),
    );
    const r = await runCli(["-U"], { cwd: b });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      await Deno.readTextFile(join(b, "run.sh")),
      "#!/bin/sh\necho hi",
    );
    assert.equal((await Deno.stat(join(b, "run.sh"))).mode! & 0o777, 0o755);
    await write(b, "run.sh", "mine\n");
    const u = await runCli(["-U"], { cwd: b });
    assert.equal(u.stdout, "Updating template.\n");
    assert.equal(await Deno.readTextFile(join(b, "run.sh")), "mine\n");
    await write(b, "buildout.cfg", "[buildout]\nparts =\n");
    assert.equal((await runCli(["-U"], { cwd: b })).code, 0);
    assert.equal(await Deno.readTextFile(join(b, "run.sh")), "mine\n");
  }));

Deno.test("collective.recipe.template: inline: input and references to another part install it first", () =>
  withTempDir(async (b) => {
    await write(
      b,
      "buildout.cfg",
      cfg(
        "input = inline:\n  data in ${data:paths}\n  literal $${HOME}\noutput = out\n",
      ) + "\n[data]\nrecipe = mkdir\npaths = var/data\n",
    );
    const r = await runCli(["-U"], { cwd: b });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Installing data\.\n[^]*Installing template\.$/m);
    assert.equal(
      await Deno.readTextFile(join(b, "out")),
      `data in ${b}/var/data\nliteral \${HOME}`,
    );
  }));

Deno.test("collective.recipe.template: bad options are one error line", () =>
  withTempDir(async (b) => {
    await write(b, "nope.in", "${nope}");
    const cases: [string, string][] = [
      ["output = x\n", "No input file, inline template, or URL specified."],
      ["input = t.in\n", "No output file specified."],
      ["input = t.in\ninline = x\noutput = x\n", "Too many input sources."],
      [
        "input = missing.in\noutput = x\n",
        "Input file 'missing.in' does not exist.",
      ],
      [
        "input = nope.in\noutput = x\n",
        "Referenced option does not exist: template nope",
      ],
      // an inline template is an option value: buildout substitutes it first
      [
        "inline = ${nope}\noutput = x\n",
        "The substitution, ${nope},\ndoesn't contain a colon.",
      ],
      [
        "inline = x\noutput = x\nmode = rwx\n",
        "Invalid mode 'rwx': expected octal like 0755",
      ],
    ];
    for (const [body, error] of cases) {
      await write(b, "buildout.cfg", cfg(body));
      const r = await runCli(["-U"], { cwd: b });
      assert.equal(r.code, 1, body);
      assert.ok(r.stderr.endsWith(`Error: ${error}\n`), r.stderr);
      assert.equal(await exists(join(b, "x")), false);
    }
    await write(
      b,
      "buildout.cfg",
      cfg("inline = {% for x in y %}\noutput = x\n").replace(
        "collective.recipe.template",
        "collective.recipe.template[genshi]:genshi",
      ),
    );
    const g = await runCli(["-U"], { cwd: b });
    assert.equal(g.code, 1);
    assert.match(
      g.stderr,
      /Error: The recipe collective\.recipe\.template:genshi is not supported for this template: line 1/,
    );
  }));

Deno.test("collective.recipe.template:genshi renders lookups", () =>
  withTempDir(async (b) => {
    await write(
      b,
      "t.in",
      "${parts.buildout.directory}\n${options['some-option']}\n$${X}\n",
    );
    await write(
      b,
      "buildout.cfg",
      cfg("input = t.in\noutput = out\nsome-option = value\n").replace(
        "collective.recipe.template",
        "collective.recipe.template[genshi]:genshi",
      ),
    );
    const r = await runCli(["-U"], { cwd: b });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      await Deno.readTextFile(join(b, "out")),
      `${b}\nvalue\n\${X}\n`,
    );
  }));

Deno.test("collective.recipe.template: url through the download cache, md5sum, install-from-cache", () =>
  withTempDir(async (b) => {
    const srv = join(b, "srv");
    await Deno.mkdir(srv);
    const text = "from url: ${buildout:directory}\n";
    await write(srv, "t.in", text);
    await Deno.mkdir(join(b, "cache"));
    const server = await startLinkServer(srv, { logging: true });
    try {
      const body = `url = ${server.url}t.in\nmd5sum = ${
        md5(text)
      }\noutput = out\n`;
      await write(b, "buildout.cfg", cfg(body, "download-cache = cache\n"));
      const r = await runCli(["-U"], { cwd: b });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(await Deno.readTextFile(join(b, "out")), `from url: ${b}\n`);
      assert.deepEqual(server.log(), ["GET 200 /t.in"]);
      assert.equal(
        await Deno.readTextFile(join(b, "cache", "template", "t.in")),
        text,
      );

      // install-from-cache: the cached template, no request
      server.clearLog();
      await Deno.remove(join(b, "out"));
      await write(
        b,
        "buildout.cfg",
        cfg(body, "download-cache = cache\ninstall-from-cache = true\n"),
      );
      const c = await runCli(["-U"], { cwd: b });
      assert.equal(c.code, 0, c.stderr);
      assert.equal(await Deno.readTextFile(join(b, "out")), `from url: ${b}\n`);
      assert.deepEqual(server.log(), []);

      // a wrong md5sum is an error, nothing written
      await write(
        b,
        "buildout.cfg",
        cfg(
          `url = ${server.url}t.in\nmd5sum = ${md5("other")}\noutput = out2\n`,
        ),
      );
      const bad = await runCli(["-U"], { cwd: b });
      assert.equal(bad.code, 1);
      assert.match(
        bad.stderr,
        /While:\n {2}Installing template\.\nError: MD5 checksum mismatch/,
      );
      assert.equal(await exists(join(b, "out2")), false);
    } finally {
      await server.close();
    }
  }));
