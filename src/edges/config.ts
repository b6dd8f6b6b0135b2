// Reading coord.toml. Parsing is Bun's TOML reader; validation is core/zones.
import { join } from "node:path";
import { type Config, CONFIG_FILE, ConfigError, DEFAULT_SETTINGS, validateConfig } from "../core/zones";
import { readText } from "./fs";

export type ConfigLoad = { config: Config; present: boolean; error: null } | { config: Config; present: boolean; error: string };

export const EMPTY_CONFIG: Config = { zones: [], settings: { ...DEFAULT_SETTINGS }, worktreeEnv: {} };

/**
 * `findLine` costs a dozen more parses of a broken file (75 ms at 15,000 lines): a hook, which only
 * needs to know the zones are ignored, leaves it to `coord doctor`.
 */
export function loadConfig(root: string, findLine = true): ConfigLoad {
  const file = join(root, CONFIG_FILE);
  const text = readText(file);
  if (text === null) return { config: EMPTY_CONFIG, present: false, error: null };
  let doc: unknown;
  try {
    doc = Bun.TOML.parse(text);
  } catch (e) {
    const message = (e as Error).message.replace(/^TOML Parse error: /, "");
    if (!findLine) return { config: EMPTY_CONFIG, present: true, error: `${CONFIG_FILE}: not valid TOML: ${message} (coord doctor names the line)` };
    const line = tomlErrorLine(text, (e as Error).message);
    return { config: EMPTY_CONFIG, present: true, error: `${CONFIG_FILE}${line ? `:${line}` : ""}: not valid TOML: ${message}` };
  }
  try {
    return { config: validateConfig(doc, CONFIG_FILE), present: true, error: null };
  } catch (e) {
    if (e instanceof ConfigError) return { config: EMPTY_CONFIG, present: true, error: e.message };
    throw e;
  }
}

/**
 * The line of a TOML syntax error. Bun's parser reports no usable position, so: the shortest prefix
 * of whole lines that fails with the same message as the whole file. A syntax error stays an error
 * in every longer prefix, so the prefix is found by halving: about log2(lines) parses, not one per
 * line (which was quadratic on a long file). Only runs on the error path.
 */
export function tomlErrorLine(text: string, message: string): number | null {
  const lines = text.split("\n");
  const fails = (n: number) => {
    try {
      Bun.TOML.parse(`${lines.slice(0, n).join("\n")}\n`);
      return false;
    } catch (e) {
      return (e as Error).message === message;
    }
  };
  let lo = 1;
  let hi = lines.length;
  if (!fails(hi)) return null;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (fails(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The refresh budget: COORD_REFRESH_BUDGET_MS, else coord.toml's refresh_budget_ms. */
export function budgetMs(env: Record<string, string | undefined>, fromConfig: number): number {
  const v = Number(env.COORD_REFRESH_BUDGET_MS);
  return Number.isFinite(v) && v > 0 ? v : fromConfig;
}
