/**
 * No network for the bridge process under `offline` / `install-from-cache`:
 * a fresh user and network namespace (`unshare -rn`) where the machine
 * allows one, else a socket guard inside Python (as the sdist builds use).
 *
 * @module
 */

let probed: Promise<boolean> | undefined;

/** Whether `unshare -rn` works here (asked once per process). */
function unshareWorks(): Promise<boolean> {
  return probed ??= new Deno.Command("unshare", {
    args: ["-rn", "true"],
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).output().then((r) => r.success, () => false);
}

/** How to start the bridge without network. */
export interface Isolation {
  /** Command words before the Python executable (`["unshare", "-rn"]`). */
  prefix: string[];
  /** Environment for the socket guard, when no namespace is available. */
  env: Record<string, string>;
}

/**
 * The isolation for a run: none when the network is allowed.
 *
 * @example
 * ```ts
 * await isolation(true); // { prefix: ["unshare", "-rn"], env: {} }
 * await isolation(false); // { prefix: [], env: {} }
 * ```
 */
export async function isolation(noNetwork: boolean): Promise<Isolation> {
  if (!noNetwork) return { prefix: [], env: {} };
  if (
    Deno.env.get("BUILDOUT_BRIDGE_NO_UNSHARE") !== "1" && await unshareWorks()
  ) {
    return { prefix: ["unshare", "-rn"], env: {} };
  }
  return { prefix: [], env: { BUILDOUT_BRIDGE_NO_NETWORK: "1" } };
}
