/**
 * Runs the buildout CLI in this process (as main.ts does), then tries one
 * request to the URL in `NET_PROBE_URL` and prints what the runtime said:
 * `net: <error name>` or `net: ok`. Proves that install-from-cache takes the
 * network permission away from the process itself.
 *
 * Usage: deno run <task flags> tests/support/net_probe.ts [buildout args]
 */
import { main } from "../../src/cli/main.ts";

const code = await main(Deno.args);
try {
  await (await fetch(Deno.env.get("NET_PROBE_URL")!)).body?.cancel();
  console.log("net: ok");
} catch (err) {
  console.log(`net: ${(err as Error).name}`);
}
Deno.exit(code);
