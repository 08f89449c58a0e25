import assert from "node:assert/strict";
import { join } from "node:path";
import { Logger } from "../../src/log.ts";
import { DistCache } from "../../src/fetch/cache.ts";
import { type DistFile, parseDistFilename } from "../../src/pypa/filename.ts";
import { parseRequirement } from "../../src/pypa/requirement.ts";
import {
  getInterpreter,
  type Interpreter,
} from "../../src/python/interpreter.ts";
import {
  DEFAULT_INDEX,
  Finder,
  type FinderOptions,
  hostAllowed,
  ReadMemo,
} from "../../src/find/finder.ts";
import { chooseBest } from "../../src/find/choose.ts";
import { startLinkServer } from "../support/link_server.ts";
import { fakeInterpreter } from "../support/interpreter.ts";

const INTERP: Interpreter = fakeInterpreter({
  python_version: "3.11",
  sys_platform: "linux",
});

const SERVED = [
  "demo-0.1-py3-none-any.whl",
  "demo-0.2-py3-none-any.whl",
  "demo-0.3-py3-none-any.whl",
  "demo-0.4rc1-py3-none-any.whl",
  "demoneeded-1.0.tar.gz",
  "demoneeded-1.1.tar.gz",
  "demoneeded-1.2rc1.tar.gz",
  "other-1.0-py2.4.egg",
  "other-1.0-cp27-cp27mu-linux_x86_64.whl",
  "README.txt",
];

async function tree(root: string, files: string[]): Promise<void> {
  for (const f of files) {
    const path = join(root, f);
    if (f.endsWith("/")) await Deno.mkdir(path, { recursive: true });
    else {
      await Deno.mkdir(join(path, ".."), { recursive: true });
      await Deno.writeTextFile(path, "x");
    }
  }
}

/** A DistCache stand-in that counts its listings. */
function fakeCache(dir: string, filenames: string[]) {
  const state = { listings: 0 };
  const cache = {
    dir,
    list(): Promise<DistFile[]> {
      state.listings++;
      return Promise.resolve(
        filenames.map((f) => parseDistFilename(f)).filter((f): f is DistFile =>
          !!f
        ),
      );
    },
    pathOf: (filename: string) => join(dir, filename),
  } as unknown as DistCache;
  return { cache, state };
}

function setup(o: Partial<FinderOptions>) {
  const lines: string[] = [];
  const finder = new Finder({
    findLinks: [],
    allowHosts: ["*"],
    installFromCache: false,
    interpreter: INTERP,
    log: new Logger(20, (l) => lines.push(l)),
    ...o,
  });
  return { finder, lines };
}

async function withServer(
  files: string[],
  fn: (url: string, log: () => string[], dir: string) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "finder-" });
  await tree(dir, files);
  const server = await startLinkServer(dir, { logging: true });
  try {
    await fn(server.url, server.log, dir);
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
}

const names = (cs: { file: DistFile }[]) => cs.map((c) => c.file.filename);

Deno.test("warm seed run: cache first, find-links page once, index page 404 then the root once", async () => {
  await withServer([...SERVED, "index/"], async (url, log) => {
    const { cache, state } = fakeCache("/cache/dist", [
      "demo-0.2-py3-none-any.whl",
      "demoneeded-1.1.tar.gz",
    ]);
    const { finder, lines } = setup({
      findLinks: [url],
      index: url + "index/",
      distCache: cache,
    });
    const [demo, needed] = await Promise.all([
      finder.candidates("demo"),
      finder.candidates("demoneeded"),
    ]);
    await finder.candidates("Demo"); // memoised: no further requests
    assert.deepEqual(log().sort(), [
      "GET 200 /",
      "GET 200 /index/",
      "GET 404 /index/demo/",
      "GET 404 /index/demoneeded/",
    ]);
    assert.equal(log()[0], "GET 200 /");
    assert.equal(state.listings, 1);
    assert.deepEqual(lines, []);
    assert.deepEqual(names(demo), [
      "demo-0.2-py3-none-any.whl",
      "demo-0.1-py3-none-any.whl",
      "demo-0.2-py3-none-any.whl",
      "demo-0.3-py3-none-any.whl",
      "demo-0.4rc1-py3-none-any.whl",
    ]);
    assert.deepEqual(demo.map((c) => c.origin), [
      "cache",
      "find-links",
      "find-links",
      "find-links",
      "find-links",
    ]);
    assert.equal(demo[0].url, "/cache/dist/demo-0.2-py3-none-any.whl");
    assert.equal(demo[1].url, url + "demo-0.1-py3-none-any.whl");
    // the best version is cached: the cache copy is chosen, nothing to download
    const pinned = chooseBest(parseRequirement("demo==0.2"), demo, {
      preferFinal: true,
    });
    assert.equal(pinned?.origin, "cache");
    const best = chooseBest(parseRequirement("demoneeded"), needed, {
      preferFinal: true,
    });
    assert.equal(best?.url, "/cache/dist/demoneeded-1.1.tar.gz");
    // a newer remote version wins over the cache
    const newest = chooseBest(parseRequirement("demo"), demo, {
      preferFinal: true,
    });
    assert.equal(newest?.url, url + "demo-0.3-py3-none-any.whl");
  });
});

Deno.test("a real download cache on disk: its files come first, under their cache paths", async () => {
  await withServer([...SERVED, "index/"], async (url, log, dir) => {
    const cacheDir = join(dir, "cache", "dist");
    await tree(join(dir, "cache"), [
      "dist/demo-0.2-py3-none-any.whl",
      "dist/demoneeded-1.1.tar.gz",
      "dist/notes.txt",
    ]);
    const { finder } = setup({
      findLinks: [url],
      index: url + "index/",
      distCache: new DistCache(cacheDir),
    });
    const needed = await finder.candidates("demoneeded");
    assert.deepEqual(needed.map((c) => [c.origin, c.url]).slice(0, 2), [
      ["cache", join(cacheDir, "demoneeded-1.1.tar.gz")],
      ["find-links", url + "demoneeded-1.0.tar.gz"],
    ]);
    const best = chooseBest(parseRequirement("demoneeded"), needed, {
      preferFinal: true,
    });
    assert.equal(best?.url, join(cacheDir, "demoneeded-1.1.tar.gz"));
    assert.deepEqual(log(), [
      "GET 200 /",
      "GET 404 /index/demoneeded/",
      "GET 200 /index/",
    ]);
  });
});

Deno.test("install-from-cache: only dist/, zero requests, no warnings", async () => {
  await withServer([...SERVED, "index/"], async (url, log) => {
    const { cache, state } = fakeCache("/cache/dist", [
      "demo-0.2-py3-none-any.whl",
      "demoneeded-1.1.tar.gz",
    ]);
    const { finder, lines } = setup({
      findLinks: [url, "/no/such/folder"],
      index: url + "index/",
      distCache: cache,
      installFromCache: true,
    });
    assert.deepEqual(names(await finder.candidates("demo")), [
      "demo-0.2-py3-none-any.whl",
    ]);
    assert.deepEqual(await finder.candidates("bigdemo"), []);
    assert.deepEqual(log(), []);
    assert.deepEqual(lines, []);
    assert.equal(state.listings, 1);
  });
});

Deno.test("incompatible files are dropped (py2.4 egg, cp27 wheel), non-dist links ignored", async () => {
  await withServer([...SERVED, "index/"], async (url) => {
    const { finder } = setup({ findLinks: [url], index: url + "index/" });
    assert.deepEqual(await finder.candidates("other"), []);
    assert.deepEqual(names(await finder.candidates("demoneeded")), [
      "demoneeded-1.0.tar.gz",
      "demoneeded-1.1.tar.gz",
      "demoneeded-1.2rc1.tar.gz",
    ]);
  });
});

Deno.test("local find-links: a folder listed once, a file, a missing path warned about", async () => {
  const dir = await Deno.makeTempDir({ prefix: "finder-local-" });
  try {
    await tree(dir, [
      "links/demo-0.1-py3-none-any.whl",
      "links/demoneeded-1.0.tar.gz",
      "links/sub/demo-9.9-py3-none-any.whl",
      "single/demo-0.3.tar.gz",
      "index/",
    ]);
    const missing = join(dir, "missing");
    const { finder, lines } = setup({
      findLinks: [
        join(dir, "links"),
        join(dir, "single", "demo-0.3.tar.gz"),
        missing,
      ],
      index: join(dir, "index"),
    });
    const demo = await finder.candidates("demo");
    assert.deepEqual(demo.map((c) => c.url), [
      join(dir, "links", "demo-0.1-py3-none-any.whl"),
      join(dir, "single", "demo-0.3.tar.gz"),
    ]);
    assert.deepEqual(demo.map((c) => c.origin), ["find-links", "find-links"]);
    assert.deepEqual(
      (await finder.candidates("demoneeded")).map((c) => c.url),
      [join(dir, "links", "demoneeded-1.0.tar.gz")],
    );
    finder.report("demo");
    assert.deepEqual(lines, [`Not found: ${missing}`]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a file:// folder with an index.html is read as that page", async () => {
  const dir = await Deno.makeTempDir({ prefix: "finder-html-" });
  try {
    await tree(dir, [
      "page/demo-0.1-py3-none-any.whl",
      "page/demo-0.2-py3-none-any.whl",
    ]);
    await Deno.writeTextFile(
      join(dir, "page", "index.html"),
      `<a href="demo-0.2-py3-none-any.whl#md5=abc">only this one</a>`,
    );
    const { finder } = setup({
      findLinks: ["file://" + join(dir, "page")],
      index: join(dir, "page"),
    });
    const demo = await finder.candidates("demo");
    assert.equal(demo[0].url, join(dir, "page", "demo-0.2-py3-none-any.whl"));
    assert.deepEqual(demo[0].hashes, { md5: "abc" });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a find-links URL naming a dist file is registered without a request", async () => {
  await withServer([...SERVED, "index/"], async (url, log) => {
    const { finder } = setup({
      findLinks: [url + "demo-0.3-py3-none-any.whl#sha256=feed"],
      index: url + "index/",
    });
    const demo = await finder.candidates("demo");
    assert.deepEqual(demo.map((c) => [c.url, c.hashes]), [
      [url + "demo-0.3-py3-none-any.whl", { sha256: "feed" }],
    ]);
    assert.deepEqual(log(), ["GET 404 /index/demo/", "GET 200 /index/"]);
  });
});

Deno.test("allow-hosts: pages and dist links of other hosts are silently ignored", async () => {
  await withServer([...SERVED, "index/"], async (url, log) => {
    const port = new URL(url).port;
    const blocked = setup({
      findLinks: [url],
      index: url + "index/",
      allowHosts: ["*.example.com"],
    });
    assert.deepEqual(await blocked.finder.candidates("demo"), []);
    assert.deepEqual(log(), []);
    assert.deepEqual(blocked.lines, []);
    const allowed = setup({
      findLinks: [url],
      index: url + "index/",
      allowHosts: [`127.0.0.1:${port}`],
    });
    assert.equal((await allowed.finder.candidates("demo")).length, 4);
    assert.deepEqual(log(), [
      "GET 200 /",
      "GET 404 /index/demo/",
      "GET 200 /index/",
    ]);
  });
  assert.equal(hostAllowed("http://127.0.0.1:8080/x", ["127.0.0.1"]), false);
  assert.equal(hostAllowed("http://127.0.0.1:8080/x", ["127.0.0.1:*"]), true);
  assert.equal(hostAllowed("https://PyPI.org/simple/", ["pypi.org"]), true);
  assert.equal(
    hostAllowed("https://files.pythonhosted.org/a", [
      "*.python.org",
      "*.pythonhosted.org",
    ]),
    true,
  );
  assert.equal(hostAllowed("file:///tmp/x.zip", ["none"]), true);
  assert.equal(hostAllowed("/tmp/x.zip", ["none"]), true);
  assert.equal(hostAllowed("http://x.org/", []), true);
});

Deno.test("index root fallback follows the root's link to the project page (any spelling)", async () => {
  await withServer([
    "index/MixedCase/mixedcase-0.5.tar.gz",
    "index/other/other-1.0.tar.gz",
  ], async (url, log) => {
    const { finder } = setup({ index: url + "index" });
    const found = await finder.candidates("MIXEDCASE");
    assert.deepEqual(names(found), ["mixedcase-0.5.tar.gz"]);
    assert.equal(found[0].origin, "index");
    assert.deepEqual(log(), [
      "GET 404 /index/mixedcase/",
      "GET 200 /index/",
      "GET 200 /index/MixedCase/",
    ]);
  });
});

Deno.test("a page that cannot be read is a warning, the lookup goes on", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const dead = `http://127.0.0.1:${port}/links/`;
  await withServer([...SERVED, "index/"], async (url) => {
    const { finder, lines } = setup({
      findLinks: [dead, url],
      index: url + "index/",
    });
    assert.equal((await finder.candidates("demo")).length, 4);
    assert.deepEqual(lines, []); // held back until reported, in order
    finder.report("demo");
    await finder.candidates("demoneeded");
    finder.report("demoneeded");
    assert.equal(lines.length, 1);
    assert.match(
      lines[0],
      new RegExp(
        `^Download error on ${dead}: .+ -- Some packages may not be found!$`,
      ),
    );
  });
});

/** A PEP 691 / PEP 503 index of our own that records requests and Accept headers. */
async function withIndex(
  routes: Record<string, { type: string; body: string }>,
  fn: (url: string, log: string[]) => Promise<void>,
): Promise<void> {
  const log: string[] = [];
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    (req) => {
      const path = new URL(req.url).pathname;
      const route = routes[path];
      log.push(
        `GET ${route ? 200 : 404} ${path} ${req.headers.get("accept") ?? "-"}`,
      );
      return route
        ? new Response(route.body, { headers: { "content-type": route.type } })
        : new Response("<html><body>Not Found</body></html>", {
          status: 404,
          headers: { "content-type": "text/html" },
        });
    },
  );
  try {
    await fn(`http://127.0.0.1:${(server.addr as Deno.NetAddr).port}/`, log);
  } finally {
    await server.shutdown();
  }
}

Deno.test("index: PEP 691 JSON asked for and read, requires-python and yanked honoured", async () => {
  const json = JSON.stringify({
    meta: { "api-version": "1.0" },
    name: "demo",
    files: [
      {
        filename: "demo-0.1.tar.gz",
        url: "/files/demo-0.1.tar.gz",
        hashes: { sha256: "01" },
      },
      {
        filename: "demo-0.2.tar.gz",
        url: "/files/demo-0.2.tar.gz",
        hashes: {},
        "requires-python": ">=3.12",
      },
      {
        filename: "demo-0.3.tar.gz",
        url: "/files/demo-0.3.tar.gz",
        hashes: {},
        yanked: "broken",
      },
      {
        filename: "demo-0.2-py3-none-any.whl",
        url: "/files/demo-0.2-py3-none-any.whl",
        hashes: {},
        "requires-python": ">=3.8, <4",
      },
    ],
  });
  await withIndex({
    "/simple/demo/": {
      type: "application/vnd.pypi.simple.v1+json",
      body: json,
    },
  }, async (url, log) => {
    const { finder, lines } = setup({ index: url + "simple" });
    const demo = await finder.candidates("demo");
    assert.deepEqual(log, [
      "GET 200 /simple/demo/ application/vnd.pypi.simple.v1+json, text/html;q=0.5",
    ]);
    assert.deepEqual(lines, []);
    assert.deepEqual(names(demo), [
      "demo-0.1.tar.gz",
      "demo-0.3.tar.gz",
      "demo-0.2-py3-none-any.whl",
    ]);
    assert.deepEqual(demo[0].hashes, { sha256: "01" });
    assert.equal(demo[0].url, url + "files/demo-0.1.tar.gz");
    assert.equal(demo[1].yanked, true);
    const opts = { preferFinal: true };
    assert.equal(
      chooseBest(parseRequirement("demo"), demo, opts)?.file.filename,
      "demo-0.2-py3-none-any.whl",
    );
    assert.equal(
      chooseBest(parseRequirement("demo==0.3"), demo, opts)?.file.filename,
      "demo-0.3.tar.gz",
    );
    assert.equal(
      chooseBest(parseRequirement("demo>0.2"), demo, opts),
      undefined,
    );
  });
});

Deno.test("index: an HTML project page works too, data-requires-python excluding us drops the file", async () => {
  const html = `<html><body>
    <a href="../../files/demo-0.1.tar.gz#sha256=aa" data-requires-python="&gt;=3.6">demo-0.1.tar.gz</a>
    <a href="../../files/demo-0.2.tar.gz" data-requires-python="&lt;3">demo-0.2.tar.gz</a>
    <a href="../../files/demo-0.3.tar.gz" data-yanked="">demo-0.3.tar.gz</a>
  </body></html>`;
  await withIndex(
    { "/simple/demo/": { type: "text/html", body: html } },
    async (url) => {
      const { finder } = setup({ index: url + "simple/" });
      const demo = await finder.candidates("demo");
      assert.deepEqual(names(demo), ["demo-0.1.tar.gz", "demo-0.3.tar.gz"]);
      assert.equal(demo[0].url, url + "files/demo-0.1.tar.gz");
      assert.deepEqual(demo[0].hashes, { sha256: "aa" });
      assert.equal(demo[1].yanked, true);
    },
  );
});

Deno.test("find-links pages count only when HTML; the default index is PyPI", async () => {
  await withIndex({
    "/plain": { type: "text/plain", body: `<a href="demo-0.1.tar.gz">x</a>` },
    "/index/": { type: "text/html", body: "<html></html>" },
  }, async (url, log) => {
    const { finder } = setup({
      findLinks: [url + "plain"],
      index: url + "index/",
    });
    assert.deepEqual(await finder.candidates("demo"), []);
    assert.equal(log.length, 3);
  });
  assert.equal(DEFAULT_INDEX, "https://pypi.org/simple/");
});

Deno.test("scale: 200 cached distributions resolve with one listing of the cache", async () => {
  const files: string[] = [];
  for (let i = 0; i < 200; i++) {
    files.push(`pkg${i}-1.0-py3-none-any.whl`, `pkg${i}-1.1.tar.gz`);
  }
  const { cache, state } = fakeCache("/cache/dist", files);
  const { finder, lines } = setup({
    distCache: cache,
    installFromCache: true,
    findLinks: ["http://unused.invalid/"],
  });
  const results = await Promise.all(
    Array.from({ length: 200 }, (_, i) => finder.candidates(`PKG${i}`)),
  );
  for (const [i, r] of results.entries()) {
    assert.deepEqual(names(r), [
      `pkg${i}-1.0-py3-none-any.whl`,
      `pkg${i}-1.1.tar.gz`,
    ]);
    assert.equal(
      chooseBest(parseRequirement(`pkg${i}`), r, { preferFinal: true })?.file
        .version,
      "1.1",
    );
  }
  assert.equal(state.listings, 1);
  assert.deepEqual(lines, []);
});

Deno.test("seed fixtures with the machine's python3: buildout's choices and requests", async () => {
  const interpreter = await getInterpreter("python3");
  const fixtures = new URL("../../fixtures/links/", import.meta.url).pathname;
  const server = await startLinkServer(fixtures, { logging: true });
  try {
    const { finder, lines } = setup({
      findLinks: [server.url],
      index: server.url + "index/",
      interpreter,
    });
    const pick = async (text: string, preferFinal: boolean) => {
      const req = parseRequirement(text);
      const best = chooseBest(req, await finder.candidates(req.key), {
        preferFinal,
        interpreter,
      });
      return best?.file.filename;
    };
    const py = interpreter.pyVersion;
    assert.equal(await pick("demo", true), `demo-0.3-py${py}.egg`);
    assert.equal(await pick("demo", false), `demo-0.4c1-py${py}.egg`);
    assert.equal(await pick("demo ==0.2", true), `demo-0.2-py${py}.egg`);
    assert.equal(await pick("demoneeded", true), "demoneeded-1.1.zip");
    assert.equal(await pick("demoneeded", false), "demoneeded-1.2c1.zip");
    assert.equal(await pick("nosuchproject", true), undefined);
    assert.deepEqual(server.log(), [
      "GET 200 /",
      "GET 404 /index/demo/",
      "GET 200 /index/",
      "GET 404 /index/demoneeded/",
      "GET 404 /index/nosuchproject/",
    ]);
    assert.deepEqual(lines, []);
  } finally {
    await server.close();
  }
});

Deno.test("finders sharing a ReadMemo read each page once per run", async () => {
  await withServer([...SERVED, "index/"], async (url, log, dir) => {
    const reads = new ReadMemo();
    const local = join(dir, "index");
    const a = setup({ findLinks: [url], index: local, reads }).finder;
    const b = setup({ findLinks: [url, local], index: local, reads }).finder;
    assert.deepEqual(
      names(await a.candidates("demo")),
      names(await b.candidates("demo")),
    );
    assert.deepEqual(log(), ["GET 200 /"]);
  });
});
