/**
 * Data shapes shared by the configuration modules (see docs/ARCHITECTURE.md).
 *
 * @module
 */

/** Source labels that are not files. */
export const DEFAULT_VALUE = "DEFAULT_VALUE";
/** Source label of values buildout computes (`directory`). */
export const COMPUTED_VALUE = "COMPUTED_VALUE";
/** Source label of command-line assignments. */
export const COMMAND_LINE_VALUE = "COMMAND_LINE_VALUE";
/** Source label of the empty base a `+=`/`-=` works on when no lower layer has the option. */
export const IMPLICIT_VALUE = "IMPLICIT_VALUE";

/** One step in the life of an option, oldest first in {@link RawOption.history}. */
export interface HistoryEntry {
  op: "SET" | "ADD" | "REMOVE" | "OVERRIDE" | "DIRECTORY";
  value: string;
  /** An absolute file path, a URL, or one of the `*_VALUE` labels. */
  source: string;
}

/** A merged option before substitution. `source` is the last history entry's source. */
export interface RawOption {
  value: string;
  source: string;
  history: HistoryEntry[];
}

/** A section's merged options. */
export type RawSection = Map<string, RawOption>;
/** The merged configuration, before substitution. */
export type RawConfig = Map<string, RawSection>;

/** A command-line assignment `[section:]option[+|-]=value`. */
export interface Assignment {
  section: string;
  option: string;
  op: "=" | "+=" | "-=";
  value: string;
}

/** Source label of sections a recipe added at run time (`Buildout.addSection`). */
export const RECIPE_VALUE = "RECIPE_VALUE";
