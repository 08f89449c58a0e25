/**
 * The configuration language: parse, merge, load, substitute, annotate.
 *
 * @example
 * ```ts
 * import { Buildout, loadConfig } from "./src/config/mod.ts";
 * const buildout = new Buildout(await loadConfig(opts));
 * ```
 *
 * @module
 */

export * from "./types.ts";
export * from "./parse.ts";
export * from "./expr.ts";
export * from "./substitute.ts";
export * from "./merge.ts";
export * from "./load.ts";
export * from "./buildout.ts";
export * from "./annotate.ts";
export * from "../pyrepr.ts";
