import assert from "node:assert/strict";
import { importOrder } from "../../src/scripts/clashes.ts";
import type { NameKind } from "../../src/scripts/toplevel.ts";

interface D {
  name: string;
  version: string;
  names: Record<string, NameKind>;
}

const d = (name: string, names: Record<string, NameKind> = {}): D => ({
  name,
  version: "1",
  names,
});
const order = (dists: D[]) =>
  importOrder(dists, (x) => new Map(Object.entries(x.names)));
const names = (r: { dists: D[] }) => r.dists.map((x) => x.name);

Deno.test("no clash: order unchanged, no warning", () => {
  const ws = [d("a", { a: "module" }), d("b", { b: "package" })];
  const r = order(ws);
  assert.deepEqual(names(r), ["a", "b"]);
  assert.deepEqual(r.warnings, []);
});

Deno.test("a package listed after a same-named module moves just ahead of it; the eggs between keep their place", () => {
  const r = order([
    d("x"),
    d("pytest", { py: "module", pytest: "package" }),
    d("y"),
    d("py", { py: "package" }),
    d("z"),
  ]);
  assert.deepEqual(names(r), ["x", "py", "pytest", "y", "z"]);
  assert.deepEqual(r.warnings, [
    "Both py 1 and pytest 1 provide the top-level name 'py'; the package from py 1 is used.",
  ]);
});

Deno.test("a package already first: nothing moves, the warning is the same", () => {
  const r = order([d("py", { py: "package" }), d("pytest", { py: "module" })]);
  assert.deepEqual(names(r), ["py", "pytest"]);
  assert.deepEqual(r.warnings, [
    "Both py 1 and pytest 1 provide the top-level name 'py'; the package from py 1 is used.",
  ]);
});

Deno.test("namespace portions and two same-named packages are no clash", () => {
  const r = order([
    d("zope.a", { zope: "namespace" }),
    d("zope.b", { zope: "package" }),
    d("zope.c", { zope: "package" }),
    d("m", { nsonly: "module" }),
    d("n", { nsonly: "namespace" }),
  ]);
  assert.deepEqual(names(r), ["zope.a", "zope.b", "zope.c", "m", "n"]);
  assert.deepEqual(r.warnings, []);
});

Deno.test("three providers: every package ahead of every module, one warning listing all", () => {
  const r = order([
    d("m1", { p: "module" }),
    d("m2", { p: "module" }),
    d("pk", { p: "package" }),
  ]);
  assert.deepEqual(names(r), ["pk", "m1", "m2"]);
  assert.deepEqual(r.warnings, [
    "m1 1, m2 1 and pk 1 all provide the top-level name 'p'; the package from pk 1 is used.",
  ]);
});

Deno.test("moving one package ahead may pull another: a chain is settled", () => {
  // c's package q must precede b's module q; b's package p must precede a's module p.
  const r = order([
    d("a", { p: "module" }),
    d("b", { p: "package", q: "module" }),
    d("c", { q: "package" }),
  ]);
  assert.deepEqual(names(r), ["c", "b", "a"]);
  assert.equal(r.warnings.length, 2);
});

Deno.test("a cycle cannot be settled: the warning says the module is used", () => {
  const r = order([
    d("a", { p: "module", q: "package" }),
    d("b", { p: "package", q: "module" }),
  ]);
  assert.deepEqual(names(r), ["a", "b"]);
  assert.deepEqual(r.warnings, [
    "Both a 1 and b 1 provide the top-level name 'p'; the module from a 1 is used.",
    "Both a 1 and b 1 provide the top-level name 'q'; the package from a 1 is used.",
  ]);
});
