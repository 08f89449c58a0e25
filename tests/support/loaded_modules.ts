/**
 * Run buildout (`main` with this process's arguments) and print, after its
 * output, one line per module of `src/` that V8 parsed: what the run loaded.
 * Run as a subprocess by tests of what a run does not load.
 *
 * @module
 */
import { Session } from "node:inspector";

const session = new Session();
session.connect();
const parsed = new Set<string>();
session.on(
  "Debugger.scriptParsed",
  (m: { params: { url: string } }) => parsed.add(m.params.url),
);
await new Promise((done) => session.post("Debugger.enable", {}, done));
const { main } = await import("../../src/cli/main.ts");
const code = await main(Deno.args);
const src = new URL("../../src/", import.meta.url).href;
for (const url of [...parsed].sort()) {
  if (url.startsWith(src)) console.log(`loaded: src/${url.slice(src.length)}`);
}
Deno.exit(code);
