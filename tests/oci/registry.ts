/**
 * Test helpers: a real OCI registry (Debian's `docker-registry`, CNCF Distribution) started on
 * 127.0.0.1 on a free port with a temporary storage folder, and a logging HTTP front for it
 * that can also demand a bearer token (with its own token endpoint).
 *
 * @module
 */
import { join } from "node:path";

/** A running registry. */
export interface Registry {
  /** `127.0.0.1:PORT` */
  host: string;
  /** Its storage root (`docker/registry/v2/...` below it). */
  storage: string;
  stop(): Promise<void>;
}

/** True when `docker-registry` is installed (the tests are skipped otherwise). */
export const HAVE_REGISTRY = (() => {
  try {
    return Deno.statSync("/usr/bin/docker-registry").isFile;
  } catch {
    return false;
  }
})();

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

/**
 * Start `docker-registry serve` with a generated config under `dir`; `htpasswd` (a line
 * `user:bcrypt-hash`) turns on basic auth.
 *
 * @example
 * ```ts
 * const reg = await startRegistry(dir); // reg.host == "127.0.0.1:41234"
 * await reg.stop();
 * ```
 */
export async function startRegistry(
  dir: string,
  htpasswd?: string,
): Promise<Registry> {
  const storage = join(dir, "registry-storage");
  await Deno.mkdir(storage, { recursive: true });
  const port = freePort();
  let auth = "";
  if (htpasswd) {
    await Deno.writeTextFile(join(dir, "htpasswd"), htpasswd + "\n");
    auth = `auth:\n  htpasswd:\n    realm: test-realm\n    path: ${
      join(dir, "htpasswd")
    }\n`;
  }
  const config = join(dir, "registry.yml");
  await Deno.writeTextFile(
    config,
    `version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\n` +
      `storage:\n  filesystem:\n    rootdirectory: ${storage}\n` +
      `  maintenance:\n    uploadpurging:\n      enabled: false\n` +
      `http:\n  addr: 127.0.0.1:${port}\n  secret: test-secret\n${auth}`,
  );
  const child = new Deno.Command("/usr/bin/docker-registry", {
    args: ["serve", config],
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const stderr = new Response(child.stderr).text();
  const host = `127.0.0.1:${port}`;
  const stop = async () => {
    try {
      child.kill("SIGTERM");
    } catch {
      // already gone
    }
    await child.status;
    await stderr;
  };
  for (let i = 0; i < 100; i++) {
    try {
      const r = await fetch(`http://${host}/v2/`);
      await r.body?.cancel();
      return { host, storage, stop };
    } catch {
      await new Promise((ok) => setTimeout(ok, 50));
    }
  }
  await stop();
  throw new Error(`docker-registry did not start: ${await stderr}`);
}

/** A logging front for a registry. */
export interface Front {
  host: string;
  /**
   * `METHOD path[?digest=...]` of each registry request, in order (token requests as
   * `TOKEN scope`).
   */
  log: string[];
  close(): Promise<void>;
}

/**
 * A front on 127.0.0.1 that forwards every request to `upstream` and logs it. With `token`,
 * `/v2/` requests without `Authorization: Bearer <issued token>` get a 401 with a Bearer
 * challenge pointing at its own `/token`, which issues a token only for the given basic
 * credentials.
 *
 * @example
 * ```ts
 * const front = startFront(reg.host, { user: "ci", password: "pw" });
 * ```
 */
export function startFront(
  upstream: string,
  token?: { user: string; password: string },
): Front {
  const log: string[] = [];
  const issued = "tok-" + crypto.randomUUID();
  let origin = "";
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    async (req) => {
      const url = new URL(req.url);
      if (token && url.pathname === "/token") {
        log.push(`TOKEN ${url.searchParams.get("scope")}`);
        const want = "Basic " + btoa(`${token.user}:${token.password}`);
        if (req.headers.get("authorization") !== want) {
          return new Response("no", { status: 401 });
        }
        return Response.json({ token: issued });
      }
      const digest = url.searchParams.get("digest");
      log.push(
        `${req.method} ${url.pathname}${digest ? `?digest=${digest}` : ""}`,
      );
      if (token && req.headers.get("authorization") !== `Bearer ${issued}`) {
        return new Response(
          JSON.stringify({
            errors: [{
              code: "UNAUTHORIZED",
              message: "authentication required",
            }],
          }),
          {
            status: 401,
            headers: {
              "www-authenticate":
                `Bearer realm="${origin}/token",service="test-registry",scope="repository:x:pull"`,
            },
          },
        );
      }
      const headers = new Headers(req.headers);
      headers.delete("authorization");
      headers.delete("host");
      const res = await fetch(
        `http://${upstream}${url.pathname}${url.search}`,
        {
          method: req.method,
          headers,
          body: req.body,
          redirect: "manual",
        },
      );
      const out = new Headers(res.headers);
      const loc = out.get("location");
      if (loc) out.set("location", loc.replace(`http://${upstream}`, origin));
      return new Response(req.method === "HEAD" ? null : res.body, {
        status: res.status,
        headers: out,
      });
    },
  );
  const port = server.addr.port;
  origin = `http://127.0.0.1:${port}`;
  return {
    host: `127.0.0.1:${port}`,
    log,
    close: () => server.shutdown(),
  };
}
