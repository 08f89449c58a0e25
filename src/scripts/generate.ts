/**
 * The text of buildout's `bin/` scripts: console scripts and the interpreter
 * script (spec sections 5.4 and 5.5). Pure functions; `write.ts` puts them on
 * disk.
 *
 * @module
 */

import { pyRepr } from "../pyrepr.ts";

/** What every generated script needs to set up `sys.path`. */
export interface PathSetup {
  /** The target Python; becomes the shebang. */
  python: string;
  /** `sys.path` entries, in order (already absolute and realpath'd). */
  paths: string[];
  /** Python source run after the path setup (the `initialization` option). */
  initialization?: string;
  /**
   * The buildout directory when `relative-paths = true`: paths inside it become
   * `join(base, '<relative>')`. Ignored (all paths absolute, no `base` prelude)
   * when `scriptDir` is not inside it.
   */
  relativeTo?: string;
  /** The folder the script is written to (normally `bin/`). */
  scriptDir: string;
}

/** A console script: `sys.exit(<module>.<attrs>(<arguments>))`. */
export interface ConsoleScriptOptions extends PathSetup {
  module: string;
  /** Dotted attribute path inside the module, e.g. `main` or `a.b.c`. */
  attrs: string;
  /** Python source placed inside the call's parentheses. */
  arguments?: string;
}

function trimSlash(p: string): string {
  return p.length > 1 ? p.replace(/\/+$/, "") : p;
}

/** Directory levels from `base` down to `dir`, or undefined when `dir` is not inside `base`. */
function depthBelow(base: string, dir: string): number | undefined {
  if (dir === base) return 0;
  const prefix = base === "/" ? "/" : base + "/";
  if (!dir.startsWith(prefix)) return undefined;
  return dir.slice(prefix.length).split("/").filter((s) => s !== "").length;
}

/**
 * The first line: `#!<python>`, or, when the path cannot stand in a shebang
 * (whitespace, or longer than the kernel's 127 bytes), a `/bin/sh` line that
 * re-executes the script with Python (the next line is valid as both shell and
 * Python).
 */
function shebang(python: string): string[] {
  if (!/\s/.test(python) && new TextEncoder().encode(python).length <= 125) {
    return [`#!${python}`];
  }
  const quoted = '"' + python.replace(/(["\\$`])/g, "\\$1") + '"';
  return ["#!/bin/sh", `'''exec' ${quoted} "$0" "$@"`, "' '''"];
}

interface Preamble {
  head: string[];
  pathLines: string[];
}

/** The last preamble made for each `paths` list: every script of a part shares it. */
const made = new WeakMap<string[], { key: string; preamble: Preamble }>();

/** Shebang, the relative-paths prelude, and the `sys.path` entries as source. */
function preamble(o: PathSetup): Preamble {
  const key = JSON.stringify([o.python, o.relativeTo, o.scriptDir]);
  const last = made.get(o.paths);
  if (last?.key === key) return last.preamble;
  const preamble = makePreamble(o);
  made.set(o.paths, { key, preamble });
  return preamble;
}

function makePreamble(o: PathSetup): Preamble {
  const head = [...shebang(o.python), ""];
  const unique = [...new Set(o.paths)];
  const root = o.relativeTo === undefined ? undefined : trimSlash(o.relativeTo);
  const depth = root === undefined
    ? undefined
    : depthBelow(root, trimSlash(o.scriptDir));
  if (root === undefined || depth === undefined) {
    return { head, pathLines: unique.map(pyRepr) };
  }
  head.push(
    "import os",
    "",
    "join = os.path.join",
    "base = os.path.dirname(os.path.abspath(os.path.realpath(__file__)))",
    ...Array<string>(depth).fill("base = os.path.dirname(base)"),
    "",
  );
  const pathLines = unique.map((p) => {
    const q = trimSlash(p);
    if (q === root) return "base";
    const rest = depthBelow(root, q) === undefined
      ? undefined
      : q.slice(root.length).replace(/^\/+/, "");
    return rest === undefined ? pyRepr(p) : `join(base, ${pyRepr(rest)})`;
  });
  return { head, pathLines };
}

function pathBlock(pathLines: string[]): string[] {
  return [
    "sys.path[0:0] = [",
    ...(pathLines.length ? pathLines.map((l) => `  ${l},`) : ["  "]),
    "  ]",
  ];
}

function initLines(initialization?: string): string[] {
  const text = (initialization ?? "").replace(/\s+$/, "");
  return text.trim() === "" ? [] : [...text.split("\n"), ""];
}

/**
 * A console script in buildout's exact layout (spec 5.4).
 *
 * @example
 * ```ts
 * consoleScript({
 *   python: "/usr/bin/python3", scriptDir: "/b/bin",
 *   paths: ["/b/eggs/demo-0.2-py3.11.egg"], module: "eggrecipedemo", attrs: "main",
 * });
 * // #!/usr/bin/python3
 * //
 * // import sys
 * // sys.path[0:0] = [
 * //   '/b/eggs/demo-0.2-py3.11.egg',
 * //   ]
 * //
 * // import eggrecipedemo
 * //
 * // if __name__ == '__main__':
 * //     sys.exit(eggrecipedemo.main())
 * ```
 */
export function consoleScript(o: ConsoleScriptOptions): string {
  const { head, pathLines } = preamble(o);
  return [
    ...head,
    "import sys",
    ...pathBlock(pathLines),
    "",
    ...initLines(o.initialization),
    `import ${o.module}`,
    "",
    "if __name__ == '__main__':",
    `    sys.exit(${o.module}.${o.attrs}(${o.arguments ?? ""}))`,
    "",
  ].join("\n");
}

// The interpreter's command line, in the spirit of python's own: -i, -I
// (ignored), -c CODE, -m MODULE, a script path (or "-" for stdin), or nothing
// for an interactive console. Options stop at -c/-m or the first argument.
const INTERPRETER_MAIN = `def _interpret(argv, namespace):
    interactive = not argv
    code = module = None
    while argv and argv[0].startswith('-') and argv[0] != '-':
        option = argv.pop(0)
        if option == '--':
            break
        flags = option[1:]
        while flags and code is None and module is None:
            flag, flags = flags[0], flags[1:]
            if flag == 'i':
                interactive = True
            elif flag == 'I':
                pass
            elif flag in 'cm':
                if not flags:
                    if not argv:
                        sys.stderr.write(
                            'Argument expected for the -%s option\\n' % flag)
                        sys.exit(2)
                    flags = argv.pop(0)
                if flag == 'c':
                    code = flags
                else:
                    module = flags
            else:
                sys.stderr.write('Unknown option: -%s\\n' % flag)
                sys.exit(2)
        if code is not None or module is not None:
            break
    namespace = dict(namespace)
    del namespace['_interpret']
    namespace.pop('__file__', None)
    if code is not None:
        sys.argv[:] = ['-c'] + argv
        exec(compile(code, '<string>', 'exec'), namespace)
    elif module is not None:
        sys.argv[:] = [module] + argv
        namespace = __import__('runpy').run_module(
            module, run_name='__main__', alter_sys=True)
    elif argv and argv[0] == '-':
        sys.argv[:] = argv
        exec(compile(sys.stdin.read(), '<stdin>', 'exec'), namespace)
    elif argv:
        sys.argv[:] = argv
        namespace = __import__('runpy').run_path(argv[0], run_name='__main__')
    if interactive:
        try:
            import readline
        except ImportError:
            pass
        __import__('code').interact(banner='', local=namespace, exitmsg='')


_interpret(sys.argv[1:], globals())
`;

/**
 * The interpreter script (`interpreter = py`, spec 5.5): a Python with the
 * part's paths that accepts `-c`, `-m`, `-i`, `-I`, a script path with its
 * arguments, or no arguments for an interactive console.
 *
 * @example
 * ```ts
 * const text = interpreterScript({
 *   python: "/usr/bin/python3", scriptDir: "/b/bin", paths: ["/b/eggs/demo-0.2-py3.11.egg"],
 * });
 * // "#!/usr/bin/python3\n\nimport sys\n\nsys.path[0:0] = [\n  '/b/eggs/demo-0.2-py3.11.egg',\n  ]\n\n..."
 * ```
 */
export function interpreterScript(o: PathSetup): string {
  const { head, pathLines } = preamble(o);
  return [
    ...head,
    "import sys",
    "",
    ...pathBlock(pathLines),
    "",
    ...initLines(o.initialization),
    INTERPRETER_MAIN,
  ].join("\n");
}

/** The pieces of buildout's path setup, for scripts built around other source. */
export interface PathSetupParts {
  /** The shebang line(s) for the target Python. */
  shebang: string[];
  /** The `relative-paths` prelude (`import os`, `join`, `base`), or `[]`. */
  prelude: string[];
  /** `sys.path[0:0] = [ ... ]`, one line per entry. */
  pathBlock: string[];
}

/**
 * The shebang, relative-paths prelude and `sys.path` block that console
 * scripts use, as separate line lists (distutils scripts put the script's own
 * leading lines between them).
 *
 * @example
 * ```ts
 * pathSetupParts({ python: "/usr/bin/python3", scriptDir: "/b/bin", paths: ["/b/eggs/x.egg"] });
 * // { shebang: ["#!/usr/bin/python3"], prelude: [],
 * //   pathBlock: ["sys.path[0:0] = [", "  '/b/eggs/x.egg',", "  ]"] }
 * ```
 */
export function pathSetupParts(o: PathSetup): PathSetupParts {
  const { head, pathLines } = preamble(o);
  const blank = head.indexOf("");
  return {
    shebang: head.slice(0, blank),
    prelude: head.slice(blank + 1),
    pathBlock: pathBlock(pathLines),
  };
}
