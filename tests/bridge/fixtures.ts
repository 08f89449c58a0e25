/**
 * Fixture recipes for the bridge tests, written as real wheels into a
 * find-links folder: each a package with its recipe module and
 * `[zc.buildout] default = ...` entry points.
 *
 * @module
 */
import { join } from "node:path";
import { writeWheel } from "../../tools/wheel_writer.ts";

/** mkdir-like: creates `path` (registered with created()), sets `location`. */
export const MKDIR_PY = `
import logging, os
import zc.buildout

class Recipe(object):
    def __init__(self, buildout, name, options):
        self.name, self.options = name, options
        self.log = logging.getLogger(name)
        options['location'] = os.path.join(
            buildout['buildout']['parts-directory'], name)
        options['path'] = os.path.join(
            buildout['buildout']['directory'], options['path'])
        with open(os.path.join(buildout['buildout']['directory'],
                               'constructed.log'), 'a') as f:
            f.write(name + '\\n')

    def install(self):
        path = self.options['path']
        if not os.path.isdir(os.path.dirname(path)):
            raise zc.buildout.UserError(
                'Cannot create %s. %s is not a directory.'
                % (path, os.path.dirname(path)))
        self.log.info('Creating directory %s', os.path.basename(path))
        os.mkdir(path)
        self.options.created(path)
        if self.options.get('fail') == 'yes':
            1 / 0
        print('made it')
        return path

    def update(self):
        self.log.info('updating')
`;

/** An uninstall entry point that reports what it is given. */
export const UNINSTALL_PY = `
import os
def uninstall(name, options):
    print('uninstalling %s %s' % (name, os.path.basename(options['path'])))
`;

/** Asks http://127.0.0.1:<port>/recipe-was-here in install; says how it went. */
export const CONNECT_PY = `
import urllib.request
class Recipe(object):
    def __init__(self, buildout, name, options):
        self.options = options
    def install(self):
        url = 'http://127.0.0.1:%s/recipe-was-here' % self.options['port']
        try:
            urllib.request.urlopen(url, timeout=5)
            print('connected')
        except urllib.error.HTTPError:
            print('connected')
        except OSError:
            print('no connection')
        return ()
`;

/** Installs `eggs` through easy_install and writes their scripts. */
export const SCRIPTS_PY = `
import zc.buildout.easy_install as ei
class Recipe(object):
    def __init__(self, buildout, name, options):
        self.buildout, self.options = buildout, options
    def install(self):
        b = self.buildout['buildout']
        ws = ei.install(self.options['eggs'].split(), b['eggs-directory'])
        print('ws: ' + ' '.join('%s %s' % (d.project_name, d.version) for d in ws))
        return ei.scripts(self.options['eggs'].split(), ws, b['executable'],
                          b['bin-directory'])
    update = install
`;

/** Subclasses zc.recipe.egg's Scripts: adds an initialization, installs through it. */
export const SUBCLASS_PY = `
import zc.recipe.egg

class Recipe(zc.recipe.egg.Scripts):
    def __init__(self, buildout, name, options):
        super().__init__(buildout, name, options)
        options['initialization'] = "print('initialized by ' + %r)" % name

    def install(self):
        reqs, ws = self.working_set()
        print('subclass ws: %s; eggs: %s' % (
            ' '.join(str(d) for d in ws), ' '.join(reqs)))
        return super().install()
`;

/**
 * An extension: adds part `extra` (a built-in mkdir part) to `parts`,
 * changes `[data] paths`; its unload writes `unloaded.marker`.
 */
export const EXTENSION_PY = `
import logging, os

def load(buildout):
    b = buildout['buildout']
    logging.getLogger('myext').info('loading, parts were %s', b['parts'])
    b['parts'] = b['parts'] + ' extra'
    buildout['extra'] = {'recipe': 'mkdir', 'paths': 'from-ext'}
    buildout['data']['paths'] = buildout['data']['paths'] + '-changed'

def unload(buildout):
    with open(os.path.join(buildout['buildout']['directory'],
                           'unloaded.marker'), 'a') as f:
        f.write(buildout['buildout']['parts'] + '\\n')
`;

/**
 * Write the fixture distributions into `dir`: mkrecipe 1.0 (mkdir-like with
 * an uninstall entry point), netrecipe 1.0, scriptrecipe 1.0, subrecipe 1.0
 * (subclasses zc.recipe.egg.Scripts), myext 1.0 (an extension) and greet 1.0 (a console script).
 *
 * @example
 * ```ts
 * await writeFixtures(join(dir, "links"));
 * ```
 */
export async function writeFixtures(dir: string): Promise<void> {
  await Deno.mkdir(dir, { recursive: true });
  await writeWheel(dir, {
    name: "mkrecipe",
    version: "1.0",
    requires: ["zc.buildout"],
    files: {
      "mkrecipe/__init__.py": MKDIR_PY,
      "mkrecipe/uninstall.py": UNINSTALL_PY,
    },
    entryPoints: {
      "zc.buildout": { default: "mkrecipe:Recipe" },
      "zc.buildout.uninstall": { default: "mkrecipe.uninstall:uninstall" },
    },
  });
  await writeWheel(dir, {
    name: "netrecipe",
    version: "1.0",
    files: { "netrecipe.py": CONNECT_PY },
    entryPoints: { "zc.buildout": { default: "netrecipe:Recipe" } },
  });
  await writeWheel(dir, {
    name: "scriptrecipe",
    version: "1.0",
    files: { "scriptrecipe.py": SCRIPTS_PY },
    entryPoints: { "zc.buildout": { default: "scriptrecipe:Recipe" } },
  });
  await writeWheel(dir, {
    name: "subrecipe",
    version: "1.0",
    requires: ["zc.recipe.egg"],
    files: { "subrecipe.py": SUBCLASS_PY },
    entryPoints: { "zc.buildout": { default: "subrecipe:Recipe" } },
  });
  await writeWheel(dir, {
    name: "myext",
    version: "1.0",
    requires: ["zc.buildout"],
    files: { "myext.py": EXTENSION_PY },
    entryPoints: {
      "zc.buildout.extension": { default: "myext:load" },
      "zc.buildout.unloadextension": { default: "myext:unload" },
    },
  });
  await writeWheel(dir, {
    name: "greet",
    version: "1.0",
    files: { "greet.py": "def main():\n    print('hello from greet')\n" },
    entryPoints: { console_scripts: { greet: "greet:main" } },
  });
}

/** Path helper: `<dir>/links`. */
export const linksOf = (dir: string) => join(dir, "links");
