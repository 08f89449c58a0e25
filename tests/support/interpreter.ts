/**
 * A fixed CPython 3.11 on Linux for tests that need an `Interpreter` without
 * asking a real Python.
 *
 * @module
 */
import type { Interpreter } from "../../src/python/interpreter.ts";

/** CPython 3.11.7, linux-x86_64, a few wheel tags, the given marker values. */
export function fakeInterpreter(
  markerEnv: Record<string, string> = {},
): Interpreter {
  return {
    executable: "/usr/bin/python3",
    version: "3.11.7",
    pyVersion: "3.11",
    implementation: "cpython",
    platform: "linux-x86_64",
    tags: [
      "cp311-cp311-manylinux_2_17_x86_64",
      "cp311-abi3-manylinux_2_17_x86_64",
      "cp311-none-any",
      "py3-none-any",
    ],
    markerEnv,
  };
}
