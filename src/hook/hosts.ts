// The agent hosts coord speaks to, as a table: how each one's hook payload becomes one host-neutral
// HookEvent, and how an Outcome goes back in that host's own format. Adding a host is adding a row.
import type { Outcome } from "../core/outcome";
import { parsePatch, patchPaths } from "../core/patch";

export type HostName = "claude" | "codex" | "gemini" | "opencode";

export type EventKind = "pre-tool" | "post-tool" | "post-tool-failure" | "session-start" | "session-end" | "pre-shell" | "other";

export interface ToolCall {
  /** file: writes the files in `paths`; shell: runs `command`; patch: applies `patch`. */
  kind: "file" | "shell" | "patch" | "other";
  paths: string[];
  command?: string;
  patch?: string;
}

export interface HookEvent {
  host: HostName;
  kind: EventKind;
  /** The host's own event name, for notes and for the encoder. */
  name: string;
  sessionId: string;
  cwd: string;
  source: string;
  toolName: string;
  tool: ToolCall;
  raw: Record<string, unknown>;
}

export type Parsed = { ok: true; event: HookEvent } | { ok: false; note: string };

export interface Emitted {
  stdout: string;
  stderr: string[];
  exitCode: 0;
}

export interface Host {
  name: HostName;
  parse(doc: Record<string, unknown>): Parsed;
  encode(o: Outcome, kind: EventKind, name: string): Emitted;
  /** Does a payload look like this host's (for a `coord hook` registered without --host)? */
  owns?(doc: Record<string, unknown>): boolean;
  /** May a question be put to a person, or would it be taken as a refusal? */
  canAsk(env: Record<string, string | undefined>): boolean;
  /**
   * The model does not see what an allowed pre-tool event says (only the person does): its lines
   * are kept and said again with the same tool's post-tool event, which the model does see.
   */
  lateNotes?: boolean;
}

const s = (v: unknown) => (typeof v === "string" ? v : "");
const obj = (v: unknown): Record<string, unknown> => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/** Claude Code's tools that write one file named in their input, and the key that names it. */
const CLAUDE_FILE_TOOLS: Record<string, string> = { Write: "file_path", Edit: "file_path", MultiEdit: "file_path", NotebookEdit: "notebook_path" };
const CLAUDE_SHELL_TOOLS = new Set(["Bash"]);
const CLAUDE_EVENTS: Record<string, EventKind> = {
  PreToolUse: "pre-tool",
  PostToolUse: "post-tool",
  PostToolUseFailure: "post-tool-failure",
  SessionStart: "session-start",
  SessionEnd: "session-end",
  // Claude Code 2.1.332: a skill's or command's inline !`cmd`, run before the model sees the
  // prompt and never through PreToolUse. Measured payload: tool_name "Bash", tool_input.command,
  // command_name, invoked_by; a deny decision named after the event blocks it
  // ("[not run: blocked by hook: <reason>]" in the prompt).
  PreSkillShellCommand: "pre-shell",
};

function claudeTool(name: string, input: Record<string, unknown>): ToolCall {
  const key = CLAUDE_FILE_TOOLS[name];
  if (key) {
    const p = input[key];
    return { kind: "file", paths: typeof p === "string" && p.trim() ? [p] : [] };
  }
  if (CLAUDE_SHELL_TOOLS.has(name)) return { kind: "shell", paths: [], command: s(input.command) };
  return { kind: "other", paths: [] };
}

/** Codex, Gemini CLI and coord's OpenCode plugin all send Claude Code's field names; only events and tools differ. */
function parser(host: HostName, events: Record<string, EventKind>, tool: (name: string, input: Record<string, unknown>) => ToolCall): Host["parse"] {
  return (o) => {
    const name = s(o.hook_event_name);
    if (!name) return { ok: false, note: "coord: hook input has no hook_event_name; nothing checked" };
    const toolName = s(o.tool_name);
    return {
      ok: true,
      event: { host, kind: events[name] ?? "other", name, sessionId: s(o.session_id), cwd: s(o.cwd), source: s(o.source), toolName, tool: tool(toolName, obj(o.tool_input)), raw: o },
    };
  };
}

const claude: Host = {
  name: "claude",
  parse: parser("claude", CLAUDE_EVENTS, claudeTool),
  // A refusal travels as the JSON deny decision rather than exit 2: the model then sees the card
  // exactly, not prefixed by the whole hook command line. Never "allow": that would skip the
  // user's own permission rules. additionalContext is the one channel of an allowed tool that
  // reaches the model (systemMessage reaches the person only, stderr neither).
  encode(o, kind, name) {
    const stderr = [...o.log, ...o.context];
    const context = o.context.join("\n");
    if ((o.verdict === "deny" || o.verdict === "ask") && (kind === "pre-tool" || kind === "pre-shell")) {
      const reason = [o.reason ?? "coord: refused", ...o.context].join("\n\n");
      return { exitCode: 0, stdout: JSON.stringify({ hookSpecificOutput: { hookEventName: name, permissionDecision: o.verdict, permissionDecisionReason: reason } }), stderr };
    }
    const text = [o.reason ?? "", context].filter(Boolean).join("\n");
    if (!text) return { exitCode: 0, stdout: "", stderr };
    return { exitCode: 0, stdout: JSON.stringify({ systemMessage: text, hookSpecificOutput: { hookEventName: name, additionalContext: text } }), stderr };
  },
  // Claude Code treats "ask" as "deny" in non-interactive (-p / SDK) sessions.
  canAsk: (env) => env.CLAUDE_CODE_ENTRYPOINT === "cli",
};

/** A patch's files, or none: the guard refuses a patch it cannot read rather than guess. */
function patchTool(patch: string): ToolCall {
  return { kind: "patch", paths: patchPaths(parsePatch(patch)), patch };
}

/** Codex CLI: Claude Code's events and output, its own tools (apply_patch carries the patch in `command`). */
const CODEX_EVENTS: Record<string, EventKind> = { PreToolUse: "pre-tool", PostToolUse: "post-tool", SessionStart: "session-start", SessionEnd: "session-end" };
const codex: Host = {
  name: "codex",
  parse: parser("codex", CODEX_EVENTS, (name, input) =>
    name === "apply_patch" ? patchTool(s(input.command)) : name === "Bash" ? { kind: "shell", paths: [], command: s(input.command) } : { kind: "other", paths: [] },
  ),
  // Measured with codex 0.171.0: the deny reaches the model as "Command blocked by PreToolUse
  // hook: <reason>. Command: <patch>"; additionalContext of an allowed PreToolUse, a PostToolUse
  // and a SessionStart reaches it as a developer message. The JSON is Claude Code's.
  encode: (o, kind, name) => claude.encode(o, kind, name),
  // Codex payloads are shaped like Claude Code's: only a patch gives one away (coord init registers --host codex anyway).
  owns: (o) => s(o.tool_name) === "apply_patch",
  canAsk: () => false,
};

/** Gemini CLI: BeforeTool/AfterTool, tools write_file, replace (file_path) and run_shell_command. */
const GEMINI_EVENTS: Record<string, EventKind> = { BeforeTool: "pre-tool", AfterTool: "post-tool", SessionStart: "session-start", SessionEnd: "session-end" };
const GEMINI_FILE_TOOLS = new Set(["write_file", "replace"]);
const gemini: Host = {
  name: "gemini",
  parse: parser("gemini", GEMINI_EVENTS, (name, input) => {
    if (GEMINI_FILE_TOOLS.has(name)) {
      const p = input.file_path;
      return { kind: "file", paths: typeof p === "string" && p.trim() ? [p] : [] };
    }
    return name === "run_shell_command" ? { kind: "shell", paths: [], command: s(input.command) } : { kind: "other", paths: [] };
  }),
  // Measured with gemini-cli 0.61.0: {"decision":"deny"} reaches the model as "Tool execution
  // blocked: <reason>"; hookSpecificOutput.additionalContext reaches it from AfterTool and
  // SessionStart but not from an allowed BeforeTool, whose lines go to systemMessage (the person).
  encode(o, kind, name) {
    const stderr = [...o.log, ...o.context];
    const context = o.context.join("\n");
    if ((o.verdict === "deny" || o.verdict === "ask") && kind === "pre-tool") {
      return { exitCode: 0, stdout: JSON.stringify({ decision: "deny", reason: [o.reason ?? "coord: refused", ...o.context].join("\n\n") }), stderr };
    }
    if (!context) return { exitCode: 0, stdout: "", stderr };
    return { exitCode: 0, stdout: JSON.stringify({ systemMessage: context, hookSpecificOutput: { hookEventName: name, additionalContext: context } }), stderr };
  },
  owns: (o) => s(o.hook_event_name) in GEMINI_EVENTS && !(s(o.hook_event_name) in CLAUDE_EVENTS),
  canAsk: () => false,
  lateNotes: true,
};

/**
 * OpenCode, through the plugin `coord init --host opencode` writes (src/edges/opencode-plugin.ts):
 * it sends the plugin events under Claude Code's field names and reads back one JSON answer,
 * throwing the reason of a deny (OpenCode then hands the message to the model as the tool result).
 */
const OPENCODE_EVENTS: Record<string, EventKind> = {
  "tool.execute.before": "pre-tool",
  "tool.execute.after": "post-tool",
  "session.created": "session-start",
  "session.deleted": "session-end",
};
const OPENCODE_FILE_TOOLS = new Set(["write", "edit"]);
const opencode: Host = {
  name: "opencode",
  parse: parser("opencode", OPENCODE_EVENTS, (name, input) => {
    if (OPENCODE_FILE_TOOLS.has(name)) {
      const p = input.filePath;
      return { kind: "file", paths: typeof p === "string" && p.trim() ? [p] : [] };
    }
    if (name === "apply_patch" || name === "patch") return patchTool(s(input.patchText));
    return name === "bash" ? { kind: "shell", paths: [], command: s(input.command) } : { kind: "other", paths: [] };
  }),
  encode(o, kind) {
    const stderr = [...o.log];
    const refuse = (o.verdict === "deny" || o.verdict === "ask") && kind === "pre-tool";
    const answer = refuse ? { decision: "deny", reason: [o.reason ?? "coord: refused", ...o.context].join("\n\n") } : { decision: "allow", context: o.context.join("\n") };
    return { exitCode: 0, stdout: JSON.stringify(answer), stderr };
  },
  owns: (o) => s(o.hook_event_name) in OPENCODE_EVENTS,
  canAsk: () => false,
};

export const HOSTS: Record<HostName, Host> = { claude, codex, gemini, opencode };

/** The host named on the command line (`coord hook --host X`), else Claude Code; null for an unknown name. */
export function hostOf(argv: readonly string[]): Host | null {
  const i = argv.indexOf("--host");
  if (i < 0) return claude;
  const name = argv[i + 1] ?? "";
  return (HOSTS as Record<string, Host>)[name] ?? null;
}

/** For a `coord hook` registered without --host: the host whose payload this is, Claude Code unless another claims it. */
export function placeHost(doc: Record<string, unknown>): Host {
  for (const h of [gemini, opencode, codex]) if (h.owns?.(doc)) return h;
  return claude;
}

/** `host` null: the payload says whose it is (placeHost). */
export function parseEvent(host: Host | null, text: string): Parsed {
  if (!text.trim()) return { ok: false, note: "coord: empty hook input on stdin; nothing checked" };
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return { ok: false, note: `coord: hook input is not JSON (${(e as Error).message.slice(0, 80)}); nothing checked` };
  }
  if (!doc || typeof doc !== "object" || Array.isArray(doc)) return { ok: false, note: "coord: hook input is not a JSON object; nothing checked" };
  const o = doc as Record<string, unknown>;
  return (host ?? placeHost(o)).parse(o);
}
