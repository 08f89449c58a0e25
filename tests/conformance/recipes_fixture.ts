/**
 * The Python test recipes zc.buildout's doctests develop in their sample
 * buildout, re-written for the conformance tests: a `recipes` source folder
 * (`setup.py`, `src/<module>.py`) used as a develop egg (`develop = recipes`)
 * and run through the Python recipe bridge. Each module does what the
 * doctests describe for it; the code is this project's own.
 *
 * @module
 */
import { join } from "node:path";
import { type Sample, withSample } from "./support.ts";

/**
 * `recipes:mkdir`, first shape: one `path`, made absolute by the
 * constructor, which logs an error and raises `UserError('Invalid Path')`
 * when its parent folder is missing; install logs the base name it creates.
 */
export const MKDIR_ONE_PATH = `
import logging
import os
from zc.buildout import UserError


class Mkdir:
    def __init__(self, buildout, name, options):
        self.log = logging.getLogger(name)
        self.options = options
        target = os.path.join(buildout['buildout']['directory'],
                              options['path'])
        options['path'] = target
        parent = os.path.dirname(target)
        if not os.path.isdir(parent):
            self.log.error('Cannot create %s. %s is not a directory.',
                           target, parent)
            raise UserError('Invalid Path')

    def install(self):
        target = self.options['path']
        self.log.info('Creating directory %s', os.path.basename(target))
        os.mkdir(target)
        return target

    def update(self):
        pass
`;

/** The constructor shared by the multi-path shapes (`path` = several). */
const MULTI_INIT = `
import logging
import os
import sys
from zc.buildout import UserError


class Mkdir:
    def __init__(self, buildout, name, options):
        self.log = logging.getLogger(name)
        self.options = options
        base = buildout['buildout']['directory']
        targets = [os.path.join(base, p) for p in options['path'].split()]
        for target in targets:
            if not os.path.isdir(os.path.dirname(target)):
                self.log.error('Cannot create %s. %s is not a directory.',
                               options['path'],
                               os.path.dirname(options['path']))
                raise UserError('Invalid Path')
        options['path'] = ' '.join(targets)

    def update(self):
        pass
`;

/** `recipes:mkdir` for several paths; a failure leaves earlier ones behind. */
export const MKDIR_PATHS = MULTI_INIT + `
    def install(self):
        targets = self.options['path'].split()
        for target in targets:
            self.log.info('Creating directory %s', os.path.basename(target))
            os.mkdir(target)
        return targets
`;

/** Several paths; on failure it removes what it made itself and says so. */
export const MKDIR_CLEANUP = MULTI_INIT + `
    def install(self):
        targets = self.options['path'].split()
        made = []
        try:
            for target in targets:
                self.log.info('Creating directory %s',
                              os.path.basename(target))
                os.mkdir(target)
                made.append(target)
        except Exception:
            for target in made:
                os.rmdir(target)
                self.log.info('Removed %s due to error',
                              os.path.basename(target))
            sys.stdout.flush()
            raise
        return targets
`;

/** Several paths, each registered with `options.created()` (the final shape). */
export const MKDIR_CREATED = MULTI_INIT + `
    def install(self):
        for target in self.options['path'].split():
            self.log.info('Creating directory %s', os.path.basename(target))
            os.mkdir(target)
            self.options.created(target)
        return self.options.created()
`;

/** `recipes:debug`: prints every option of its part, sorted, on install and update. */
export const DEBUG = `
import sys


class Debug:
    def __init__(self, buildout, name, options):
        self.options = options

    def install(self):
        for key, value in sorted(self.options.items()):
            sys.stdout.write('%s %s\\n' % (key, value))
        return ()

    update = install
`;

/**
 * `recipes:environ`: needs option `name`, prints `HOME`, `USERPROFILE` and
 * what `~` expands to.
 */
export const ENVIRON = `
import os
import sys


class Environ:
    def __init__(self, buildout, name, options):
        self.options = options

    def install(self):
        self.options['name']
        for var in ('HOME', 'USERPROFILE'):
            sys.stdout.write('%s %s\\n' % (var, os.environ.get(var)))
        sys.stdout.write('expanduser %s\\n' % os.path.expanduser('~'))
        return ()

    update = install
`;

/**
 * `recipes:service`: pretends to register `script` as a system service;
 * `uninstall_service` (an uninstall entry point) pretends to remove it.
 */
export const SERVICE = `
import sys


class Service:
    def __init__(self, buildout, name, options):
        self.options = options

    def install(self):
        sys.stdout.write('chkconfig --add %s\\n' % self.options['script'])
        return ()

    def update(self):
        pass


def uninstall_service(name, options):
    sys.stdout.write('chkconfig --del %s\\n' % options['script'])
`;

/** An uninstall entry point that reports the size of the mkdir part's folder. */
export const BACKUP = `
import os
import sys


def backup_directory(name, options):
    folder = options['path']
    sys.stdout.write('backing up directory %s of size %s\\n'
                     % (folder, len(os.listdir(folder))))
`;

/** Entry points by group (`zc.buildout`, `zc.buildout.uninstall`, ...). */
export type EntryPoints = Record<string, Record<string, string>>;

/** The `recipes` folder's default: mkdir (final shape), debug, environ. */
export const DEFAULT_MODULES: Record<string, string> = {
  mkdir: MKDIR_CREATED,
  debug: DEBUG,
  environ: ENVIRON,
};

/** The default entry points: the three recipes. */
export const DEFAULT_ENTRY_POINTS: EntryPoints = {
  "zc.buildout": {
    mkdir: "mkdir:Mkdir",
    debug: "debug:Debug",
    environ: "environ:Environ",
  },
};

/**
 * The `setup.py` of a develop-egg project `name` whose modules live in
 * `src/`.
 *
 * @example
 * ```ts
 * setupPy("recipes", ["debug"], { "zc.buildout": { debug: "debug:Debug" } });
 * ```
 */
export function setupPy(
  name: string,
  modules: string[],
  entryPoints: EntryPoints,
): string {
  const eps = Object.entries(entryPoints).map(([group, eps]) =>
    `        ${JSON.stringify(group)}: [${
      Object.entries(eps).map(([k, v]) => JSON.stringify(`${k} = ${v}`))
        .join(", ")
    }],\n`
  ).join("");
  return `from setuptools import setup

setup(
    name=${JSON.stringify(name)},
    package_dir={'': 'src'},
    py_modules=${JSON.stringify(modules.sort())},
    entry_points={
${eps}    },
)
`;
}

/**
 * Write (or rewrite) the develop-egg project folder `folder` of sample `s`:
 * `setup.py` and `src/<module>.py` for each module.
 *
 * @example
 * ```ts
 * await writeProject(s, "recipes", { mkdir: MKDIR_PATHS }, {
 *   "zc.buildout": { mkdir: "mkdir:Mkdir" },
 * });
 * ```
 */
export async function writeProject(
  s: Sample,
  folder: string,
  modules: Record<string, string>,
  entryPoints: EntryPoints,
  name = folder,
): Promise<void> {
  for (const [m, text] of Object.entries(modules)) {
    await s.write(`${folder}/src/${m}.py`, text);
  }
  await s.write(
    `${folder}/setup.py`,
    setupPy(name, Object.keys(modules), entryPoints),
  );
}

/**
 * Run `fn` in a sample buildout laid out like the doctests' one: `bin/`,
 * `eggs/`, `develop-eggs/`, `parts/`, the `recipes` project (mkdir, debug,
 * environ) and `buildout.cfg` holding `cfg`.
 *
 * @example
 * ```ts
 * await withRecipes("[buildout]\ndevelop = recipes\nparts =\n", async (s) => {
 *   (await s.run()).stdout; // "Develop: '/sample-buildout/recipes'\n"
 * });
 * ```
 */
export function withRecipes(
  cfg: string,
  fn: (s: Sample) => Promise<void>,
): Promise<void> {
  return withSample({ "buildout.cfg": cfg }, async (s) => {
    for (const d of ["bin", "eggs", "develop-eggs", "parts"]) {
      await Deno.mkdir(join(s.dir, d));
    }
    await writeProject(s, "recipes", DEFAULT_MODULES, DEFAULT_ENTRY_POINTS);
    await fn(s);
  });
}
