import assert from "node:assert/strict";
import { fileURLToPath, pathToFileURL } from "node:url";
import { fileUrlToPath, pathToFileUrl } from "../src/file_url.ts";

Deno.test("file: URLs and paths convert as node:url converts them", () => {
  const ascii = Array.from(
    { length: 95 },
    (_, i) => String.fromCharCode(32 + i),
  )
    .join("");
  const paths = [
    "/srv/links",
    "/srv/my links/",
    "/a/b#c?d/",
    "/x%y/z",
    "/ü/é",
    "rel/dir/",
    "/t\ta\nb",
    "/" + ascii,
  ];
  for (const p of paths) {
    const url = pathToFileURL(p).href;
    assert.equal(pathToFileUrl(p).href, url, JSON.stringify(p));
    assert.equal(fileUrlToPath(url), fileURLToPath(url), url);
  }
  for (const u of ["file:///a%2Fb", "file://host/x", "http://x/y"]) {
    assert.throws(() => fileURLToPath(u));
    assert.throws(() => fileUrlToPath(u), TypeError);
  }
  assert.equal(fileUrlToPath("file://localhost/x%20y"), "/x y");
});
