/**
 * User and group names to numeric ids, as `pwd.getpwnam` / `grp.getgrnam`
 * do: `getent` when there is one (it sees NSS sources), else `/etc/passwd`
 * and `/etc/group`.
 *
 * @module
 */
import { UserError } from "../../errors.ts";
import type { Logger } from "../../log.ts";

function getent(db: string, name: string): string | undefined | null {
  try {
    const out = new Deno.Command("getent", {
      args: [db, name],
      stdout: "piped",
      stderr: "null",
    }).outputSync();
    return out.success ? new TextDecoder().decode(out.stdout) : undefined;
  } catch {
    return null; // no getent
  }
}

function fromFile(file: string, name: string): string | undefined | null {
  let text: string;
  try {
    text = Deno.readTextFileSync(file);
  } catch {
    return null;
  }
  return text.split("\n").find((l) => l.split(":")[0] === name);
}

/**
 * The id of a user or group name; an unknown name is a UserError. Where the
 * system has no user database, a warning and undefined (the default owner).
 *
 * @example
 * ```ts
 * lookupId("user", "root", log, "data"); // 0
 * lookupId("group", "nosuch", log, "data"); // throws "Unknown group 'nosuch' ..."
 * ```
 */
export function lookupId(
  kind: "user" | "group",
  name: string,
  log: Logger,
  part: string,
): number | undefined {
  const db = kind === "user" ? "passwd" : "group";
  if (Deno.build.os === "windows") {
    log.warn(
      `System does not support \`${
        kind === "user" ? "pwd" : "grp"
      }\`. Using default ${kind}`,
    );
    return undefined;
  }
  let line = getent(db, name);
  if (line === null) line = fromFile(`/etc/${db}`, name);
  const fields = (line ?? "").trim().split(":");
  // getent also answers numeric ids; a name is required, as getpwnam does.
  const id = fields[0] === name ? Number(fields[2]) : NaN;
  if (!Number.isInteger(id)) {
    throw new UserError(
      `Unknown ${kind} '${name}' in option '${kind}' of part '${part}'.`,
    );
  }
  return id;
}
