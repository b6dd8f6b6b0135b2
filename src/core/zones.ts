// The committed zones config (`coord.toml`), validated as data. Parsing the TOML text is the
// edge's job; this file checks the parsed value and says precisely what is wrong.
import { compile } from "./match";
import { escapesRoot, normalizeRepoPath } from "./paths";

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
  /** `coord wt done` keeps this many backup refs (refs/coord/backup*), the newest; older ones go. */
  backupsKept: number;
}

export const DEFAULT_SETTINGS: Settings = { refreshBudgetMs: 2000, staleClaimHours: 24, sessionIdleMinutes: 30, backupsKept: 5 };

export interface Config {
  zones: Zone[];
  settings: Settings;
  /** `[worktree]`: variables for each worktree's sessions, as templates (src/core/wtenv.ts). */
  worktreeEnv: Record<string, string>;
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
  backups_kept: "backupsKept",
};

export function validateConfig(doc: unknown, file = CONFIG_FILE): Config {
  const fail = (key: string, problem: string): never => {
    throw new ConfigError(file, key, problem);
  };
  if (!doc || typeof doc !== "object" || Array.isArray(doc)) fail("(top)", "expected a table");
  const top = doc as Record<string, unknown>;
  for (const k of Object.keys(top)) if (k !== "zone" && k !== "settings" && k !== "worktree") fail(k, 'unknown key; expected "zone", "settings" or "worktree"');

  const settings = { ...DEFAULT_SETTINGS };
  if (top.settings !== undefined) {
    if (!top.settings || typeof top.settings !== "object" || Array.isArray(top.settings)) fail("settings", "expected a table");
    for (const [k, v] of Object.entries(top.settings as Record<string, unknown>)) {
      const field = SETTING_KEYS[k];
      if (!field) fail(`settings.${k}`, `unknown setting; known: ${Object.keys(SETTING_KEYS).join(", ")}`);
      if (typeof v !== "number" || !Number.isFinite(v) || v <= 0) fail(`settings.${k}`, "expected a positive number");
      if (field === "backupsKept" && !Number.isInteger(v)) fail(`settings.${k}`, "expected a whole number");
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
      if (n === null || escapesRoot(n)) return fail(`${at}.paths[${j}]`, `expected a path inside the repository, got ${JSON.stringify(p)}`);
      return n;
    });
    if (o.note !== undefined && typeof o.note !== "string") fail(`${at}.note`, "expected a string");
    zones.push({ name, kind: o.kind as ZoneKind, paths, note: (o.note as string | undefined) ?? "" });
  });

  const worktreeEnv: Record<string, string> = {};
  if (top.worktree !== undefined) {
    if (!top.worktree || typeof top.worktree !== "object" || Array.isArray(top.worktree)) fail("worktree", 'expected a table of variables: PORT = "{{ 8080 + index }}"');
    for (const [k, v] of Object.entries(top.worktree as Record<string, unknown>)) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) fail(`worktree.${k}`, "expected an environment variable name (letters, digits, '_')");
      const text = typeof v === "number" && Number.isInteger(v) ? String(v) : v;
      if (typeof text !== "string") fail(`worktree.${k}`, 'expected a string template, e.g. "{{ 8080 + index }}"');
      const bad = templateProblem(text as string);
      if (bad) fail(`worktree.${k}`, bad);
      worktreeEnv[k] = text as string;
    }
  }
  return { zones, settings, worktreeEnv };
}

/** Names a template may use (see renderTemplate in src/core/wtenv.ts). */
export const TEMPLATE_NAMES = ["index", "name", "root", "main_root", "db_dir", "repo"] as const;

/** Why a `[worktree]` template cannot be rendered, or null. Checked when coord.toml is read. */
export function templateProblem(t: string): string | null {
  for (const m of t.matchAll(/\{\{(.*?)\}\}/g)) {
    const expr = (m[1] ?? "").trim();
    const words = expr.split(/\s*[-+*]\s*/);
    if (words.some((w) => w === "")) return `{{${m[1]}}} is not a sum like {{ 8080 + index }}`;
    const names = words.filter((w) => !/^\d+$/.test(w));
    for (const w of names) if (!(TEMPLATE_NAMES as readonly string[]).includes(w)) return `unknown name "${w}" in {{${m[1]}}}; known: ${TEMPLATE_NAMES.join(", ")}`;
    if (words.length > 1 && names.some((w) => w !== "index")) return `only index and whole numbers can be added or multiplied, in {{${m[1]}}}`;
  }
  const rest = t.replace(/\{\{.*?\}\}/g, "");
  if (rest.includes("{{") || rest.includes("}}")) return "unbalanced {{ }}";
  return null;
}

/** Zone paths that match none of the repository's files: a typo, or a folder since moved. */
export function deadZonePaths(zones: readonly Zone[], files: readonly string[]): { zone: string; path: string }[] {
  const out: { zone: string; path: string }[] = [];
  for (const z of zones)
    for (const p of z.paths) {
      const m = compile(p);
      if (!files.some((f) => m(f))) out.push({ zone: z.name, path: p });
    }
  return out;
}

export function deadZoneLine(d: { zone: string; path: string }): string {
  return `zone ${d.zone}: ${d.path} matches no file in the repository (a typo, or moved?); fix or drop it in ${CONFIG_FILE}`;
}
