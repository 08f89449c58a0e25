/**
 * Child process of download_memory_test.ts: download `Deno.args[0]` to
 * `Deno.args[1]`, checking the sha256 `Deno.args[2]`, then print this
 * process's peak resident memory (VmHWM, in KiB).
 *
 * @module
 */
import { downloadTo } from "../../src/fetch/http.ts";

await downloadTo(Deno.args[0], Deno.args[1], {
  hashes: { sha256: Deno.args[2] },
});
const status = Deno.readTextFileSync("/proc/self/status");
console.log(status.match(/^VmHWM:\s*(\d+) kB$/m)![1]);
