import assert from "node:assert/strict";
import {
  decodeEntities,
  HtmlLinkStream,
  parseHtmlLinks,
  parseJsonLinks,
  parsePage,
  splitHashFragment,
  urlBasename,
} from "../../src/find/links.ts";

const PAGE = "http://127.0.0.1:8080/links/page.html";

Deno.test("parseHtmlLinks: double, single and no quotes, any case", () => {
  const html = `<html><body>
    <a href="demo-0.1.zip">a</a>
    <A HREF='demo-0.2.zip'>b</A>
    <a class=x href=demo-0.3.zip>c</a>
    <a data-x="1" Href = "demo-0.4.zip" >d</a>
  </body></html>`;
  assert.deepEqual(
    parseHtmlLinks(html, PAGE).map((l) => l.url),
    [
      "http://127.0.0.1:8080/links/demo-0.1.zip",
      "http://127.0.0.1:8080/links/demo-0.2.zip",
      "http://127.0.0.1:8080/links/demo-0.3.zip",
      "http://127.0.0.1:8080/links/demo-0.4.zip",
    ],
  );
});

Deno.test("parseHtmlLinks: relative, absolute and root links resolve against the final URL", () => {
  const html = `<a href="../dist/a-1.zip">1</a><a href="/b-1.zip">2</a>
    <a href="http://other.example/c-1.zip">3</a><a href="sub/">4</a>`;
  assert.deepEqual(parseHtmlLinks(html, PAGE).map((l) => l.url), [
    "http://127.0.0.1:8080/dist/a-1.zip",
    "http://127.0.0.1:8080/b-1.zip",
    "http://other.example/c-1.zip",
    "http://127.0.0.1:8080/links/sub/",
  ]);
});

Deno.test("parseHtmlLinks: a <base href> changes the base of later links", () => {
  const html =
    `<base href="http://mirror.example/files/"><a href="a-1.zip">a</a>`;
  assert.deepEqual(parseHtmlLinks(html, PAGE).map((l) => l.url), [
    "http://mirror.example/files/a-1.zip",
  ]);
});

Deno.test("parseHtmlLinks: entities decoded in hrefs and attributes", () => {
  const html =
    `<a href="get?f=demo-0.2.zip&amp;x=1" data-requires-python="&gt;=3.8,&lt;4">x</a>` +
    `<a href="demo&#45;0.3.zip">y</a><a href="demo&#x2D;0.4.zip">z</a>`;
  const links = parseHtmlLinks(html, PAGE);
  assert.equal(
    links[0].url,
    "http://127.0.0.1:8080/links/get?f=demo-0.2.zip&x=1",
  );
  assert.equal(links[0].requiresPython, ">=3.8,<4");
  assert.equal(links[1].filename, "demo-0.3.zip");
  assert.equal(links[2].filename, "demo-0.4.zip");
});

Deno.test("parseHtmlLinks: hash fragments become hashes, the fragment leaves the URL", () => {
  const html = `<a href="demo-0.2.zip#md5=0123abc">a</a>
    <a href="demo-0.3.zip#sha256=feed">b</a><a href="demo-0.4.zip#egg=demo-0.4">c</a>`;
  const links = parseHtmlLinks(html, PAGE);
  assert.deepEqual(links[0], {
    url: "http://127.0.0.1:8080/links/demo-0.2.zip",
    filename: "demo-0.2.zip",
    hashes: { md5: "0123abc" },
  });
  assert.deepEqual(links[1].hashes, { sha256: "feed" });
  assert.deepEqual(links[2].hashes, {});
  assert.equal(links[2].url, "http://127.0.0.1:8080/links/demo-0.4.zip");
});

Deno.test("parseHtmlLinks: data-yanked with or without a reason, comments ignored", () => {
  const html =
    `<a href="a-1.zip" data-yanked>a</a><a href="a-2.zip" data-yanked="bad build">b</a>
    <a href="a-3.zip">c</a><!-- <a href="a-4.zip">d</a> -->`;
  const links = parseHtmlLinks(html, PAGE);
  assert.deepEqual(links.map((l) => [l.filename, l.yanked ?? false]), [
    ["a-1.zip", true],
    ["a-2.zip", true],
    ["a-3.zip", false],
  ]);
});

Deno.test("parseHtmlLinks: the seed link server's listing", () => {
  const html =
    `<html><body>\n<a href="demo-0.2-py3-none-any.whl">demo-0.2-py3-none-any.whl</a><br>\n` +
    `<a href="index/">index/</a><br>\n</body></html>`;
  assert.deepEqual(
    parseHtmlLinks(html, "http://localhost:1/").map((l) => l.filename),
    [
      "demo-0.2-py3-none-any.whl",
      "",
    ],
  );
});

Deno.test("decodeEntities, splitHashFragment and urlBasename", () => {
  assert.equal(
    decodeEntities("&lt;&amp;&quot;&#39;&unknown;"),
    `<&"'&unknown;`,
  );
  assert.deepEqual(splitHashFragment("http://h/x.zip#sha512=aa&md5=bb"), {
    url: "http://h/x.zip",
    hashes: { sha512: "aa", md5: "bb" },
  });
  assert.equal(
    urlBasename("http://h/a/My%20Pkg-1.0.tar.gz?x=1"),
    "My Pkg-1.0.tar.gz",
  );
  assert.equal(urlBasename("file:///tmp/dist/a-1.zip"), "a-1.zip");
});

Deno.test("parseJsonLinks: PEP 691 files with hashes, requires-python and yanked", () => {
  const body = JSON.stringify({
    meta: { "api-version": "1.0" },
    name: "demo",
    files: [
      {
        filename: "demo-0.2-py3-none-any.whl",
        url: "../../files/demo-0.2-py3-none-any.whl",
        hashes: { sha256: "abc" },
        "requires-python": ">=3.7",
      },
      {
        filename: "demo-0.3.tar.gz",
        url: "https://files.example/demo-0.3.tar.gz",
        hashes: {},
        yanked: true,
      },
      {
        filename: "demo-0.4.tar.gz",
        url: "demo-0.4.tar.gz",
        hashes: {},
        yanked: "broken",
      },
      {
        filename: "demo-0.5.tar.gz",
        url: "demo-0.5.tar.gz",
        hashes: {},
        yanked: false,
      },
      { filename: "no-url.tar.gz" },
    ],
  });
  const links = parseJsonLinks(body, "http://127.0.0.1:1/simple/demo/");
  assert.deepEqual(links, [
    {
      url: "http://127.0.0.1:1/files/demo-0.2-py3-none-any.whl",
      filename: "demo-0.2-py3-none-any.whl",
      hashes: { sha256: "abc" },
      requiresPython: ">=3.7",
    },
    {
      url: "https://files.example/demo-0.3.tar.gz",
      filename: "demo-0.3.tar.gz",
      hashes: {},
      yanked: true,
    },
    {
      url: "http://127.0.0.1:1/simple/demo/demo-0.4.tar.gz",
      filename: "demo-0.4.tar.gz",
      hashes: {},
      yanked: true,
    },
    {
      url: "http://127.0.0.1:1/simple/demo/demo-0.5.tar.gz",
      filename: "demo-0.5.tar.gz",
      hashes: {},
    },
  ]);
  assert.deepEqual(parseJsonLinks("not json", "http://h/"), []);
  assert.deepEqual(parseJsonLinks('{"files": 3}', "http://h/"), []);
});

Deno.test("parsePage: chooses the parser by content type, ignores other types", () => {
  const json = JSON.stringify({
    files: [{ filename: "a-1.zip", url: "a-1.zip", hashes: {} }],
  });
  assert.equal(
    parsePage(json, "application/vnd.pypi.simple.v1+json", "http://h/a/")
      .length,
    1,
  );
  assert.equal(
    parsePage('<a href="a-1.zip">', "text/html; charset=utf-8", "http://h/a/")
      .length,
    1,
  );
  assert.equal(
    parsePage('<a href="a-1.zip">', "text/plain", "http://h/a/").length,
    0,
  );
});

Deno.test("HtmlLinkStream: the same links whatever the pieces the page arrives in", () => {
  const page = `<html><head><base href="/base/"></head><body>
<!-- <a href="commented-1.0.zip">no</a> -->
<a href="demo-0.2.zip#sha256=ab12" data-requires-python="&gt;=3.6,&lt;4">demo</a>
<a
   href='demoneeded-1.1.tar.gz' title="a<b>c" data-yanked>x</a>
stray < text <A HREF=other-1.0.zip>o</A>
<a href="">empty</a><a name="x">no href</a>
<!-- unterminated <a href="after-comment-1.0.zip">`;
  const whole = parseHtmlLinks(page, "http://h/links/");
  assert.deepEqual(whole.map((l) => l.filename), [
    "demo-0.2.zip",
    "demoneeded-1.1.tar.gz",
    "other-1.0.zip",
    "after-comment-1.0.zip",
  ]);
  for (let size = 1; size <= page.length; size += size < 16 ? 1 : 7) {
    const s = new HtmlLinkStream("http://h/links/");
    for (let i = 0; i < page.length; i += size) s.push(page.slice(i, i + size));
    assert.deepEqual(s.end(), whole, `pieces of ${size}`);
  }
});
