/**
 * Installing one distribution file into the eggs directory.
 *
 * Every install is built in a private `.tmp-<random>` folder inside the eggs
 * directory and renamed into place, so a failure or a killed run never leaves
 * a partial egg under a final name. When the final name already exists and
 * holds the same project and version (a buildout running in parallel), it is
 * accepted with buildout's warning; otherwise it is an error. Existing eggs are
 * never deleted.
 *
 * @module
 */

import { eggFacts } from "./facts.ts";
import { basename, join } from "node:path";
import { UserError } from "../errors.ts";
import { parseDistFilename } from "../pypa/filename.ts";
import { normalizeName } from "../pypa/name.ts";
import { compareVersions } from "../pypa/version.ts";
import type { Logger } from "../log.ts";
import { buildFromEgg } from "./egg.ts";
import { existsSync, removeTreeSync } from "../fsutil.ts";
import {
  type InstalledDist,
  readInstalledDist,
  type TargetPython,
} from "./metadata.ts";
import {
  buildFromSdist,
  installBuiltFile,
  type SdistBuildOptions,
} from "./sdist.ts";
import type { SdistBuilds } from "./builds.ts";
import { buildFromWheel, type Built } from "./wheel.ts";
import type { ExtractLimits } from "../extract/limits.ts";
import type { EarlyWheels } from "./early_wheels.ts";

/**
 * Install `file` (egg, wheel or sdist) into `eggsDir` and return the
 * installed distribution read from its final location. Archives are
 * extracted under `limits` (default: `DEFAULT_LIMITS`); an sdist is built
 * with `build` (build_ext options, environment), or, without `build`, taken
 * from `builds` (the built cache) when given. A wheel is taken from `wheels`
 * (unpacked ahead, possibly on another thread) when given.
 *
 * @example
 * ```ts
 * const dist = await installArtifact("/cache/dist/demo-0.2-py3.11.egg", "/b/eggs", interp, log);
 * dist.location; // "/b/eggs/demo-0.2-py3.11.egg"
 * ```
 */
export async function installArtifact(
  file: string,
  eggsDir: string,
  interp: TargetPython,
  log: Logger,
  limits?: ExtractLimits,
  build?: SdistBuildOptions,
  builds?: SdistBuilds,
  wheels?: Pick<EarlyWheels, "take">,
): Promise<InstalledDist> {
  const kind = parseDistFilename(basename(file))?.kind;
  if (!kind) {
    throw new UserError(`Don't know how to install ${basename(file)}.`);
  }
  if (kind === "wheel" && wheels) {
    const { work, built } = await wheels.take(file);
    const placed = { moved: "" };
    try {
      return placeAndRead(file, built, eggsDir, interp, log, placed);
    } finally {
      if (placed.moved !== work) removeTreeSync(work);
    }
  }
  Deno.mkdirSync(eggsDir, { recursive: true });
  const work = Deno.makeTempDirSync({ dir: eggsDir, prefix: ".tmp-" });
  const placed = { moved: "" };
  try {
    let built: Built;
    if (kind === "egg") built = await buildFromEgg(file, work, limits);
    else if (kind === "wheel") {
      built = await buildFromWheel(file, work, interp, limits);
    } else if (builds && !build) {
      const made = await builds.built(file, log);
      built = await installBuiltFile(made, work, interp, limits);
    } else {
      built = await buildFromSdist(file, work, interp, log, limits, build);
    }
    return placeAndRead(file, built, eggsDir, interp, log, placed);
  } finally {
    // Nothing left to remove when the work folder itself was renamed.
    if (placed.moved !== work) removeTreeSync(work);
  }
}

/**
 * Move `built` into the eggs directory and read it from there (a wheel's
 * metadata from the texts kept while unpacking). `placed.moved` is set to
 * the folder renamed, if any.
 */
function placeAndRead(
  file: string,
  built: Built,
  eggsDir: string,
  interp: TargetPython,
  log: Logger,
  placed: { moved: string },
): InstalledDist {
  const target = join(eggsDir, built.folderName);
  if (placeEgg(built, target, log)) placed.moved = built.dir;
  const dist = readInstalledDist(
    target,
    interp.markerEnv,
    built.distInfo,
    eggFacts(eggsDir),
  );
  if (!dist) {
    throw new UserError(
      `Installing ${
        basename(file)
      } gave ${built.folderName}, which is not an egg name.`,
    );
  }
  return dist;
}

/**
 * Rename the built folder to `target` (true), or accept an identical egg
 * already there (false). The rename comes first: it cannot replace anything
 * but an empty folder, and a target that exists is then checked.
 */
function placeEgg(built: Built, target: string, log: Logger): boolean {
  try {
    Deno.renameSync(built.dir, target);
    return true;
  } catch (e) {
    // There already, or lost a race with a parallel run: check what is there.
    if (!existsSync(target)) throw e;
  }
  let same = false;
  try {
    const there = readInstalledDist(target, {});
    same = !!there &&
      normalizeName(there.name) === normalizeName(built.name) &&
      compareVersions(there.version, built.version) === 0;
  } catch {
    // unreadable: not the expected distribution
  }
  if (!same) {
    throw new UserError(
      `Path ${target} already exists and does not contain ${built.name} ${built.version}; please remove it yourself.`,
    );
  }
  log.warn(`Path ${target} unexpectedly already exists.`);
  log.warn(
    "Maybe a buildout running in parallel has added it. We will accept it.",
  );
  log.warn("If this contains a wrong package, please remove it yourself.");
  log.warn(
    `It contains the expected distribution for ${built.name} ${built.version}.`,
  );
  return false;
}
