/**
 * Registry credentials and authentication, the way container tools do it: anonymous first; on
 * a `401` with `WWW-Authenticate: Basic` the credentials are sent as basic auth; with
 * `WWW-Authenticate: Bearer realm=...,service=...,scope=...` a token is asked from the realm
 * (with the credentials as basic auth when there are any) and sent as `Bearer`.
 *
 * Credentials come from `BUILDOUT_REGISTRY_USER` / `BUILDOUT_REGISTRY_PASSWORD`, else from the
 * `auths` of `$DOCKER_CONFIG/config.json` (default `~/.docker/config.json`): base64 `auth`
 * (`user:password`) or `username`/`password`. Credential helpers (`credsStore`) are not run.
 *
 * @module
 */
import { join } from "../path.ts";
import { UserError } from "../errors.ts";

/** A user name and password. */
export interface Credentials {
  username: string;
  password: string;
}

/** A parsed `WWW-Authenticate` challenge. */
export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

/**
 * Parse a `WWW-Authenticate` header (one challenge).
 *
 * @example
 * ```ts
 * parseChallenge('Bearer realm="https://a/token",service="reg",scope="repository:x:pull"');
 * // { scheme: "bearer", params: { realm: "https://a/token", service: "reg", scope: "repository:x:pull" } }
 * ```
 */
export function parseChallenge(header: string): Challenge {
  const m = /^\s*([A-Za-z]+)\s*(.*)$/.exec(header);
  const params: Record<string, string> = {};
  if (!m) return { scheme: "", params };
  const re = /([A-Za-z_]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))\s*,?\s*/g;
  for (const p of m[2].matchAll(re)) {
    params[p[1].toLowerCase()] = p[2] !== undefined
      ? p[2].replace(/\\(.)/g, "$1")
      : p[3];
  }
  return { scheme: m[1].toLowerCase(), params };
}

/**
 * The credentials for `host`: environment variables first, then the docker config file.
 * A config file that is not JSON is a one-line UserError.
 *
 * @example
 * ```ts
 * await findCredentials("registry.example.com", { HOME: "/home/me" });
 * // { username: "me", password: "secret" } (from ~/.docker/config.json), or undefined
 * ```
 */
export async function findCredentials(
  host: string,
  env: Record<string, string | undefined>,
): Promise<Credentials | undefined> {
  const user = env.BUILDOUT_REGISTRY_USER;
  if (user) {
    return { username: user, password: env.BUILDOUT_REGISTRY_PASSWORD ?? "" };
  }
  const dir = env.DOCKER_CONFIG ||
    (env.HOME ? join(env.HOME, ".docker") : undefined);
  if (!dir) return undefined;
  const file = join(dir, "config.json");
  let text: string;
  try {
    text = await Deno.readTextFile(file);
  } catch {
    return undefined;
  }
  let auths: Record<
    string,
    { auth?: string; username?: string; password?: string }
  >;
  try {
    auths = JSON.parse(text).auths ?? {};
  } catch (e) {
    throw new UserError(`${file} is not valid JSON: ${(e as Error).message}`);
  }
  for (const [key, entry] of Object.entries(auths)) {
    const k = key.replace(/^https?:\/\//, "").replace(/\/.*$/, "");
    if (k !== host) continue;
    if (entry.auth) {
      let decoded: string;
      try {
        decoded = atob(entry.auth);
      } catch {
        throw new UserError(`${file}: auths["${key}"].auth is not base64`);
      }
      const colon = decoded.indexOf(":");
      if (colon < 0) {
        throw new UserError(
          `${file}: auths["${key}"].auth is not user:password`,
        );
      }
      return {
        username: decoded.slice(0, colon),
        password: decoded.slice(colon + 1),
      };
    }
    if (entry.username) {
      return { username: entry.username, password: entry.password ?? "" };
    }
  }
  return undefined;
}

/**
 * The `Authorization` value for basic auth.
 *
 * @example
 * ```ts
 * basicAuth({ username: "a", password: "b" }); // "Basic YTpi"
 * ```
 */
export function basicAuth(c: Credentials): string {
  const bytes = new TextEncoder().encode(`${c.username}:${c.password}`);
  return `Basic ${btoa(String.fromCharCode(...bytes))}`;
}

/**
 * Ask a token server for a bearer token (`GET realm?service=...&scope=...`), with the
 * credentials as basic auth when given. Refusal is a one-line UserError.
 *
 * @example
 * ```ts
 * await fetchToken({ realm: "https://auth.example/token", service: "reg" },
 *   "repository:team/app:pull", undefined); // "eyJ..."
 * ```
 */
export async function fetchToken(
  params: Record<string, string>,
  scope: string,
  creds: Credentials | undefined,
): Promise<string> {
  const realm = params.realm;
  if (!realm) {
    throw new UserError("Registry sent a Bearer challenge without a realm");
  }
  const url = new URL(realm);
  if (params.service) url.searchParams.set("service", params.service);
  url.searchParams.set("scope", scope);
  const headers: Record<string, string> = {};
  if (creds) headers.authorization = basicAuth(creds);
  let res: Response;
  try {
    res = await fetch(url, { headers });
  } catch (e) {
    throw new UserError(
      `Token server ${url.origin} unreachable: ${firstLine(e)}`,
    );
  }
  if (res.status !== 200) {
    await res.body?.cancel();
    throw new UserError(
      `Token server ${url.origin} refused a token for ${scope}: HTTP ${res.status}` +
        (creds ? "" : " (no credentials found for this registry)"),
    );
  }
  const body = await res.json().catch(() => ({}));
  const token = body.token ?? body.access_token;
  if (typeof token !== "string" || !token) {
    throw new UserError(`Token server ${url.origin} answered without a token`);
  }
  return token;
}

/**
 * The first line of an error's message.
 *
 * @example
 * ```ts
 * firstLine(new Error("a\nb")); // "a"
 * ```
 */
export function firstLine(e: unknown): string {
  let msg = String(e instanceof Error ? e.message : e);
  const cause = e instanceof Error ? e.cause : undefined;
  if (cause instanceof Error && cause.message) msg += `: ${cause.message}`;
  return msg.split("\n")[0];
}
