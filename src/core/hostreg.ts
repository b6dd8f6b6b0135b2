// How coord registers itself with each agent host besides Claude Code, and what each host must be
// told before it runs the registration at all. Pure: text in, text out (the hashes included).
import { type JsonObject, type WantedGroup, type Json, mergeHooks, parseSettings, renderSettings } from "./settings";

export type OtherHost = "codex" | "gemini" | "opencode";

export const CODEX_HOOKS_FILE = ".codex/hooks.json";
export const GEMINI_SETTINGS_FILE = ".gemini/settings.json";
export const OPENCODE_PLUGIN_FILE = ".opencode/plugin/coord.ts";

/** Seconds for Codex, milliseconds for Gemini CLI: both measured as their configs' `timeout` unit. */
export const CODEX_TIMEOUT_S = 10;
/** Codex cuts a SessionEnd hook's timeout to 3 s (1 s when none is given), and hashes the cut value. */
const CODEX_SESSION_END_MAX_S = 3;
export const GEMINI_TIMEOUT_MS = 10_000;

export const CODEX_WANTED: readonly WantedGroup[] = [
  { event: "SessionStart", matcher: null },
  { event: "PreToolUse", matcher: "apply_patch|Bash" },
  { event: "PostToolUse", matcher: "apply_patch|Bash" },
  { event: "SessionEnd", matcher: null },
];

export const GEMINI_WANTED: readonly WantedGroup[] = [
  { event: "SessionStart", matcher: null },
  { event: "BeforeTool", matcher: "write_file|replace|run_shell_command" },
  { event: "AfterTool", matcher: "write_file|replace|run_shell_command" },
  { event: "SessionEnd", matcher: null },
];

export type Rendered = { ok: true; text: string; changes: string[] } | { ok: false; error: string };

const isObj = (v: unknown): v is JsonObject => !!v && typeof v === "object" && !Array.isArray(v);

/** Every hook entry in `doc` whose command is `command`, with where it sits. */
function entriesOf(doc: JsonObject, command: string): { event: string; group: JsonObject; groupIndex: number; handlerIndex: number; entry: JsonObject }[] {
  const out: { event: string; group: JsonObject; groupIndex: number; handlerIndex: number; entry: JsonObject }[] = [];
  const hooks = isObj(doc.hooks) ? doc.hooks : {};
  for (const [event, groups] of Object.entries(hooks)) {
    if (!Array.isArray(groups)) continue;
    groups.forEach((g, groupIndex) => {
      if (!isObj(g) || !Array.isArray(g.hooks)) return;
      g.hooks.forEach((h, handlerIndex) => {
        if (isObj(h) && h.command === command) out.push({ event, group: g, groupIndex, handlerIndex, entry: h });
      });
    });
  }
  return out;
}

/**
 * `.codex/hooks.json` or `.gemini/settings.json` with coord's hooks merged in (Claude Code's
 * merge: coord's own entries updated in place, nothing of the person's touched). Gemini's entries
 * also carry a name (it lists project hooks by name when it loads them) and a timeout in ms.
 */
export function renderHostSettings(host: "codex" | "gemini", before: string | null, command: string): Rendered {
  const parsed = parseSettings(before ?? "");
  if (!parsed.ok) return { ok: false, error: parsed.error };
  const m = mergeHooks(parsed.doc, command, host === "codex" ? CODEX_WANTED : GEMINI_WANTED);
  for (const e of entriesOf(m.doc, command)) {
    if (host === "codex") e.entry.timeout = e.event === "SessionEnd" ? CODEX_SESSION_END_MAX_S : CODEX_TIMEOUT_S;
    else {
      const { type, command: c } = e.entry;
      // Key order as Gemini's docs write it; the values are what matter.
      for (const k of Object.keys(e.entry)) delete e.entry[k];
      Object.assign(e.entry, { type, name: "coord", command: c, timeout: GEMINI_TIMEOUT_MS });
    }
  }
  const text = renderSettings(m.doc);
  return { ok: true, text, changes: text === before ? [] : m.changes.length ? m.changes : ["hooks registered"] };
}

// ---- Codex trust -------------------------------------------------------------------------------

const snake = (event: string) => event.replace(/([a-z])([A-Z])/g, "$1_$2").toLowerCase();

function sortedJson(v: Json): string {
  if (Array.isArray(v)) return `[${v.map(sortedJson).join(",")}]`;
  if (isObj(v))
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${sortedJson(v[k] as Json)}`)
      .join(",")}}`;
  return JSON.stringify(v);
}

/** One hook Codex must trust: the key of `[hooks.state."<key>"]` and the hash it must hold. */
export interface CodexTrustEntry {
  key: string;
  hash: string;
  event: string;
}

/**
 * The trust entries for coord's hooks in a `.codex/hooks.json` at `absFile`. Codex runs a
 * project hook only when `$CODEX_HOME/config.toml` holds, under the key
 * `<file>:<event_snake>:<group>:<handler>`, the sha256 of the compact, key-sorted JSON of the
 * event name, the handler (async, command, timeout, type) and the matcher (omitted when none).
 * Verified against `codex app-server` hooks/list (currentHash) with codex 0.171.0.
 */
export function codexTrustEntries(absFile: string, hooksJson: string, command: string, sha256: (text: string) => string): CodexTrustEntry[] {
  const parsed = parseSettings(hooksJson);
  if (!parsed.ok) return [];
  return entriesOf(parsed.doc, command).map((e) => {
    const ev = snake(e.event);
    const given = typeof e.entry.timeout === "number" ? e.entry.timeout : null;
    const timeout = ev === "session_end" ? Math.min(given ?? 1, CODEX_SESSION_END_MAX_S) : (given ?? 600);
    const handler: JsonObject = { async: false, command, timeout, type: "command" };
    const identity: JsonObject = { event_name: ev, hooks: [handler] };
    if (typeof e.group.matcher === "string" && e.group.matcher !== "") identity.matcher = e.group.matcher;
    const hash = `sha256:${sha256(sortedJson(identity))}`;
    return { key: `${absFile}:${ev}:${e.groupIndex}:${e.handlerIndex}`, hash, event: e.event };
  });
}

/** A TOML basic string. */
export function tomlString(s: string): string {
  return `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;
}

/**
 * Sets `key = value` (value already TOML) in table `[header]` of a TOML text: in place when the
 * table and key exist, else added to the table, else the table appended. Nothing else changes.
 */
export function setTomlValue(text: string, header: string, key: string, value: string): string {
  const lines = text.split("\n");
  const head = `[${header}]`;
  const start = lines.findIndex((l) => l.trim() === head);
  const line = `${key} = ${value}`;
  if (start < 0) {
    const body = text.replace(/\n*$/, "");
    return `${body}${body ? "\n\n" : ""}${head}\n${line}\n`;
  }
  let end = lines.findIndex((l, i) => i > start && /^\s*\[/.test(l));
  if (end < 0) end = lines.length;
  const at = lines.findIndex((l, i) => i > start && i < end && new RegExp(`^\\s*${key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s*=`).test(l));
  if (at >= 0) lines[at] = line;
  else lines.splice(start + 1, 0, line);
  return lines.join("\n");
}

/** The user's Codex config with the project trusted and coord's hooks' hashes recorded. */
export function trustCodex(configToml: string, root: string, entries: readonly CodexTrustEntry[]): string {
  let t = setTomlValue(configToml, `projects.${tomlString(root)}`, "trust_level", tomlString("trusted"));
  for (const e of entries) t = setTomlValue(t, `hooks.state.${tomlString(e.key)}`, "trusted_hash", tomlString(e.hash));
  return t;
}

export interface CodexTrustState {
  projectTrusted: boolean;
  /** coord's hooks whose recorded hash is missing or differs: Codex skips them without a word. */
  untrusted: CodexTrustEntry[];
}

/** What a parsed `$CODEX_HOME/config.toml` says about this project and coord's hooks. */
export function codexTrustState(config: Record<string, unknown>, root: string, entries: readonly CodexTrustEntry[]): CodexTrustState {
  const projects = (config.projects ?? {}) as Record<string, { trust_level?: unknown }>;
  const state = ((config.hooks as Record<string, unknown> | undefined)?.state ?? {}) as Record<string, { trusted_hash?: unknown }>;
  return { projectTrusted: projects[root]?.trust_level === "trusted", untrusted: entries.filter((e) => state[e.key]?.trusted_hash !== e.hash) };
}

// ---- Gemini trust ------------------------------------------------------------------------------

/** Is `root` trusted by Gemini CLI's trustedFolders.json (itself, or below a trusted folder)? */
export function geminiTrusted(folders: Record<string, unknown>, root: string): boolean {
  const parent = (p: string) => p.replace(/\/[^/]*$/, "") || "/";
  for (const [k, v] of Object.entries(folders)) {
    const dir = k.replace(/\/+$/, "") || "/";
    const base = v === "TRUST_PARENT" ? parent(dir) : v === "TRUST_FOLDER" ? dir : null;
    if (base !== null && (root === base || root.startsWith(base === "/" ? "/" : `${base}/`))) return true;
  }
  return false;
}

/** trustedFolders.json with `root` trusted, the rest as it was. */
export function trustGemini(before: string | null, root: string): Rendered {
  let doc: unknown = {};
  try {
    doc = before?.trim() ? JSON.parse(before) : {};
  } catch (e) {
    return { ok: false, error: `not JSON (${(e as Error).message})` };
  }
  if (!isObj(doc)) return { ok: false, error: "not a JSON object" };
  if (doc[root] === "TRUST_FOLDER") return { ok: true, text: before ?? "", changes: [] };
  return { ok: true, text: `${JSON.stringify({ ...doc, [root]: "TRUST_FOLDER" }, null, 2)}\n`, changes: [`trusted ${root}`] };
}
