/**
 * Issue 13, OCI bundles against a real registry (Debian's docker-registry) through a logging
 * front: blobs already present are not sent again, chunked uploads, a tampered blob in the
 * registry's storage is refused, basic auth (htpasswd) and the bearer-token challenge with
 * credentials from ~/.docker/config.json, one-line errors.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli, withTempDir } from "../support/run.ts";
import { HAVE_REGISTRY, startFront, startRegistry } from "./registry.ts";
import { sha, smallBuildout } from "./support.ts";

Deno.test({
  name: "blobs the registry has are not sent again; large blobs go in chunks",
  ignore: !HAVE_REGISTRY,
  fn: () =>
    withTempDir(async (root) => {
      const reg = await startRegistry(root);
      const front = startFront(reg.host);
      try {
        const b = await smallBuildout(root, {
          "a-1.0.tar.gz": "aaa",
          "b-1.0.tar.gz": "bbb",
        });
        let r = await runCli(["bundle", "-o", `oci://${front.host}/app:1`], {
          cwd: b,
        });
        assert.equal(r.code, 0, r.stderr);
        assert.match(
          r.stdout,
          /: 4 blob\(s\) sent, 0 in chunks, 0 already present\.\n$/,
        );

        // One more cache file: the two old files are checked (HEAD) but not sent.
        front.log.length = 0;
        const big = "c".repeat(2500);
        await Deno.writeTextFile(
          join(b, "downloads", "dist", "c-1.0.tar.gz"),
          big,
        );
        r = await runCli(["bundle", "-o", `oci://${front.host}/app:2`], {
          cwd: b,
          env: { BUILDOUT_OCI_CHUNK_SIZE: "1000" },
        });
        assert.equal(r.code, 0, r.stderr);
        assert.match(
          r.stdout,
          /: 3 blob\(s\) sent, 1 in chunks, 2 already present\.\n$/,
        );
        const heads = front.log.filter((l) => l.startsWith("HEAD "));
        assert.equal(heads.length, 5);
        for (const old of ["aaa", "bbb"]) {
          const d = await sha(old);
          assert.ok(
            heads.includes(`HEAD /v2/app/blobs/${d}`),
            heads.join("\n"),
          );
          assert.ok(!front.log.some((l) => l.includes(`digest=${d}`)));
        }
        const cDigest = await sha(big);
        assert.equal(front.log.filter((l) => l.startsWith("POST ")).length, 3);
        assert.equal(front.log.filter((l) => l.startsWith("PATCH ")).length, 3);
        assert.ok(
          front.log.some((l) =>
            l.startsWith("PUT ") && l.endsWith(`digest=${cDigest}`)
          ),
        );
        assert.equal(front.log.at(-1), "PUT /v2/app/manifests/2");

        // Pushing the same bundle again sends nothing but the manifest.
        front.log.length = 0;
        r = await runCli(["bundle", "-o", `oci://${front.host}/app:2`], {
          cwd: b,
        });
        assert.match(
          r.stdout,
          /: 0 blob\(s\) sent, 0 in chunks, 5 already present\.\n$/,
        );
        assert.deepEqual(front.log.filter((l) => !l.startsWith("HEAD ")), [
          "PUT /v2/app/manifests/2",
        ]);

        r = await runCli(["verify", `oci://${front.host}/app:2`], { cwd: b });
        assert.equal(r.code, 0, r.stderr);
        assert.match(
          r.stdout,
          /^4 file\(s\) match oci:\/\/.*\/app:2 \(sha256:/,
        );
      } finally {
        await front.close();
        await reg.stop();
      }
    }),
});

Deno.test({
  name:
    "a blob altered in the registry's storage is refused: verify and install-bundle fail, nothing installed",
  ignore: !HAVE_REGISTRY,
  fn: () =>
    withTempDir(async (root) => {
      const reg = await startRegistry(root);
      try {
        const b = await smallBuildout(root, { "a-1.0.tar.gz": "original" });
        const ref = `oci://${reg.host}/app:1`;
        let r = await runCli(["bundle", "-o", ref], { cwd: b });
        assert.equal(r.code, 0, r.stderr);
        const d = await sha("original");
        const hex = d.slice(7);
        await Deno.writeTextFile(
          join(
            reg.storage,
            "docker/registry/v2/blobs/sha256",
            hex.slice(0, 2),
            hex,
            "data",
          ),
          "tampered",
        );
        const line =
          `Error: ${ref}: blob ${d} (download-cache/dist/a-1.0.tar.gz) digest mismatch: ` +
          `got ${await sha("tampered")}, 8 bytes for 8\n`;
        r = await runCli(["verify", ref], { cwd: b });
        assert.equal(r.code, 1);
        assert.equal(r.stderr, line);
        const fresh = join(root, "fresh");
        r = await runCli(["install-bundle", ref, "-d", fresh], { cwd: root });
        assert.equal(r.code, 1);
        assert.equal(r.stderr, line);
        assert.deepEqual([...Deno.readDirSync(fresh)], []);
      } finally {
        await reg.stop();
      }
    }),
});

// `htpasswd -nbB ci s3cret`, made once (bcrypt).
const HTPASSWD =
  "ci:$2y$05$kxciac/b1ctFwzeFHfCROeEuV7AAFGAbNIIN1a9.FbR9n7EakYM1i";

Deno.test({
  name:
    "basic auth (htpasswd) with BUILDOUT_REGISTRY_USER/_PASSWORD; a wrong password is one line",
  ignore: !HAVE_REGISTRY,
  fn: () =>
    withTempDir(async (root) => {
      const reg = await startRegistry(root, HTPASSWD);
      try {
        const b = await smallBuildout(root, { "a-1.0.tar.gz": "aaa" });
        const ref = `oci://${reg.host}/app:1`;
        const good = {
          BUILDOUT_REGISTRY_USER: "ci",
          BUILDOUT_REGISTRY_PASSWORD: "s3cret",
        };
        let r = await runCli(["bundle", "-o", ref], { cwd: b, env: good });
        assert.equal(r.code, 0, r.stderr);
        r = await runCli(["verify", ref], { cwd: b, env: good });
        assert.equal(r.code, 0, r.stderr);
        r = await runCli(["verify", ref], {
          cwd: b,
          env: { ...good, BUILDOUT_REGISTRY_PASSWORD: "wrong" },
        });
        assert.equal(r.code, 1);
        assert.match(
          r.stderr,
          /^Error: Getting the manifest of .*app:1: HTTP 401 Unauthorized/,
        );
        assert.equal(r.stderr.split("\n").length, 2);
        r = await runCli(["verify", ref], { cwd: b });
        assert.equal(r.code, 1);
        assert.match(r.stderr, /HTTP 401 Unauthorized.*no valid credentials/);
      } finally {
        await reg.stop();
      }
    }),
});

Deno.test({
  name:
    "bearer-token challenge: the token comes from the realm with credentials from DOCKER_CONFIG",
  ignore: !HAVE_REGISTRY,
  fn: () =>
    withTempDir(async (root) => {
      const reg = await startRegistry(root);
      const front = startFront(reg.host, {
        user: "ci",
        password: "pw:with colon",
      });
      try {
        const b = await smallBuildout(root, { "a-1.0.tar.gz": "aaa" });
        const docker = join(root, "docker");
        await Deno.mkdir(docker);
        await Deno.writeTextFile(
          join(docker, "config.json"),
          JSON.stringify({
            auths: {
              "other.example": { auth: btoa("x:y") },
              [front.host]: { auth: btoa("ci:pw:with colon") },
            },
          }),
        );
        const ref = `oci://${front.host}/team/app:1`;
        const env = { DOCKER_CONFIG: docker };
        let r = await runCli(["bundle", "-o", ref], { cwd: b, env });
        assert.equal(r.code, 0, r.stderr);
        assert.equal(
          front.log[0],
          "HEAD /v2/team/app/blobs/" + front.log[0].split("/").at(-1),
        );
        assert.equal(front.log[1], "TOKEN repository:team/app:pull,push");
        assert.equal(front.log.filter((l) => l.startsWith("TOKEN")).length, 1);
        front.log.length = 0;
        r = await runCli(["verify", ref], { cwd: b, env });
        assert.equal(r.code, 0, r.stderr);
        assert.equal(front.log[1], "TOKEN repository:team/app:pull");

        // ~/.docker/config.json when DOCKER_CONFIG is not set.
        await Deno.mkdir(join(b, ".docker"));
        await Deno.copyFile(
          join(docker, "config.json"),
          join(b, ".docker", "config.json"),
        );
        r = await runCli(["verify", ref], { cwd: b });
        assert.equal(r.code, 0, r.stderr);

        r = await runCli(["verify", ref], {
          cwd: b,
          env: { DOCKER_CONFIG: join(root, "none") },
        });
        assert.equal(r.code, 1);
        assert.equal(
          r.stderr,
          `Error: Token server http://${front.host} refused a token for repository:team/app:pull: ` +
            "HTTP 401 (no credentials found for this registry)\n",
        );
      } finally {
        await front.close();
        await reg.stop();
      }
    }),
});

Deno.test({
  name: "an unreachable registry and a malformed reference are one line",
  ignore: !HAVE_REGISTRY,
  fn: () =>
    withTempDir(async (root) => {
      const reg = await startRegistry(root);
      await reg.stop();
      const b = await smallBuildout(root, { "a-1.0.tar.gz": "aaa" });
      let r = await runCli(["bundle", "-o", `oci://${reg.host}/app:1`], {
        cwd: b,
      });
      assert.equal(r.code, 1);
      assert.match(
        r.stderr,
        new RegExp(
          `^Error: Registry ${reg.host} unreachable \\(http://${reg.host}\\): .*\n$`,
        ),
      );
      r = await runCli(["verify", "oci://reg.example/App:1"], { cwd: b });
      assert.equal(r.code, 1);
      assert.equal(
        r.stderr,
        "Error: oci://reg.example/App:1: not a registry reference " +
          "(oci://HOST[:PORT]/REPO[:TAG|@sha256:DIGEST]): bad repository name App\n",
      );
    }),
});
