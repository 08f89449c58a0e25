/**
 * The working-copy interface shared by the kinds of sources (git, fs), and
 * what they are given to work with.
 *
 * @module
 */
import { UserError } from "../errors.ts";
import type { Logger } from "../log.ts";
import type { GitRunner } from "./gitcmd.ts";
import type { Source, Submodules } from "./sources.ts";

/** A checkout's state: no changes, local changes, or commits not pushed. */
export type WcStatus = "clean" | "dirty" | "ahead";

/** Why the network may not be used, when it may not. */
export type NoNetwork = "offline" | "install-from-cache" | undefined;

/** Surroundings of a working copy. */
export interface WcContext {
  /** mr.developer's log lines. */
  log: Logger;
  git: GitRunner;
  noNetwork: NoNetwork;
  /** `update-git-submodules` of `[buildout]`. */
  submodules: Submodules;
  /** Show the version-control program's output. */
  verbose: boolean;
  /** Where that output goes. */
  print: (line: string) => void;
}

/** A source's checkout folder, for one kind of repository. */
export interface WorkingCopy {
  readonly source: Source;
  /** Clone when missing, else update (when `update`) or check the URL. */
  checkout(o: { update: boolean; force: boolean }): Promise<void>;
  /** Bring an existing checkout up to date; dirty ones only with `force`. */
  update(o: { force: boolean }): Promise<void>;
  status(): Promise<WcStatus>;
  /** Local changes as the version-control program lists them. */
  statusText(): Promise<string>;
  /** Whether the checkout comes from the source's URL. */
  matches(): Promise<boolean>;
}

/**
 * The error for a network operation while the network is off.
 *
 * @example
 * ```ts
 * throw noNetworkError("pkg", "file:///r/pkg", "offline");
 * ```
 */
export function noNetworkError(
  name: string,
  url: string,
  why: Exclude<NoNetwork, undefined>,
): UserError {
  const mode = why === "offline" ? "offline" : "in install-from-cache mode";
  return new UserError(
    `Source '${name}' is not checked out and buildout is ${mode}: ` +
      `cannot clone '${url}'.`,
  );
}

/**
 * The error for an update while the network is off.
 *
 * @example
 * ```ts
 * throw noUpdateError("pkg", "offline");
 * ```
 */
export function noUpdateError(
  name: string,
  why: Exclude<NoNetwork, undefined>,
): UserError {
  const mode = why === "offline" ? "offline" : "in install-from-cache mode";
  return new UserError(
    `Can't update package '${name}' because buildout is ${mode}.`,
  );
}
