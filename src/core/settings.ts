// Claude Code's settings file, as coord init edits it: find the hook registrations coord owns,
// add or update them, and never touch anything else. Pure: text in, text out.
import { posix } from "node:path";

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type JsonObject = { [k: string]: Json };

export const HOOK_TIMEOUT_S = 10;
export const FILE_TOOL_MATCHER = "Write|Edit|MultiEdit|NotebookEdit";
/** Keys of coord's hook entries that coord sets or removes (src/core/claude-versions.ts entryExtras). */
const MANAGED_KEYS = ["onFailure"] as const;

/** One matcher group coord needs: the event and its matcher (null: no matcher, every source/tool). */
export interface WantedGroup {
  event: string;
  matcher: string | null;
}

export const WANTED: readonly WantedGroup[] = [
  { event: "SessionStart", matcher: null },
  { event: "PreToolUse", matcher: FILE_TOOL_MATCHER },
  { event: "PreToolUse", matcher: "Bash" },
  { event: "PostToolUse", matcher: `${FILE_TOOL_MATCHER}|Bash` },
  { event: "PostToolUseFailure", matcher: "Bash" },
  { event: "SessionEnd", matcher: null },
];

export type ParsedSettings = { ok: true; doc: JsonObject } | { ok: false; error: string };

/**
 * Parses a settings file. An empty file counts as `{}`; anything else must be a JSON object whose
 * `hooks` (when present) has the shape Claude Code reads, or coord would have to guess what to keep.
 */
export function parseSettings(text: string): ParsedSettings {
  if (!text.trim()) return { ok: true, doc: {} };
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    const at = jsonErrorAt(text);
    const { line, column } = lineColumn(text, at.offset);
    return { ok: false, error: `${line}:${column}: ${at.message}` };
  }
  if (!isObject(doc)) return { ok: false, error: "1:1: expected a JSON object at the top" };
  const hooks = doc.hooks;
  if (hooks !== undefined) {
    if (!isObject(hooks)) return { ok: false, error: `"hooks" is not an object` };
    for (const [event, groups] of Object.entries(hooks)) {
      if (!Array.isArray(groups)) return { ok: false, error: `"hooks.${event}" is not a list of matcher groups` };
      for (const [i, g] of groups.entries()) {
        if (!isObject(g)) return { ok: false, error: `"hooks.${event}[${i}]" is not an object` };
        if (g.hooks !== undefined && !Array.isArray(g.hooks)) return { ok: false, error: `"hooks.${event}[${i}].hooks" is not a list` };
      }
    }
  }
  return { ok: true, doc: doc as JsonObject };
}

/**
 * The settings as text, indented like `like` (the file as it was: 4 spaces stay 4 spaces, tabs stay
 * tabs; 2 spaces for a new file). Keys keep their order: merging edits the parsed object in place.
 */
export function renderSettings(doc: JsonObject, like = ""): string {
  const text = JSON.stringify(doc, null, indentOf(like));
  return like && !like.endsWith("\n") ? text : `${text}\n`;
}

/** The indentation unit of a JSON text: its first indented line's leading blanks. */
export function indentOf(text: string): string | number {
  const m = /\n([ \t]+)\S/.exec(text);
  if (!m) return 2;
  const ws = m[1] as string;
  return ws.startsWith("\t") ? "\t" : ws.length;
}

function isObject(v: unknown): v is JsonObject {
  return !!v && typeof v === "object" && !Array.isArray(v);
}

/** The shell command that runs `program hook`; Claude Code runs hook commands under /bin/sh -c. */
export function hookCommand(program: readonly string[]): string {
  return [...program, "hook"].map(shellQuote).join(" ");
}

export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./+@:,=%-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Splits the leading program off a hook command: quoted ('…' or "…") or up to the first blank. */
export function commandProgram(command: string): string {
  const s = command.trim();
  const q = s[0];
  if (q === "'" || q === '"') {
    const end = s.indexOf(q, 1);
    return end > 0 ? s.slice(1, end) : s.slice(1);
  }
  return s.split(/\s+/)[0] ?? "";
}

/** Is this hook command one coord init wrote (any version, any install path)? */
export function isCoordCommand(command: string, ours: string): boolean {
  if (command.trim() === ours) return true;
  if (!/\shook(\s+--host\s+[a-z]+)?\s*$/.test(command)) return false;
  const base = posix.basename(commandProgram(command));
  return base === "coord" || base === "coord.exe";
}

interface Found {
  group: JsonObject;
  index: number;
}

function groupMatcher(g: JsonObject): string | null {
  return typeof g.matcher === "string" && g.matcher !== "" ? g.matcher : null;
}

function coordHooksIn(groups: Json[], ours: string): Found[] {
  const out: Found[] = [];
  for (const g of groups) {
    if (!isObject(g) || !Array.isArray(g.hooks)) continue;
    g.hooks.forEach((h, index) => {
      if (isObject(h) && typeof h.command === "string" && isCoordCommand(h.command, ours)) out.push({ group: g, index });
    });
  }
  return out;
}

export interface MergeResult {
  doc: JsonObject;
  changed: boolean;
  /** One line per change, for the person running coord init. */
  changes: string[];
}

/**
 * Registers `command` for every wanted group. coord's own earlier entries are updated in place
 * (a moved binary, an old matcher) and duplicates of them dropped; every other key and hook stays
 * where it was. The input is not modified.
 */
export function mergeHooks(input: JsonObject, command: string, wanted: readonly WantedGroup[] = WANTED, extras: Record<string, string> = {}): MergeResult {
  const doc = structuredClone(input) as JsonObject;
  const before = JSON.stringify(doc);
  const changes: string[] = [];
  if (!isObject(doc.hooks)) doc.hooks = {};
  const hooks = doc.hooks as JsonObject;
  const entry = (): JsonObject => ({ type: "command", command, timeout: HOOK_TIMEOUT_S, ...extras });
  const label = (w: WantedGroup) => `${w.event}${w.matcher ? ` (${w.matcher})` : ""}`;

  for (const event of [...new Set(wanted.map((w) => w.event))]) {
    if (!Array.isArray(hooks[event])) hooks[event] = [];
    const groups = hooks[event] as Json[];
    const found = coordHooksIn(groups, command);
    const used = new Set<Found>();
    const mine = wanted.filter((x) => x.event === event);
    const picks = new Map<WantedGroup, Found>();
    // First coord's entries already under the wanted matcher; then re-aim coord's own single-hook
    // groups (an older matcher); what is still unplaced gets a new group.
    for (const w of mine) {
      const pick = found.find((f) => !used.has(f) && groupMatcher(f.group) === w.matcher);
      if (pick) {
        used.add(pick);
        picks.set(w, pick);
      }
    }
    for (const w of mine) {
      if (picks.has(w)) continue;
      const pick = found.find((f) => !used.has(f) && (f.group.hooks as Json[]).length === 1);
      if (!pick) continue;
      used.add(pick);
      picks.set(w, pick);
      if (groupMatcher(pick.group) === w.matcher) continue;
      if (w.matcher === null) delete pick.group.matcher;
      else pick.group.matcher = w.matcher;
      changes.push(`moved coord's entry to ${label(w)}`);
    }
    for (const w of mine) {
      const pick = picks.get(w);
      if (pick) {
        const h = (pick.group.hooks as Json[])[pick.index] as JsonObject;
        const old = JSON.stringify(h);
        h.type = "command";
        h.command = command;
        h.timeout = HOOK_TIMEOUT_S;
        // Keys coord manages besides these follow the current choice (COORD_FAIL_CLOSED at init).
        for (const k of MANAGED_KEYS) {
          if (extras[k] === undefined) delete h[k];
          else h[k] = extras[k];
        }
        if (JSON.stringify(h) !== old) changes.push(`updated ${label(w)}`);
      } else {
        groups.push(w.matcher === null ? { hooks: [entry()] } : { matcher: w.matcher, hooks: [entry()] });
        changes.push(`added ${label(w)}`);
      }
    }
    // Whatever coord entries are left over are duplicates of coord's own: drop them, and their
    // group when nothing of the user's remains in it.
    const extra = found.filter((f) => !used.has(f));
    for (const f of [...extra].sort((a, b) => b.index - a.index)) (f.group.hooks as Json[]).splice(f.index, 1);
    if (extra.length) {
      changes.push(`removed ${extra.length} duplicate coord entr${extra.length === 1 ? "y" : "ies"} from ${event}`);
      const emptied = new Set(extra.map((f) => f.group));
      hooks[event] = groups.filter((g) => !(isObject(g) && emptied.has(g) && (g.hooks as Json[]).length === 0));
    }
  }
  return { doc, changed: JSON.stringify(doc) !== before, changes };
}

/** What is registered for coord across the settings files Claude Code merges. */
export interface HookReport {
  /** Wanted groups that have no coord entry in any file. */
  missing: WantedGroup[];
  /** Programs named by coord entries that do not exist on disk. */
  brokenPrograms: string[];
  /** Every program coord entries name. */
  programs: string[];
}

export function checkHooks(docs: readonly JsonObject[], exists: (path: string) => boolean, ours = "", wanted: readonly WantedGroup[] = WANTED): HookReport {
  const missing: WantedGroup[] = [];
  const programs = new Set<string>();
  for (const w of wanted) {
    let hit = false;
    for (const d of docs) {
      const groups = isObject(d.hooks) && Array.isArray(d.hooks[w.event]) ? (d.hooks[w.event] as Json[]) : [];
      for (const f of coordHooksIn(groups, ours)) {
        programs.add(commandProgram(((f.group.hooks as Json[])[f.index] as JsonObject).command as string));
        if (groupMatcher(f.group) === w.matcher) hit = true;
      }
    }
    if (!hit) missing.push(w);
  }
  const all = [...programs];
  return { missing, programs: all, brokenPrograms: all.filter((p) => !exists(p)) };
}

export function describeGroup(w: WantedGroup): string {
  return w.matcher ? `${w.event} (${w.matcher})` : w.event;
}

// JSON.parse in Bun says what went wrong but not where, so a small scanner finds the offset.
interface JsonError {
  offset: number;
  message: string;
}

export function jsonErrorAt(text: string): JsonError {
  let i = 0;
  class Stop {
    constructor(readonly e: JsonError) {}
  }
  const fail = (message: string, at = i): never => {
    throw new Stop({ offset: at, message });
  };
  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i] as string)) i++;
  };
  const describe = () => (i >= text.length ? "unexpected end of file" : `unexpected ${JSON.stringify(text[i])}`);
  const str = () => {
    i++;
    while (i < text.length) {
      const c = text[i] as string;
      if (c === '"') {
        i++;
        return;
      }
      if (c === "\\") {
        const n = text[i + 1];
        if (n === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail("bad \\u escape in a string");
          i += 6;
        } else if (n !== undefined && '"\\/bfnrt'.includes(n)) i += 2;
        else fail("bad escape in a string");
        continue;
      }
      if (c < " ") fail("control character in a string (a raw line break?)");
      i++;
    }
    fail("unterminated string");
  };
  // An object or an array: items separated by commas up to `close`, no trailing comma.
  const seq = (close: string, item: () => void): void => {
    i++;
    ws();
    if (text[i] === close) {
      i++;
      return;
    }
    for (;;) {
      item();
      ws();
      if (text[i] === ",") {
        i++;
        ws();
        if (text[i] === close) fail(`trailing comma before '${close}'`);
        continue;
      }
      if (text[i] === close) {
        i++;
        return;
      }
      fail(`${describe()}; expected ',' or '${close}'`);
    }
  };
  const member = (): void => {
    ws();
    if (text[i] !== '"') fail(`${describe()}; expected a key in double quotes`);
    str();
    ws();
    if (text[i] !== ":") fail(`${describe()}; expected ':'`);
    i++;
    value();
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === "{") return seq("}", member);
    if (c === "[") return seq("]", value);
    if (c === '"') return str();
    const lit = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i));
    if (lit) {
      i += lit[0].length;
      return;
    }
    fail(`${describe()}; expected a value`);
  };
  try {
    value();
    ws();
    if (i < text.length) fail(`${describe()} after the end of the JSON value`);
  } catch (e) {
    if (e instanceof Stop) return e.e;
    throw e;
  }
  return { offset: 0, message: "not valid JSON" };
}

export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  const column = offset - (before.lastIndexOf("\n") + 1) + 1;
  return { line, column };
}

/**
 * The commands the coordination section tells sessions to run. Allowing them keeps a headless or
 * auto-accepting session from stopping at every claim; the guard still checks what they do.
 */
export const COORD_PERMISSIONS: readonly string[] = [
  "Bash(bd ready:*)",
  "Bash(bd list:*)",
  "Bash(bd show:*)",
  "Bash(bd update:*)",
  "Bash(bd create:*)",
  "Bash(bd close:*)",
  "Bash(coord status:*)",
  "Bash(coord claim:*)",
  "Bash(coord wt:*)",
];

/** Adds the rules missing from `permissions.allow`, keeping the user's rules and their order. */
export function mergePermissions(input: JsonObject, rules: readonly string[] = COORD_PERMISSIONS): { doc: JsonObject; added: string[] } {
  const perms = isObject(input.permissions) ? input.permissions : {};
  const allow = Array.isArray(perms.allow) ? perms.allow : [];
  const added = rules.filter((r) => !allow.includes(r));
  if (!added.length) return { doc: input, added };
  return { doc: { ...input, permissions: { ...perms, allow: [...allow, ...added] } }, added };
}

/** Claude Code's rule form `Bash(prefix:*)` or `Bash(exact)`: does it allow this command line? */
export function allowsCommand(rule: string, command: string): boolean {
  const m = /^Bash\((.*)\)$/.exec(rule);
  if (!m) return false;
  const body = m[1] as string;
  if (body.endsWith(":*")) {
    const prefix = body.slice(0, -2);
    return command === prefix || command.startsWith(`${prefix} `);
  }
  return command === body;
}

/** The tools coord's PreToolUse entries guard. */
export const GUARDED_TOOLS = ["Write", "Edit", "MultiEdit", "NotebookEdit", "Bash"] as const;

/** The tools of GUARDED_TOOLS a matcher selects (Claude Code: empty or `*` is every tool; else a regex). */
export function matcherTools(matcher: string | null): string[] {
  if (matcher === null || matcher === "" || matcher === "*") return [...GUARDED_TOOLS];
  let re: RegExp;
  try {
    re = new RegExp(`^(?:${matcher})$`);
  } catch {
    return GUARDED_TOOLS.filter((t) => matcher.split("|").includes(t));
  }
  return GUARDED_TOOLS.filter((t) => re.test(t));
}

/** Another PreToolUse hook on the tools coord guards, or a second registration of coord. */
export interface ForeignHook {
  file: string;
  /** Where in the file: `hooks.PreToolUse[0].hooks[1]`. */
  at: string;
  command: string;
  tools: string[];
  coord: boolean;
}

/** Every PreToolUse command hook whose matcher selects a tool coord guards, in each settings file. */
export function preToolHooks(files: readonly { file: string; doc: JsonObject }[], ours: string): ForeignHook[] {
  const out: ForeignHook[] = [];
  for (const { file, doc } of files) {
    const groups = isObject(doc.hooks) && Array.isArray(doc.hooks.PreToolUse) ? doc.hooks.PreToolUse : [];
    groups.forEach((g, gi) => {
      if (!isObject(g) || !Array.isArray(g.hooks)) return;
      const tools = matcherTools(groupMatcher(g));
      if (!tools.length) return;
      g.hooks.forEach((h, hi) => {
        if (!isObject(h) || typeof h.command !== "string") return;
        out.push({ file, at: `hooks.PreToolUse[${gi}].hooks[${hi}]`, command: h.command, tools, coord: isCoordCommand(h.command, ours) });
      });
    });
  }
  return out;
}

/**
 * What runs beside coord on every edit, each with what to do: another guard on the same tools, coord
 * registered in two settings files (every hook would run twice), or coord's plugin and its settings
 * entries both. `pluginEnabled` names the settings file that enables the plugin, if one does.
 */
export function hookNeighbours(files: readonly { file: string; doc: JsonObject }[], ours: string, pluginEnabled: string | null): string[] {
  const hooks = preToolHooks(files, ours);
  const lines: string[] = [];
  for (const h of hooks.filter((x) => !x.coord)) {
    lines.push(
      `${h.file} ${h.at} runs \`${h.command}\` before ${h.tools.join(", ")} too: both it and coord run on every such call; if it checks conflicts as coord does, remove it from ${h.file}, else keep it (coord does not replace it)`,
    );
  }
  const coordFiles = [...new Set(hooks.filter((x) => x.coord).map((x) => x.file))];
  if (coordFiles.length > 1) lines.push(`coord is registered in ${coordFiles.join(" and ")}: every hook runs twice (two banners); keep one: coord init writes only the one it is given (--shared for settings.json), remove coord's entries from the other`);
  if (pluginEnabled && coordFiles.length) lines.push(`the coord plugin is enabled (${pluginEnabled}) and ${coordFiles.join(" and ")} registers coord too: every hook runs twice; disable the plugin (claude plugin disable coord) or remove coord's entries from ${coordFiles.join(" and ")}`);
  return lines;
}

/** Does a settings document enable coord's Claude Code plugin? */
export function enablesPlugin(doc: JsonObject): boolean {
  const p = doc.enabledPlugins;
  return isObject(p) && Object.entries(p).some(([k, v]) => /^coord@/.test(k) && v === true);
}
