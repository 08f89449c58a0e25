/**
 * The `develop` subcommands (mr.developer's `bin/develop`): status, list,
 * info, checkout, update, activate, deactivate, reset. Each reads the parsed
 * flags and a {@link DevelopContext}; listings go to `out`, messages to the
 * log (`INFO: ...`, `WARNING: ...`).
 *
 * @module
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { existsSync } from "../fsutil.ts";
import type { Logger } from "../log.ts";
import { checkoutSources, updateSources, workingCopy } from "./checkout.ts";
import { selectPackages } from "./select.ts";
import type { DevelopConfig } from "./sources.ts";
import { saveState, type StateFile } from "./state.ts";
import type { WcContext } from "./workingcopy.ts";

/** What a subcommand works with. */
export interface DevelopContext {
  cfg: DevelopConfig;
  state: StateFile;
  /** Develop eggs as the next buildout run would have them. */
  develeggs: Map<string, string>;
  wc: WcContext;
  log: Logger;
  out: (line: string) => void;
}

/** Parsed flags and positional arguments. */
export interface SubArgs {
  flags: Set<string>;
  /** `info` output fields in the order given. */
  fields: string[];
  regexps: string[];
}

/** A subcommand. */
export type Subcommand = (c: DevelopContext, a: SubArgs) => Promise<void>;

function pick(c: DevelopContext, a: SubArgs, checkedOut = a.flags.has("c")) {
  return selectPackages(c.cfg, c.develeggs, a.regexps, {
    autoCheckout: a.flags.has("a"),
    develop: a.flags.has("d"),
    checkedOut,
  });
}

function active(c: DevelopContext, name: string): boolean {
  const st = c.state.develop.get(name);
  return st === undefined ? c.cfg.autoCheckout.has(name) : st !== false;
}

/** `status`: three columns (checkout, working copy, develop state) and the name. */
export const status: Subcommand = async (c, a) => {
  const paths: string[] = [];
  for (const name of pick(c, a)) {
    const source = c.cfg.sources.get(name)!;
    const auto = c.cfg.autoCheckout.has(name);
    if (!existsSync(source.path)) {
      if (auto) c.out(`!     ${name}`);
      continue;
    }
    paths.push(source.path);
    const wc = workingCopy(source, c.wc);
    const info = [!await wc.matches() ? "C" : auto ? " " : "~"];
    const st = await wc.status();
    info.push(st === "clean" ? " " : st === "ahead" ? ">" : "M");
    const inDevelop = c.develeggs.has(name);
    if (active(c, name)) info.push(inDevelop || !source.egg ? " " : "A");
    else if (!source.egg) info.push(" ");
    else if (inDevelop) info.push("D");
    else info.push(auto ? "!" : "-");
    c.out([...info, name].join(" "));
    if (a.flags.has("v")) {
      const text = (await wc.statusText()).trim();
      if (text) {
        for (const line of text.split("\n")) c.out(`      ${line}`);
        c.out("");
      }
    }
  }
  if (a.regexps.length || !existsSync(c.cfg.sourcesDir)) return;
  for (const entry of readdirSync(c.cfg.sourcesDir).sort()) {
    if (!paths.includes(join(c.cfg.sourcesDir, entry))) c.out(`?     ${entry}`);
  }
};

/** `list`: names; `-s` a checkout column, `-l` kind and URL. */
export const list: Subcommand = async (c, a) => {
  for (const name of pick(c, a)) {
    const source = c.cfg.sources.get(name)!;
    const auto = c.cfg.autoCheckout.has(name);
    const info: string[] = [];
    if (a.flags.has("s")) {
      if (!existsSync(source.path)) info.push(auto ? "!" : "#");
      else if (!await workingCopy(source, c.wc).matches()) info.push("C");
      else info.push(auto ? " " : "~");
    }
    info.push(
      a.flags.has("l") ? `(${source.kind}) ${name} ${source.url}` : name,
    );
    c.out(info.join(" "));
  }
};

/** `info`: name, path, type and URL of each source (or the fields asked for). */
export const info: Subcommand = (c, a) => {
  for (const name of pick(c, a)) {
    const s = c.cfg.sources.get(name)!;
    const value = { name, path: s.path, type: s.kind, url: s.url };
    if (a.fields.length) {
      c.out(a.fields.map((f) => value[f as keyof typeof value]).join(" "));
      continue;
    }
    c.out(`Name: ${name}`);
    c.out(`Path: ${s.path}`);
    c.out(`Type: ${s.kind}`);
    c.out(`URL: ${s.url}`);
    c.out("");
  }
  return Promise.resolve();
};

/** `checkout`: check out the matching sources and activate the eggs among them. */
export const checkout: Subcommand = async (c, a) => {
  const names = pick(c, a, false);
  await checkoutSources(names, c.cfg.sources, c.wc, {
    update: false,
    force: false,
  });
  for (const name of names) {
    if (!c.cfg.sources.get(name)!.egg) continue;
    c.state.develop.set(name, true);
    c.log.info(`Activated '${name}'.`);
  }
  c.log.warn(
    "Don't forget to run buildout again, so the checked out packages are used as develop eggs.",
  );
  await saveState(c.state);
};

/** `update`: update the matching checked-out sources. */
export const update: Subcommand = async (c, a) => {
  const names = pick(c, a, true);
  const force = a.flags.has("f") || c.cfg.alwaysCheckout !== false;
  await updateSources(names, c.cfg.sources, c.wc, { force });
};

function toggle(on: boolean): Subcommand {
  return async (c, a) => {
    let changed = false;
    for (const name of pick(c, a)) {
      const source = c.cfg.sources.get(name)!;
      if (!existsSync(source.path)) {
        c.log.warn(`The package '${name}' matched, but isn't checked out.`);
        continue;
      }
      if (!source.egg) {
        c.log.warn(`The package '${name}' isn't an egg.`);
        continue;
      }
      if (!on && c.state.develop.get(name) === false) continue;
      c.state.develop.set(name, on);
      c.log.info(`${on ? "Activated" : "Deactivated"} '${name}'.`);
      changed = true;
    }
    if (changed) {
      c.log.warn(
        on
          ? "Don't forget to run buildout again, so the actived packages are actually used."
          : "Don't forget to run buildout again, so the deactived packages are actually not used anymore.",
      );
    }
    await saveState(c.state);
  };
}

/** `activate`: use the matching checked-out sources as develop eggs. */
export const activate: Subcommand = toggle(true);
/** `deactivate`: stop using the matching sources as develop eggs. */
export const deactivate: Subcommand = toggle(false);

/** `reset`: forget the develop state of the matching sources. */
export const reset: Subcommand = async (c, a) => {
  let changed = false;
  for (const name of pick(c, a)) {
    if (!c.state.develop.has(name)) continue;
    c.state.develop.delete(name);
    c.log.info(`Reset develop state of '${name}'.`);
    changed = true;
  }
  if (changed) {
    c.log.warn(
      "Don't forget to run buildout again, so the deactived packages are actually not used anymore.",
    );
  }
  await saveState(c.state);
};
