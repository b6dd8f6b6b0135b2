// Reading coord.toml. Parsing is Bun's TOML reader; validation is core/zones.
import { join } from "node:path";
import { type Config, CONFIG_FILE, ConfigError, DEFAULT_SETTINGS, validateConfig } from "../core/zones";
import { readText } from "./fs";

export type ConfigLoad = { config: Config; present: boolean; error: null } | { config: Config; present: boolean; error: string };

export const EMPTY_CONFIG: Config = { zones: [], settings: { ...DEFAULT_SETTINGS } };

export function loadConfig(root: string): ConfigLoad {
  const file = join(root, CONFIG_FILE);
  const text = readText(file);
  if (text === null) return { config: EMPTY_CONFIG, present: false, error: null };
  let doc: unknown;
  try {
    doc = Bun.TOML.parse(text);
  } catch (e) {
    return { config: EMPTY_CONFIG, present: true, error: `${CONFIG_FILE}: not valid TOML: ${(e as Error).message}` };
  }
  try {
    return { config: validateConfig(doc, CONFIG_FILE), present: true, error: null };
  } catch (e) {
    if (e instanceof ConfigError) return { config: EMPTY_CONFIG, present: true, error: e.message };
    throw e;
  }
}
