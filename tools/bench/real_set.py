"""A real set of distributions for the benchmark, repacked from this Python.

Every distribution installed in the running interpreter's site-packages whose
requirements are all installed too is written back as a wheel (its own
METADATA, WHEEL tags and entry points; the files its RECORD lists inside
site-packages, without byte-code; a fresh RECORD). A few small pure-Python
ones are written as setup.py sdists instead, so the set has some to build (and
as wheels in OUT_DIR/pip-wheels/, for pip, which cannot build them here). An
`realapp` wheel requires every distribution nothing else in the set requires.

Usage: python3 real_set.py OUT_DIR [MAX_SDISTS]
Prints one JSON line: {"wheels": n, "sdists": n, "bytes": n, "requires": [...]}
"""

import base64
import csv
import hashlib
import io
import json
import os
import re
import sys
import tarfile
import zipfile
import importlib.metadata as md

import pkg_resources

SKIP = {"pip", "setuptools", "wheel"}


def norm(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def complete(dist_name):
    try:
        pkg_resources.require(dist_name)
        return True
    except Exception:
        return False


def members(dist):
    """(archive name, path on disk) of the files the dist installed in site-packages."""
    base = os.path.dirname(str(dist._path))
    info = os.path.basename(str(dist._path))
    out = []
    for f in dist.files or []:
        rel = str(f).replace(os.sep, "/")
        if rel.startswith("../") or "__pycache__/" in rel or rel.endswith(".pyc"):
            continue
        if rel.startswith(info + "/") and rel.split("/")[-1] in (
            "RECORD", "INSTALLER", "REQUESTED", "direct_url.json"):
            continue
        path = os.path.join(base, rel)
        if os.path.isfile(path):
            out.append((rel, path))
    return sorted(out), info


def digest(data):
    h = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
    return "sha256=" + h.decode()


def write_wheel(out_dir, name, version, tags, files, info, extra=()):
    """files: (archive name, bytes or disk path)."""
    fname = "%s-%s-%s.whl" % (name.replace("-", "_"), version, tags)
    rows = []
    with zipfile.ZipFile(os.path.join(out_dir, fname), "w",
                         zipfile.ZIP_DEFLATED) as z:
        for arc, src in list(files) + list(extra):
            data = src if isinstance(src, bytes) else open(src, "rb").read()
            z.writestr(arc, data)
            rows.append((arc, digest(data), str(len(data))))
        rows.append((info + "/RECORD", "", ""))
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerows(rows)
        z.writestr(info + "/RECORD", buf.getvalue())
    return fname


def wheel_tags(dist):
    tags = [l.split(":", 1)[1].strip()
            for l in (dist.read_text("WHEEL") or "").splitlines()
            if l.startswith("Tag:")]
    if not tags:
        return "py3-none-any"
    py, abi, plat = zip(*(t.split("-") for t in tags))
    join = lambda xs: ".".join(dict.fromkeys(xs))
    return "%s-%s-%s" % (join(py), join(abi), join(plat))


def sdist_candidate(dist):
    """Pure Python, a few plain files, no entry points: buildable from setup.py."""
    if "Root-Is-Purelib: true" not in (dist.read_text("WHEEL") or ""):
        return False
    files, info = members(dist)
    code = [a for a, _ in files if not a.startswith(info + "/")]
    return 0 < len(code) <= 12 and not dist.entry_points and all(
        a.endswith(".py") or a.endswith(".typed") for a in code)


def write_sdist(out_dir, dist, name, version):
    files, info = members(dist)
    code = [(a, p) for a, p in files if not a.startswith(info + "/")]
    packages = sorted({a.split("/")[0] for a, _ in code if "/" in a})
    modules = sorted(a[:-3] for a, _ in code if "/" not in a and a.endswith(".py"))
    reqs = [str(r) for r in (dist.requires or [])]
    setup = ("from setuptools import setup, find_packages\n"
             "setup(name=%r, version=%r, packages=find_packages(),\n"
             "      py_modules=%r, install_requires=%r,\n"
             "      package_data={'': ['py.typed']})\n") % (
                 name, version, modules, reqs)
    top = "%s-%s" % (name, version)
    path = os.path.join(out_dir, top + ".tar.gz")
    with tarfile.open(path, "w:gz") as t:
        def add(arc, data):
            ti = tarfile.TarInfo(top + "/" + arc)
            ti.size = len(data)
            ti.mtime = 0
            t.addfile(ti, io.BytesIO(data))
        add("setup.py", setup.encode())
        add("PKG-INFO", (dist.read_text("METADATA") or "").encode())
        for arc, p in code:
            add(arc, open(p, "rb").read())
    return packages


def main():
    if len(sys.argv) not in (2, 3) or not sys.argv[-1].strip():
        sys.exit("usage: python3 real_set.py OUT_DIR [MAX_SDISTS]")
    out_dir = sys.argv[1]
    max_sdists = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    pip_dir = os.path.join(out_dir, "pip-wheels")
    os.makedirs(pip_dir, exist_ok=True)
    chosen = {}
    for dist in md.distributions():
        name = dist.metadata["Name"]
        if norm(name) in SKIP or norm(name) in chosen or not complete(name):
            continue
        chosen[norm(name)] = dist
    required = set()
    for dist in chosen.values():
        for r in pkg_resources.get_distribution(dist.metadata["Name"]).requires():
            required.add(norm(r.project_name))
    wheels = sdists = size = 0
    for key, dist in sorted(chosen.items()):
        name, version = dist.metadata["Name"], dist.version
        files, info = members(dist)
        if sdists < max_sdists and sdist_candidate(dist):
            write_sdist(out_dir, dist, name, version)
            sdists += 1
            # pip cannot build setup.py sdists without the `wheel` package:
            # its side-by-side run gets these as wheels.
            write_wheel(pip_dir, name, version, wheel_tags(dist), files, info)
            continue
        fname = write_wheel(out_dir, name, version, wheel_tags(dist), files,
                            info)
        wheels += 1
        size += os.path.getsize(os.path.join(out_dir, fname))
    roots = sorted(chosen[k].metadata["Name"] for k in chosen
                   if k not in required)
    info = "realapp-1.0.dist-info"
    meta = "Metadata-Version: 2.1\nName: realapp\nVersion: 1.0\n" + "".join(
        "Requires-Dist: %s\n" % r for r in roots)
    write_wheel(out_dir, "realapp", "1.0", "py3-none-any", [], info, [
        ("realapp/__init__.py", b""),
        (info + "/METADATA", meta.encode()),
        (info + "/WHEEL", b"Wheel-Version: 1.0\nGenerator: bench\n"
         b"Root-Is-Purelib: true\nTag: py3-none-any\n"),
    ])
    print(json.dumps({"wheels": wheels + 1, "sdists": sdists, "bytes": size,
                      "requires": roots}))


main()
