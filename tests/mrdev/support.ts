/**
 * Local git repositories for the mr.developer tests, made with the real
 * `git` program under an isolated configuration (no system or user config).
 *
 * @module
 */
import { join } from "node:path";

/** Environment that keeps a user's git configuration out. */
export function gitEnv(home: string): Record<string, string> {
  return {
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: join(home, ".gitconfig-tests"),
    HOME: home,
    GIT_AUTHOR_NAME: "Test",
    GIT_AUTHOR_EMAIL: "test@example.com",
    GIT_COMMITTER_NAME: "Test",
    GIT_COMMITTER_EMAIL: "test@example.com",
  };
}

/** Run git in `cwd`; throws with its stderr on failure; returns stdout. */
export async function git(
  cwd: string,
  home: string,
  ...args: string[]
): Promise<string> {
  const out = await new Deno.Command("git", {
    args,
    cwd,
    env: gitEnv(home),
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  if (out.code !== 0) {
    throw new Error(`git ${args.join(" ")}: ${dec.decode(out.stderr)}`);
  }
  return dec.decode(out.stdout);
}

/** Write files (relative path -> text) below `dir`. */
export async function writeFiles(
  dir: string,
  files: Record<string, string>,
): Promise<void> {
  for (const [rel, text] of Object.entries(files)) {
    const path = join(dir, rel);
    await Deno.mkdir(join(path, ".."), { recursive: true });
    await Deno.writeTextFile(path, text);
  }
}

/** A Python project: `name.py` whose `main()` prints `label`. */
export function project(name: string, label: string): Record<string, string> {
  return {
    "setup.py": "from setuptools import setup\n" +
      `setup(name='${name}', version='1.0', py_modules=['${name}'],\n` +
      `      entry_points={'console_scripts': ['${name} = ${name}:main']})\n`,
    ".gitignore": "*.egg-info\n",
    [`${name}.py`]: `LABEL = '${label}'\n\ndef main():\n    print(LABEL)\n`,
  };
}

/**
 * A repository at `<root>/<name>` on branch `master` with a commit labelled
 * `v1` (tagged `v1`), a second commit `v2` on `master`, and a branch `dev`
 * (from `v1`) labelled `dev`. Returns its `file://` URL.
 *
 * @example
 * ```ts
 * const url = await makeRepo(root, "pkg", home);
 * ```
 */
export async function makeRepo(
  root: string,
  name: string,
  home: string,
): Promise<string> {
  const dir = join(root, name);
  await Deno.mkdir(dir, { recursive: true });
  await git(dir, home, "init", "-q", "-b", "master");
  await writeFiles(dir, project(name, "v1"));
  await git(dir, home, "add", ".");
  await git(dir, home, "commit", "-q", "-m", "v1");
  await git(dir, home, "tag", "v1");
  await git(dir, home, "checkout", "-q", "-b", "dev");
  await writeFiles(dir, project(name, "dev"));
  await git(dir, home, "commit", "-q", "-am", "dev");
  await git(dir, home, "checkout", "-q", "master");
  await writeFiles(dir, project(name, "v2"));
  await git(dir, home, "commit", "-q", "-am", "v2");
  return `file://${dir}`;
}

/** Non-empty lines. */
export const lines = (text: string): string[] =>
  text.split("\n").filter((l) => l !== "");
