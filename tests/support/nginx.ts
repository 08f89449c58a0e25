/**
 * A real WebDAV store for the shared-cache tests: Debian's nginx started on
 * 127.0.0.1 with a generated configuration in a temporary folder (`GET`,
 * `HEAD` and `PUT` under `/cas/` and `/ac/`, `503` under `/broken/`), stopped
 * by pid.
 *
 * @module
 */
import { join } from "node:path";

/** A running nginx. */
export interface Nginx {
  /** `http://127.0.0.1:PORT/` */
  url: string;
  /** The folder served (objects are `<root>/cas/<sha256>`). */
  root: string;
  /** Access log lines as `METHOD STATUS PATH`. */
  log(): Promise<string[]>;
  /** Stop nginx (the process this helper started, by its pid). */
  close(): Promise<void>;
}

/**
 * Whether nginx with the WebDAV module is installed.
 *
 * @example
 * ```ts
 * Deno.test({ name: "...", ignore: !(await hasNginx()), fn: ... });
 * ```
 */
export async function hasNginx(): Promise<boolean> {
  try {
    const r = await new Deno.Command("nginx", { args: ["-V"] }).output();
    return new TextDecoder().decode(r.stderr).includes("http_dav_module");
  } catch {
    return false;
  }
}

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

/**
 * Start nginx in `dir` (which must be a fresh temporary folder).
 *
 * @example
 * ```ts
 * const store = await startNginx(await Deno.makeTempDir());
 * // ... shared-cache = ${store.url} ...
 * await store.close();
 * ```
 */
export async function startNginx(dir: string): Promise<Nginx> {
  const root = join(dir, "root");
  await Deno.mkdir(join(root, "cas"), { recursive: true });
  await Deno.mkdir(join(root, "ac"), { recursive: true });
  await Deno.mkdir(join(dir, "tmp"), { recursive: true });
  const port = freePort();
  const t = join(dir, "tmp");
  // As root, nginx's workers would drop to "nobody" and could not write
  // the temporary folder: keep them root. Otherwise the directive is moot.
  const user = Deno.uid() === 0 ? "user root;\n" : "";
  const conf = `${user}daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log;
events { worker_connections 64; }
http {
  log_format plain '$request_method $status $uri';
  client_body_temp_path ${t}/body;
  proxy_temp_path ${t}/proxy;
  fastcgi_temp_path ${t}/fastcgi;
  uwsgi_temp_path ${t}/uwsgi;
  scgi_temp_path ${t}/scgi;
  client_max_body_size 0;
  server {
    listen 127.0.0.1:${port};
    access_log ${dir}/access.log plain;
    root ${root};
    location /cas/ { dav_methods PUT; create_full_put_path on; }
    location /ac/ { dav_methods PUT; create_full_put_path on; }
    location /broken/ { return 503; }
  }
}
`;
  await Deno.writeTextFile(join(dir, "nginx.conf"), conf);
  const child = new Deno.Command("nginx", {
    args: [
      "-p",
      dir,
      "-e",
      join(dir, "error.log"),
      "-c",
      join(dir, "nginx.conf"),
    ],
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      const c = await Deno.connect({ hostname: "127.0.0.1", port });
      c.close();
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill("SIGKILL");
        const out = await child.output();
        throw new Error(
          `nginx did not start: ${new TextDecoder().decode(out.stderr)}`,
        );
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  let closed = false;
  return {
    url,
    root,
    async log() {
      const text = await Deno.readTextFile(join(dir, "access.log")).catch(
        () => "",
      );
      return text.split("\n").filter((l) => l);
    },
    async close() {
      if (closed) return;
      closed = true;
      // SIGQUIT: nginx's graceful stop; only the master this helper started.
      Deno.kill(child.pid, "SIGQUIT");
      await child.output();
    },
  };
}
