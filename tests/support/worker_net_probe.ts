/**
 * Shows that a Web Worker never has more permission than the main thread:
 * revokes the network as install-from-cache does (`src/cli/io.ts`), then asks
 * two workers, one started before the revoke and one after, to fetch a URL,
 * and prints what the runtime said. The workers use Deno's default
 * permissions for workers (those of the main thread, shared).
 *
 * Usage: deno run <task flags> tests/support/worker_net_probe.ts
 */

const SOURCE = `
self.onmessage = async (e) => {
  try {
    await (await fetch(e.data)).body?.cancel();
    self.postMessage("ok");
  } catch (err) {
    self.postMessage(err.name);
  }
};
`;
const dir = await Deno.makeTempDir();
const file = `${dir}/probe_worker.js`;
await Deno.writeTextFile(file, SOURCE);
const start = () =>
  new Worker(new URL(`file://${file}`).href, { type: "module" });
const ask = (w: Worker, msg: string) =>
  new Promise<string>((resolve) => {
    w.onmessage = (e) => resolve(e.data);
    w.postMessage(msg);
  });

const server = Deno.serve(
  { hostname: "127.0.0.1", port: 0, onListen() {} },
  () => new Response("hello"),
);
const url = `http://127.0.0.1:${server.addr.port}/`;
const early = start();
console.log(`before the revoke: ${await ask(early, url)}`);
Deno.permissions.revokeSync({ name: "net" });
const late = start();
console.log(`started before the revoke: ${await ask(early, url)}`);
console.log(`started after the revoke: ${await ask(late, url)}`);
early.terminate();
late.terminate();
await server.shutdown();
await Deno.remove(dir, { recursive: true });
