/**
 * Imports every built-in recipe module so each registers its names.
 * Add one import line per recipe module.
 *
 * @example
 * ```ts
 * import "./recipes/builtin.ts";
 * lookupRecipe("data", "mkdir");
 * ```
 *
 * @module
 */
import "./mkdir.ts";
import "./download.ts";
import "./egg.ts";
import "./command.ts";
import "./template.ts";
import "./cmd.ts";
import "./testrunner.ts";
import "./omelette.ts";
import "./egg_custom.ts";
import "./z3c_mkdir.ts";
import "./cmmi.ts";
