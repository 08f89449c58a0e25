import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { startLinkServer } from "../support/link_server.ts";
import { runCli, withTempDir } from "../support/run.ts";
import { DownloadError, getText } from "../../src/fetch/http.ts";

const LINKS = fileURLToPath(new URL("../../fixtures/links", import.meta.url));

/** A server on 127.0.0.1 that answers every request with a redirect to `target` + path. */
function redirector(target: string) {
  const seen: string[] = [];
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    (req) => {
      const path = new URL(req.url).pathname;
      seen.push(path);
      return new Response(null, {
        status: 302,
        headers: { location: new URL(path.slice(1), target).href },
      });
    },
  );
  return {
    url: `http://127.0.0.1:${server.addr.port}/`,
    port: server.addr.port,
    seen,
    close: () => server.shutdown(),
  };
}

Deno.test("allow-hosts applies to every redirect hop of a page", async () => {
  const links = await startLinkServer(LINKS, { logging: true });
  const hop = redirector(links.url);
  try {
    const linksPort = new URL(links.url).port;
    const err = await getText(hop.url, {
      allowUrl: (u) => new URL(u).port !== linksPort,
      retries: 0,
    }).catch((e) => e);
    assert.ok(err instanceof DownloadError);
    assert.equal(err.fault, "refused");
    assert.equal(
      err.message,
      `Can't download ${hop.url}: redirect to ${links.url} is not allowed by allow-hosts`,
    );
    assert.deepEqual(links.log(), []);
    const ok = await getText(hop.url, { allowUrl: () => true });
    assert.equal(ok.status, 200);
    assert.equal(ok.url, links.url);
    assert.match(ok.body, /demo-0.3-py3.11.egg/);
  } finally {
    await hop.close();
    await links.close();
  }
});

Deno.test("a page larger than the limit is refused, not held in memory", async () => {
  const links = await startLinkServer(LINKS);
  try {
    const err = await getText(links.url, { maxBytes: 100 }).catch((e) => e);
    assert.ok(err instanceof DownloadError);
    assert.equal(err.fault, "too-large");
    assert.match(err.message, /^Page .* is larger than 100 bytes; refused\.$/);
  } finally {
    await links.close();
  }
});

Deno.test("buildout: a find-links page redirected to a host allow-hosts refuses never reaches it", () =>
  withTempDir(async (b) => {
    const links = await startLinkServer(LINKS, { logging: true });
    const hop = redirector(links.url);
    try {
      const cfg = (allow: string) =>
        `[buildout]\nparts = eggs\nindex = ${b}/no-index\nfind-links = ${hop.url}\n` +
        `allow-hosts = ${allow}\n\n[eggs]\nrecipe = zc.recipe.egg\neggs = demo\n`;
      await Deno.writeTextFile(
        join(b, "buildout.cfg"),
        cfg(`127.0.0.1:${hop.port}`),
      );
      const r = await runCli(["-U"], { cwd: b });
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.match(
        r.stdout,
        /^Download error on http:\/\/127\.0\.0\.1:\d+\/: redirect to http:\/\/127\.0\.0\.1:\d+\/ is not allowed by allow-hosts -- Some packages may not be found!$/m,
      );
      assert.match(
        r.stderr,
        /^Error: Couldn't find a distribution for 'demo'\.$/m,
      );
      assert.deepEqual(links.log(), []);
      assert.deepEqual(hop.seen, ["/"]);

      const lp = new URL(links.url).port;
      await Deno.writeTextFile(
        join(b, "buildout.cfg"),
        cfg(`127.0.0.1:${hop.port}\n    127.0.0.1:${lp}`),
      );
      const r2 = await runCli(["-U"], { cwd: b });
      assert.equal(r2.code, 0, r2.stdout + r2.stderr);
      assert.match(r2.stdout, /Got demo 0\.3\./);
    } finally {
      await hop.close();
      await links.close();
    }
  }));
