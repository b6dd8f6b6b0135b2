// The committed zones config (`coord.toml`), validated as data. Parsing the TOML text is the
// edge's job; this file checks the parsed value and says precisely what is wrong.
import { normalizeRepoPath } from "./paths";

export type ZoneKind = "owned" | "shared" | "stable";
export const ZONE_KINDS: readonly ZoneKind[] = ["owned", "shared", "stable"];

export interface Zone {
  name: string;
  kind: ZoneKind;
  paths: string[];
  note: string;
}

export interface Settings {
  /** How long one hook may spend refreshing claims through bd. */
  refreshBudgetMs: number;
  /** A claim not updated for this long is shown as stale. */
  staleClaimHours: number;
  /** A session silent for this long counts as gone. */
  sessionIdleMinutes: number;
}

export const DEFAULT_SETTINGS: Settings = { refreshBudgetMs: 2000, staleClaimHours: 24, sessionIdleMinutes: 30 };

export interface Config {
  zones: Zone[];
  settings: Settings;
}

export const CONFIG_FILE = "coord.toml";

export const CONFIG_EXAMPLE = `[[zone]]
name = "api"
kind = "owned"          # owned | shared | stable
paths = ["src/api/"]`;

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly key: string,
    readonly problem: string,
  ) {
    super(`${file}: ${key}: ${problem}\n  a correct example:\n${CONFIG_EXAMPLE.replace(/^/gm, "    ")}`);
  }
}

const SETTING_KEYS: Record<string, keyof Settings> = {
  refresh_budget_ms: "refreshBudgetMs",
  stale_claim_hours: "staleClaimHours",
  session_idle_minutes: "sessionIdleMinutes",
};

export function validateConfig(doc: unknown, file = CONFIG_FILE): Config {
  const fail = (key: string, problem: string): never => {
    throw new ConfigError(file, key, problem);
  };
  if (!doc || typeof doc !== "object" || Array.isArray(doc)) fail("(top)", "expected a table");
  const top = doc as Record<string, unknown>;
  for (const k of Object.keys(top)) if (k !== "zone" && k !== "settings") fail(k, 'unknown key; expected "zone" or "settings"');

  const settings = { ...DEFAULT_SETTINGS };
  if (top.settings !== undefined) {
    if (!top.settings || typeof top.settings !== "object" || Array.isArray(top.settings)) fail("settings", "expected a table");
    for (const [k, v] of Object.entries(top.settings as Record<string, unknown>)) {
      const field = SETTING_KEYS[k];
      if (!field) fail(`settings.${k}`, `unknown setting; known: ${Object.keys(SETTING_KEYS).join(", ")}`);
      if (typeof v !== "number" || !Number.isFinite(v) || v <= 0) fail(`settings.${k}`, "expected a positive number");
      settings[field as keyof Settings] = v as number;
    }
  }

  const rawZones = top.zone ?? [];
  if (!Array.isArray(rawZones)) fail("zone", "expected an array of tables, written [[zone]]");
  const zones: Zone[] = [];
  const names = new Set<string>();
  (rawZones as unknown[]).forEach((z, i) => {
    const at = `zone[${i}]`;
    if (!z || typeof z !== "object" || Array.isArray(z)) fail(at, "expected a table");
    const o = z as Record<string, unknown>;
    for (const k of Object.keys(o)) if (!["name", "kind", "paths", "note"].includes(k)) fail(`${at}.${k}`, "unknown key; expected name, kind, paths, note");
    if (typeof o.name !== "string" || !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(o.name)) fail(`${at}.name`, "expected a name of letters, digits, '.', '_' or '-'");
    const name = o.name as string;
    if (names.has(name)) fail(`${at}.name`, `zone "${name}" is defined twice`);
    names.add(name);
    if (!ZONE_KINDS.includes(o.kind as ZoneKind)) fail(`${at}.kind`, `expected one of ${ZONE_KINDS.join(", ")}, got ${JSON.stringify(o.kind)}`);
    if (!Array.isArray(o.paths) || o.paths.length === 0) fail(`${at}.paths`, "expected a non-empty list of paths or globs");
    const paths = (o.paths as unknown[]).map((p, j) => {
      const n = typeof p === "string" ? normalizeRepoPath(p) : null;
      if (n === null) return fail(`${at}.paths[${j}]`, `expected a path inside the repository, got ${JSON.stringify(p)}`);
      return n;
    });
    if (o.note !== undefined && typeof o.note !== "string") fail(`${at}.note`, "expected a string");
    zones.push({ name, kind: o.kind as ZoneKind, paths, note: (o.note as string | undefined) ?? "" });
  });
  return { zones, settings };
}

/** A first zones file for a repository, proposed from its top-level source folders. */
export function proposeConfig(topDirs: readonly string[]): string {
  const header = `# coord zones: who may edit what when several sessions share this repository.
# kind = "owned"  : normal work; claim a bead whose Files: line names the files.
# kind = "shared" : used by everyone; editing needs an in-progress bead of your own naming the file.
# kind = "stable" : rarely changed; editing is allowed with a warning.
# After editing, run: coord init   (refreshes the section in CLAUDE.md and AGENTS.md)

[settings]
refresh_budget_ms = ${DEFAULT_SETTINGS.refreshBudgetMs}
stale_claim_hours = ${DEFAULT_SETTINGS.staleClaimHours}
session_idle_minutes = ${DEFAULT_SETTINGS.sessionIdleMinutes}
`;
  const zones = topDirs.map(
    (d) => `
[[zone]]
name = ${JSON.stringify(d.replace(/[^A-Za-z0-9_.-]/g, "-").replace(/^[^A-Za-z0-9]+/, "") || "root")}
kind = "owned"
paths = [${JSON.stringify(`${d}/`)}]
`,
  );
  return header + zones.join("");
}
