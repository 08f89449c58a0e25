/**
 * Issue 13: OCI image layout folders (`bundle -o oci-layout:DIR`, read back by `verify` and
 * `install-bundle`), the manifest's shape, and reproducibility: the same configuration and
 * cache give the same manifest digest whatever the files' times, modes and folders.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli, withTempDir } from "../support/run.ts";
import { VERSION } from "../../src/version.ts";
import { digestOf, sha, smallBuildout } from "./support.ts";

const blobPath = (dir: string, d: string) =>
  join(dir, "blobs", "sha256", d.slice(7));

Deno.test("oci-layout round trip: the folder's shape, verify, install-bundle, a damaged blob refused", () =>
  withTempDir(async (root) => {
    const b = await smallBuildout(root, {
      "a-1.0.tar.gz": "aaa",
      "b-2.0.zip": "bbb",
    });
    const usb = join(root, "usb");
    let r = await runCli(["bundle", "-o", "oci-layout:../usb"], { cwd: b });
    assert.equal(r.code, 0, r.stderr);
    const digest = digestOf(r.stdout);
    assert.equal(
      r.stdout,
      `Wrote oci-layout:${usb} (${digest}): 4 blob(s) written, 0 already there.\n`,
    );
    assert.deepEqual(
      JSON.parse(await Deno.readTextFile(join(usb, "oci-layout"))),
      {
        imageLayoutVersion: "1.0.0",
      },
    );
    const index = JSON.parse(await Deno.readTextFile(join(usb, "index.json")));
    assert.equal(index.mediaType, "application/vnd.oci.image.index.v1+json");
    assert.equal(index.manifests.length, 1);
    assert.equal(index.manifests[0].digest, digest);
    assert.equal(
      index.manifests[0].annotations["org.opencontainers.image.ref.name"],
      "latest",
    );
    const manifestBytes = await Deno.readFile(blobPath(usb, digest));
    assert.equal(index.manifests[0].size, manifestBytes.length);
    const m = JSON.parse(new TextDecoder().decode(manifestBytes));
    assert.equal(m.mediaType, "application/vnd.oci.image.manifest.v1+json");
    assert.equal(m.artifactType, "application/vnd.buildout.bundle.v1+json");
    assert.equal(m.config.mediaType, "application/vnd.buildout.bundle.v1+json");
    assert.deepEqual(m.annotations, { "vnd.buildout.tool.version": VERSION });
    assert.deepEqual(
      m.layers.map((
        l: { mediaType: string; annotations?: Record<string, string> },
      ) => [
        l.mediaType,
        l.annotations?.["org.opencontainers.image.title"],
      ]),
      [
        ["application/vnd.buildout.bundle.layer.v1.tar+gzip", undefined],
        [
          "application/vnd.buildout.bundle.file.v1",
          "download-cache/dist/a-1.0.tar.gz",
        ],
        [
          "application/vnd.buildout.bundle.file.v1",
          "download-cache/dist/b-2.0.zip",
        ],
      ],
    );
    // A cache file's blob is the file itself: its digest is its sha256.
    assert.equal(m.layers[1].digest, await sha("aaa"));

    // Writing again: nothing new to copy.
    r = await runCli(["bundle", "-o", `oci-layout:${usb}`], { cwd: b });
    assert.match(r.stdout, /: 0 blob\(s\) written, 4 already there\.\n$/);

    r = await runCli(["verify", `oci-layout:${usb}`], { cwd: root });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `3 file(s) match oci-layout:${usb} (${digest})\n`);

    const fresh = join(root, "fresh");
    r = await runCli(["install-bundle", `oci-layout:${usb}`, "-d", fresh], {
      cwd: root,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(
      r.stdout.startsWith(
        `Pulled oci-layout:${usb} (${digest}) into ${fresh}.\n`,
      ),
    );
    assert.equal(
      await Deno.readTextFile(
        join(fresh, "download-cache", "dist", "b-2.0.zip"),
      ),
      "bbb",
    );
    assert.ok(
      r.stdout.includes(`Creating directory '${join(fresh, "bin")}'.\n`),
      r.stdout,
    );
    r = await runCli(["verify"], { cwd: fresh });
    assert.equal(r.code, 0, r.stderr);

    await Deno.writeTextFile(blobPath(usb, await sha("bbb")), "bbx");
    r = await runCli(["verify", `oci-layout:${usb}`], { cwd: root });
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      `Error: oci-layout:${usb}: blob ${await sha(
        "bbb",
      )} (download-cache/dist/b-2.0.zip) ` +
        `digest mismatch: got ${await sha("bbx")}, 3 bytes for 3\n`,
    );
    r = await runCli(["verify", `oci-layout:${join(root, "nothing")}`], {
      cwd: root,
    });
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      `Error: oci-layout:${
        join(root, "nothing")
      } is not an OCI image layout: no index.json\n`,
    );
  }));

Deno.test("reproducible: same configuration and cache, other folders, times and modes: same digest; --created only when asked", () =>
  withTempDir(async (root) => {
    const digests: string[] = [];
    const created: string[] = [];
    for (const [i, when] of [[1, 1_000_000], [2, 2_000_000_000]]) {
      const here = join(root, `machine${i}`);
      await Deno.mkdir(here);
      const b = await smallBuildout(here, {
        "a-1.0.tar.gz": "aaa",
        "z.whl": "zzz",
      });
      for (const f of ["a-1.0.tar.gz", "z.whl"]) {
        const p = join(b, "downloads", "dist", f);
        await Deno.chmod(p, i === 1 ? 0o600 : 0o755);
        await Deno.utime(p, when, when);
      }
      let r = await runCli(["bundle", "-o", "oci-layout:out"], { cwd: b });
      assert.equal(r.code, 0, r.stderr);
      digests.push(digestOf(r.stdout));
      r = await runCli(["bundle", "-o", "oci-layout:out2", "--created"], {
        cwd: b,
        env: { SOURCE_DATE_EPOCH: "1700000000" },
      });
      assert.equal(r.code, 0, r.stderr);
      created.push(digestOf(r.stdout));
      const m = JSON.parse(
        await Deno.readTextFile(blobPath(join(b, "out2"), digestOf(r.stdout))),
      );
      assert.equal(
        m.annotations["org.opencontainers.image.created"],
        "2023-11-14T22:13:20.000Z",
      );
    }
    assert.equal(digests[0], digests[1]);
    assert.equal(created[0], created[1]);
    assert.notEqual(digests[0], created[0]);
    // --created is for OCI outputs only.
    const r = await runCli(["bundle", "--created"], {
      cwd: join(root, "machine1", "b"),
    });
    assert.equal(r.code, 2); // a usage error
    assert.match(
      r.stderr,
      /--created applies to oci:\/\/ and oci-layout: outputs/,
    );
  }));
