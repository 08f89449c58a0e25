/**
 * The Python side of the recipe bridge, part 2: `zc.buildout.easy_install`
 * and `zc.buildout.download` (both call back into buildout for Deno) and
 * the server loop (`_buildout_bridge.py`).
 *
 * @module
 */

/**
 * SERVER_PY: path (relative to the bridge folder) -> Python source.
 *
 * @example
 * ```ts
 * SERVER_PY["_buildout_bridge.py"]; // the server run as a script
 * ```
 */
export const SERVER_PY: Record<string, string> = {
  "zc/buildout/easy_install.py": String
    .raw`"""Installing distributions and writing scripts, done by buildout for Deno:
its resolver, pins, cache and offline rules apply (one resolver, not two)."""
import os
import sys
from zc.buildout import _channel


class Distribution(object):
    def __init__(self, d):
        self.project_name = d["name"]
        self.key = d["key"]
        self.version = d["version"]
        self.location = d["location"]

    def __repr__(self):
        return "%s %s" % (self.project_name, self.version)


class WorkingSet(object):
    """The distributions installed, in sys.path order."""

    def __init__(self, dists=()):
        self._dists = [Distribution(d) for d in dists]

    def __iter__(self):
        return iter(self._dists)

    def __len__(self):
        return len(self._dists)

    @property
    def entries(self):
        return [d.location for d in self._dists]

    def find(self, req):
        name = getattr(req, "key", None) or getattr(req, "project_name", req)
        key = _key(str(name))
        for d in self._dists:
            if d.key == key:
                return d
        return None

    def _records(self):
        return [{"key": d.key, "location": d.location} for d in self._dists]


def _key(name):
    import re
    return re.sub(r"[-_.]+", "-", name).lower()


def install(specs, dest=None, links=(), index=None, executable=sys.executable,
            always_unzip=None, path=None, working_set=None, newest=True,
            versions=None, use_dependency_links=None, allow_hosts=("*",),
            include_site_packages=None, allowed_eggs_from_site_packages=None,
            check_picked=True, allow_unknown_extras=False):
    dists = _channel.call("install", specs=[str(s) for s in specs],
                          links=list(links or ()), index=index)
    ws = WorkingSet(dists)
    for d in ws:
        if d.location not in sys.path:
            sys.path.append(d.location)
    return ws


def working_set(specs, executable=sys.executable, path=None, **kw):
    return install(specs, None, executable=executable, path=path, **kw)


def scripts(reqs, working_set, executable, dest=None, scripts=None,
            extra_paths=(), arguments="", interpreter=None,
            initialization="", relative_paths=False):
    named, entries = [], []
    for r in reqs:
        if isinstance(r, str):
            named.append(r)
        else:
            entries.append("%s=%s:%s" % tuple(r))
    return _channel.call(
        "scripts", reqs=named, entries=entries, executable=executable,
        ws=working_set._records(), dest=dest,
        scripts=None if scripts is None else dict(scripts),
        extra_paths=list(extra_paths), arguments=arguments,
        interpreter=interpreter, initialization=initialization,
        relative_paths=bool(relative_paths))


sitepackage_safe_scripts = scripts
`,
  "zc/buildout/download.py": String
    .raw`"""The download utility, done by buildout for Deno (its cache and offline
rules apply)."""
from zc.buildout import _channel


class Download(object):
    def __init__(self, options=None, cache=None, namespace=None,
                 offline=None, fallback=False, hash_name=False, logger=None):
        self.namespace = namespace
        self.hash_name = hash_name
        self.fallback = fallback

    def __call__(self, url, md5sum=None, path=None):
        got = _channel.call("download", url=url, md5=md5sum, path=path,
                            namespace=self.namespace,
                            hash_name=self.hash_name)
        return got["path"], got["is_temp"]

    download = __call__
`,
  "_buildout_bridge.py": String
    .raw`"""The Python side of buildout for Deno's recipe bridge: constructs recipes,
runs install/update/uninstall, reports back over line-delimited JSON."""
import importlib
import json
import logging
import os
import sys
import traceback

_proto = os.fdopen(os.dup(1), "w")
os.dup2(2, 1)  # what recipes' subprocesses write to fd 1 goes to stderr

from zc.buildout import _channel, UserError  # noqa: E402
from zc.buildout.buildout import Buildout  # noqa: E402

_channel.open_channel(_proto, sys.stdin)


class _Out(object):
    """sys.stdout of recipes: whole lines sent to buildout for Deno."""

    def __init__(self):
        self._buf = ""

    def write(self, text):
        self._buf += text
        while "\n" in self._buf:
            line, self._buf = self._buf.split("\n", 1)
            _channel.emit({"ev": "out", "text": line})
        return len(text)

    def flush(self):
        if self._buf:
            _channel.emit({"ev": "out", "text": self._buf})
            self._buf = ""

    def isatty(self):
        return False


sys.stdout = _Out()


class _Handler(logging.Handler):
    def emit(self, record):
        try:
            msg = record.getMessage()
        except Exception:
            msg = str(record.msg)
        _channel.emit({"ev": "log", "level": record.levelno,
                       "levelname": record.levelname,
                       "name": record.name, "msg": msg})


def _guard_network():
    import socket

    def _no_network(*a, **k):
        raise OSError("Network access is disabled (offline or "
                      "install-from-cache)")
    _connect = socket.socket.connect

    def _guarded(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6):
            _no_network()
        return _connect(self, address)
    socket.socket.connect = _guarded
    socket.socket.connect_ex = _guarded
    socket.getaddrinfo = _no_network
    socket.gethostbyname = _no_network
    socket.create_connection = _no_network


def _load(module, attr):
    obj = importlib.import_module(module)
    for a in attr.split("."):
        obj = getattr(obj, a)
    return obj


def _paths(result):
    if result is None:
        return None
    if isinstance(result, str):
        return [result]
    return [str(p) for p in result]


def main():
    root = logging.getLogger()
    root.handlers[:] = [_Handler()]
    root.setLevel(int(os.environ.get("BUILDOUT_BRIDGE_LOG_LEVEL", "20")))
    if os.environ.get("BUILDOUT_BRIDGE_NO_NETWORK") == "1":
        _guard_network()
    buildout = Buildout()
    recipes = {}
    for line in sys.stdin:
        req = json.loads(line)
        op = req["op"]
        if op == "exit":
            break
        buildout.refresh()
        for p in req.get("path", ()):
            if p not in sys.path:
                sys.path.append(p)
        if req.get("directory"):
            os.chdir(req["directory"])
        try:
            part = req.get("part")
            if op == "construct":
                options = buildout.register(part, req["options"])
                factory = _load(req["module"], req["attr"])
                recipes[part] = factory(buildout, part, options)
                result = None
            elif op == "install":
                buildout[part]._created = []
                result = _paths(recipes[part].install())
            elif op == "update":
                update = getattr(recipes[part], "update", None)
                if update is None:
                    result = {"missing": True}
                else:
                    buildout[part]._created = []
                    result = {"paths": _paths(update())}
            elif op == "uninstall":
                _load(req["module"], req["attr"])(part, dict(req["options"]))
                result = None
            elif op in ("extension", "unload"):
                _load(req["module"], req["attr"])(buildout)
                result = None
            else:
                raise ValueError("unknown operation %r" % op)
            sys.stdout.flush()
            _channel.emit({"done": True, "result": result})
        except UserError as e:
            sys.stdout.flush()
            _channel.emit({"done": True, "error": {
                "user": True, "message": str(e),
                "context": getattr(e, "_buildout_context", [])}})
        except Exception as e:
            sys.stdout.flush()
            _channel.emit({"done": True, "error": {
                "type": type(e).__name__, "message": str(e),
                "traceback": traceback.format_exc(),
                "context": getattr(e, "_buildout_context", [])}})


if __name__ == "__main__":
    main()
`,
};
