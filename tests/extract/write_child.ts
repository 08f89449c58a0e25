/**
 * Child of write_thread_test.ts: run with write access to `<dir>/ok` only, it
 * asks the writer thread for a file there and one beside it, and prints what
 * each settle gave as JSON.
 *
 * @module
 */
import { WriteThread } from "../../src/extract/write_thread.ts";

const dir = Deno.args[0];
const w = new WriteThread();
const data = new TextEncoder().encode("x");
const outcome = async (path: string) => {
  w.writeFile(path, data, 0o644);
  return await w.settled().then(() => "written", (e) => e.name);
};
try {
  console.log(JSON.stringify({
    inside: await outcome(`${dir}/ok/a.txt`),
    outside: await outcome(`${dir}/b.txt`),
  }));
} finally {
  w.close();
}
