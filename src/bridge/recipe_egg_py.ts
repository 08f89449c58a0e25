/**
 * The Python side of the recipe bridge, part 3: `zc.recipe.egg` with `Egg`,
 * `Eggs` and `Scripts` for recipes that subclass them (as
 * plone.recipe.zope2instance subclasses `Scripts`). Their constructor,
 * `working_set()` and `install()` / `update()` call back into the project's
 * egg recipe (src/recipes/egg.ts), so its resolver, pins and script writer
 * are used, with the part's options as they are at that moment.
 *
 * @module
 */

/**
 * RECIPE_EGG_PY: path (relative to the bridge folder) -> Python source.
 *
 * @example
 * ```ts
 * Object.keys(RECIPE_EGG_PY); // ["zc/recipe/__init__.py", ...]
 * ```
 */
export const RECIPE_EGG_PY: Record<string, string> = {
  "zc/recipe/__init__.py": String
    .raw`__path__ = __import__("pkgutil").extend_path(__path__, __name__)
`,
  "zc/recipe/egg/__init__.py": String
    .raw`"""zc.recipe.egg as buildout for Deno's Python recipe bridge provides it:
the classes call back into the project's own egg recipe."""
import sys
from zc.buildout import _channel
from zc.buildout.easy_install import WorkingSet


class Eggs(object):
    """Installs the part's eggs (no scripts)."""

    _scripts = False

    def __init__(self, buildout, name, options):
        self.buildout, self.name, self.options = buildout, name, options
        data = _channel.call("egg", what="init", part=name,
                             scripts=self._scripts)
        for key, value in data.items():
            if options.get(key) != value:
                options._data[key] = value
        self.links = options.get("find-links", "").split()
        self.index = options.get("index")

    def working_set(self, extra=()):
        """(the requirements of eggs, the working set with extra added)"""
        eggs = [r.strip() for r in
                self.options.get("eggs", self.name).split("\n") if r.strip()]
        dists = _channel.call("egg", what="working_set", part=self.name,
                              scripts=self._scripts,
                              extra=[str(e) for e in extra])
        ws = WorkingSet(dists)
        for d in ws:
            if d.location not in sys.path:
                sys.path.append(d.location)
        return eggs, ws

    def install(self):
        return _channel.call("egg", what="install", part=self.name,
                             scripts=self._scripts)

    update = install


class Scripts(Eggs):
    """Installs the part's eggs and writes their scripts."""

    _scripts = True


Egg = Scripts
`,
};
