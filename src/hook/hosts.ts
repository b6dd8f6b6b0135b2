// The agent hosts coord speaks to, as a table: how each one's hook payload becomes one host-neutral
// HookEvent, and how an Outcome goes back in that host's own format. Adding a host is adding a row.
import type { Outcome } from "../core/outcome";

export type HostName = "claude";

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
  /** May a question be put to a person, or would it be taken as a refusal? */
  canAsk(env: Record<string, string | undefined>): boolean;
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

const claude: Host = {
  name: "claude",
  parse(o) {
    const name = s(o.hook_event_name);
    if (!name) return { ok: false, note: "coord: hook input has no hook_event_name; nothing checked" };
    const toolName = s(o.tool_name);
    return {
      ok: true,
      event: {
        host: "claude",
        kind: CLAUDE_EVENTS[name] ?? "other",
        name,
        sessionId: s(o.session_id),
        cwd: s(o.cwd),
        source: s(o.source),
        toolName,
        tool: claudeTool(toolName, obj(o.tool_input)),
        raw: o,
      },
    };
  },
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

export const HOSTS: Record<HostName, Host> = { claude };

/** The host named on the command line (`coord hook --host X`), else Claude Code. */
export function hostOf(argv: readonly string[]): Host | null {
  const i = argv.indexOf("--host");
  if (i < 0) return claude;
  const name = argv[i + 1] ?? "";
  return (HOSTS as Record<string, Host>)[name] ?? null;
}

export function parseEvent(host: Host, text: string): Parsed {
  if (!text.trim()) return { ok: false, note: "coord: empty hook input on stdin; nothing checked" };
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return { ok: false, note: `coord: hook input is not JSON (${(e as Error).message.slice(0, 80)}); nothing checked` };
  }
  if (!doc || typeof doc !== "object" || Array.isArray(doc)) return { ok: false, note: "coord: hook input is not a JSON object; nothing checked" };
  return host.parse(doc as Record<string, unknown>);
}
