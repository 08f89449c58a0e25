/**
 * Child process of memory_test.ts: extract `Deno.args[0]` into `Deno.args[1]`,
 * then print this process's peak resident memory (VmHWM, in KiB).
 *
 * @module
 */
import { extractArchive } from "../../src/extract/archive.ts";

await extractArchive(Deno.args[0], Deno.args[1]);
const status = Deno.readTextFileSync("/proc/self/status");
console.log(status.match(/^VmHWM:\s*(\d+) kB$/m)![1]);
