/**
 * The Python side of the recipe bridge, part 1: the `zc` namespace and the
 * `zc.buildout` package recipes import (`UserError`, `Buildout`, `Options`)
 * and its channel to buildout for Deno.
 *
 * @module
 */

/**
 * COMPAT_PY: path (relative to the bridge folder) -> Python source.
 *
 * @example
 * ```ts
 * Object.keys(COMPAT_PY); // ["zc/__init__.py", ...]
 * ```
 */
export const COMPAT_PY: Record<string, string> = {
  "zc/__init__.py": String
    .raw`__path__ = __import__("pkgutil").extend_path(__path__, __name__)
`,
  "zc/buildout/__init__.py": String
    .raw`"""zc.buildout as buildout for Deno's Python recipe bridge provides it."""


class UserError(Exception):
    """An error the user can fix: reported without a traceback."""

    def __str__(self):
        return " ".join(map(str, self.args))


from zc.buildout.buildout import Buildout, Options  # noqa: E402,F401
`,
  "zc/buildout/_channel.py": String
    .raw`"""The line-delimited JSON channel to buildout for Deno (one per process)."""
import json
import sys

_out = None
_in = None


class RemoteError(Exception):
    """An error the Deno side reported for a callback."""


def open_channel(out, inp):
    global _out, _in
    _out, _in = out, inp


def emit(msg):
    _out.write(json.dumps(msg) + "\n")
    _out.flush()


def call(fn, **args):
    """Ask the Deno side to do fn and wait for its answer."""
    emit({"ev": "call", "fn": fn, "args": args})
    line = _in.readline()
    if not line:
        sys.exit(0)
    reply = json.loads(line)
    if "error" in reply:
        err = reply["error"]
        if err.get("user"):
            from zc.buildout import UserError
            e = UserError(err["message"])
        else:
            e = RemoteError(err["message"])
        # buildout's While: lines of the failed call, reported with the
        # error if it leaves the recipe
        e._buildout_context = err.get("context") or []
        raise e
    return reply.get("result")
`,
  "zc/buildout/buildout.py": String
    .raw`"""The configuration as recipes see it: sections of resolved options."""
try:
    from collections.abc import MutableMapping
except ImportError:  # pragma: no cover
    from collections import MutableMapping
from zc.buildout import _channel


class Options(MutableMapping):
    """One section's options, values already substituted."""

    def __init__(self, buildout, name, data, live=False):
        self.buildout = buildout
        self.name = name
        self._data = dict(data)
        self._live = live
        self._created = []
        self._read = set()

    def _mark(self, key):
        # reads are reported once, for buildout's unused-option warning
        if key in self._data and key not in self._read:
            self._read.add(key)
            _channel.emit({"ev": "read", "section": self.name, "key": key})

    def __getitem__(self, key):
        self._mark(key)
        try:
            return self._data[key]
        except KeyError:
            from zc.buildout import UserError
            raise UserError("Missing option: %s:%s" % (self.name, key))

    def get(self, key, default=None):
        self._mark(key)
        return self._data.get(key, default)

    def __contains__(self, key):
        self._mark(key)
        return key in self._data

    def __setitem__(self, key, value):
        if not isinstance(value, str):
            raise TypeError("Option values must be strings", value)
        self._data[key] = value
        self._read.add(key)
        _channel.emit({"ev": "set", "section": self.name, "key": key,
                       "value": value})

    def __delitem__(self, key):
        del self._data[key]
        _channel.emit({"ev": "delete", "section": self.name, "key": key})

    def __iter__(self):
        return iter(self._data)

    def __len__(self):
        return len(self._data)

    def keys(self):
        return list(self._data.keys())

    def copy(self):
        return dict(self._data)

    def setdefault(self, key, default):
        if key not in self._data:
            self[key] = default
        return self._data[key]

    def created(self, *paths):
        self._created.extend(paths)
        if paths:
            _channel.emit({"ev": "created", "paths": list(paths)})
        return self._created

    def query_bool(self, name, default=None):
        value = self.get(name, default)
        if value is None:
            return None
        return _bool(self.name, name, value)

    def get_bool(self, name, default="false"):
        return _bool(self.name, name, self.get(name, default))

    def __repr__(self):
        return repr(self._data)


def _bool(section, name, value):
    value = value.strip().lower()
    if value in ("true", "on", "yes", "1"):
        return True
    if value in ("false", "off", "no", "0"):
        return False
    from zc.buildout import UserError
    raise UserError("Invalid value for %s option: %s" % (name, value))


class Buildout(MutableMapping):
    """Sections by name; each is fetched from buildout for Deno when read."""

    def __init__(self):
        self._parts = {}
        self._fetched = {}

    def refresh(self):
        self._fetched = {}

    def register(self, name, data):
        options = Options(self, name, data, live=True)
        self._parts[name] = options
        return options

    def __getitem__(self, name):
        if name in self._parts:
            return self._parts[name]
        if name not in self._fetched:
            data = _channel.call("section", name=name)
            if data is None:
                raise KeyError(name)
            self._fetched[name] = Options(self, name, data)
        return self._fetched[name]

    def __setitem__(self, name, data):
        data = dict((k, str(v)) for (k, v) in dict(data).items())
        self._fetched[name] = Options(
            self, name, _channel.call("add_section", name=name, data=data))

    def parse(self, data):
        import configparser
        import textwrap
        parser = configparser.RawConfigParser()
        parser.optionxform = str
        parser.read_string(textwrap.dedent(data))
        for name in parser.sections():
            self[name] = dict(parser.items(name))

    def __delitem__(self, name):
        raise NotImplementedError("removing sections from a Python recipe")

    def __iter__(self):
        return iter(_channel.call("sections"))

    def __len__(self):
        return len(_channel.call("sections"))

    def __contains__(self, name):
        return name in self._parts or name in _channel.call("sections")
`,
};
