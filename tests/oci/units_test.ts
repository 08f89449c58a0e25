/** Issue 13: OCI references, auth challenges, credentials lookup, HTTPS by default. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { withTempDir } from "../support/run.ts";
import { parseOciRef, type RegistryRef } from "../../src/oci/ref.ts";
import { findCredentials, parseChallenge } from "../../src/oci/auth.ts";
import { RegistryClient } from "../../src/oci/client.ts";

Deno.test("references: host, port, nested repository, tag (default latest), digest", () => {
  assert.deepEqual(parseOciRef("oci://reg.example:5000/team/app:1.0"), {
    kind: "registry",
    host: "reg.example:5000",
    repo: "team/app",
    reference: "1.0",
  });
  assert.equal(
    (parseOciRef("oci://reg.example/app") as RegistryRef).reference,
    "latest",
  );
  const d = "sha256:" + "a".repeat(64);
  assert.equal((parseOciRef(`oci://h/app@${d}`) as RegistryRef).reference, d);
  assert.deepEqual(parseOciRef("oci-layout:usb/app"), {
    kind: "layout",
    dir: "usb/app",
  });
  assert.throws(() => parseOciRef("oci://h/app@sha256:12"), /bad digest/);
  assert.throws(() => parseOciRef("oci://app"), /no repository/);
});

Deno.test("HTTPS by default; plain HTTP for localhost and BUILDOUT_INSECURE_REGISTRIES", () => {
  const base = (s: string, env = {}) =>
    new RegistryClient(parseOciRef(s) as RegistryRef, env, "pull").base;
  assert.equal(base("oci://reg.example:5000/app"), "https://reg.example:5000");
  assert.equal(base("oci://localhost:5000/app"), "http://localhost:5000");
  assert.equal(base("oci://127.0.0.1:5000/app"), "http://127.0.0.1:5000");
  assert.equal(
    base("oci://reg.lan:5000/app", {
      BUILDOUT_INSECURE_REGISTRIES: "a:1, reg.lan:5000",
    }),
    "http://reg.lan:5000",
  );
  assert.equal(
    base("oci://reg.lan:5001/app", {
      BUILDOUT_INSECURE_REGISTRIES: "reg.lan:5000",
    }),
    "https://reg.lan:5001",
  );
});

Deno.test("WWW-Authenticate challenges", () => {
  assert.deepEqual(
    parseChallenge(
      'Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull,push"',
    ),
    {
      scheme: "bearer",
      params: {
        realm: "https://auth.example/token",
        service: "registry.example",
        scope: "repository:a/b:pull,push",
      },
    },
  );
  assert.deepEqual(parseChallenge('Basic realm="x"'), {
    scheme: "basic",
    params: { realm: "x" },
  });
});

Deno.test("credentials: environment first, then docker config auths (auth or username/password)", () =>
  withTempDir(async (dir) => {
    await Deno.mkdir(join(dir, ".docker"));
    await Deno.writeTextFile(
      join(dir, ".docker", "config.json"),
      JSON.stringify({
        auths: {
          "https://reg.example": { auth: btoa("me:pw") },
          "other.example:5000": { username: "u", password: "p" },
        },
      }),
    );
    const env = { HOME: dir };
    assert.deepEqual(await findCredentials("reg.example", env), {
      username: "me",
      password: "pw",
    });
    assert.deepEqual(await findCredentials("other.example:5000", env), {
      username: "u",
      password: "p",
    });
    assert.equal(await findCredentials("third.example", env), undefined);
    assert.deepEqual(
      await findCredentials("reg.example", {
        ...env,
        BUILDOUT_REGISTRY_USER: "ci",
        BUILDOUT_REGISTRY_PASSWORD: "x",
      }),
      { username: "ci", password: "x" },
    );
    await Deno.writeTextFile(join(dir, ".docker", "config.json"), "{");
    await assert.rejects(
      findCredentials("reg.example", env),
      /config\.json is not valid JSON/,
    );
  }));
