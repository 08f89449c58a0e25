/**
 * Which resolutions may hand their writes to the writer thread: those that
 * download nothing (install-from-cache, offline, local sources only).
 */
import assert from "node:assert/strict";
import { downloadsNothing } from "../../src/resolve/working_set.ts";

const base = {
  installFromCache: false,
  offline: false,
  index: "https://pypi.org/simple/",
  findLinks: [] as string[],
};

Deno.test("install-from-cache and offline download nothing, whatever the sources", () => {
  assert.equal(downloadsNothing(base, {}), false);
  assert.equal(downloadsNothing({ ...base, installFromCache: true }, {}), true);
  assert.equal(downloadsNothing({ ...base, offline: true }, {}), true);
});

Deno.test("local folders and file: URLs download nothing; one remote source does", () => {
  const local = { ...base, index: "/srv/index", findLinks: ["/srv/wheels"] };
  assert.equal(downloadsNothing(local, {}), true);
  assert.equal(
    downloadsNothing(
      { ...local, findLinks: ["file:///srv/wheels", "wheels"] },
      {},
    ),
    true,
  );
  assert.equal(
    downloadsNothing(
      { ...local, findLinks: ["/srv/wheels", "http://127.0.0.1:8080/"] },
      {},
    ),
    false,
  );
  assert.equal(downloadsNothing(base, { index: "file:///srv/index" }), true);
  // A part's own sources replace [buildout]'s.
  assert.equal(
    downloadsNothing(local, { index: "https://mirror.example/simple/" }),
    false,
  );
  assert.equal(
    downloadsNothing(local, { findLinks: ["https://mirror.example/links/"] }),
    false,
  );
});
