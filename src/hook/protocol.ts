// Claude Code's hook protocol: what arrives on stdin, and the one decision coord prints.

export interface HookInput {
  event: string;
  sessionId: string;
  cwd: string;
  toolName: string;
  toolInput: Record<string, unknown>;
  source: string;
  raw: Record<string, unknown>;
}

export type Parsed = { ok: true; input: HookInput } | { ok: false; note: string };

/** Tools that write one file named in their input, and the key that names it. */
export const FILE_TOOLS: Record<string, string> = {
  Write: "file_path",
  Edit: "file_path",
  MultiEdit: "file_path",
  NotebookEdit: "notebook_path",
};

const s = (v: unknown) => (typeof v === "string" ? v : "");

export function parseHookInput(text: string): Parsed {
  if (!text.trim()) return { ok: false, note: "coord: empty hook input on stdin; nothing checked" };
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return { ok: false, note: `coord: hook input is not JSON (${(e as Error).message.slice(0, 80)}); nothing checked` };
  }
  if (!doc || typeof doc !== "object" || Array.isArray(doc)) return { ok: false, note: "coord: hook input is not a JSON object; nothing checked" };
  const o = doc as Record<string, unknown>;
  const event = s(o.hook_event_name);
  if (!event) return { ok: false, note: "coord: hook input has no hook_event_name; nothing checked" };
  const ti = o.tool_input;
  return {
    ok: true,
    input: {
      event,
      sessionId: s(o.session_id),
      cwd: s(o.cwd),
      toolName: s(o.tool_name),
      toolInput: ti && typeof ti === "object" && !Array.isArray(ti) ? (ti as Record<string, unknown>) : {},
      source: s(o.source),
      raw: o,
    },
  };
}

/** What the hook process does: one exit code, at most one stdout document, notes on stderr. */
export interface HookResult {
  exitCode: 0;
  stdout: string;
  stderr: string[];
}

export const silent = (notes: string[] = []): HookResult => ({ exitCode: 0, stdout: "", stderr: notes });

/**
 * A refusal travels as the JSON deny decision rather than exit 2: the model then sees the card
 * exactly, not prefixed by the whole hook command line, and exit code 0 keeps stderr for notes.
 */
export function deny(reason: string, notes: string[] = []): HookResult {
  return {
    exitCode: 0,
    stdout: JSON.stringify({ hookSpecificOutput: { hookEventName: "PreToolUse", permissionDecision: "deny", permissionDecisionReason: reason } }),
    stderr: notes,
  };
}

/** Asks the person (interactive sessions only; in -p mode Claude Code treats ask as deny). */
export function ask(reason: string, notes: string[] = []): HookResult {
  return {
    exitCode: 0,
    stdout: JSON.stringify({ hookSpecificOutput: { hookEventName: "PreToolUse", permissionDecision: "ask", permissionDecisionReason: reason } }),
    stderr: notes,
  };
}

/** Lets the tool run (no permission decision: the session's own permission rules still apply) and tells the model. */
export function warn(context: string, event = "PreToolUse"): HookResult {
  return {
    exitCode: 0,
    stdout: JSON.stringify({ systemMessage: context, hookSpecificOutput: { hookEventName: event, additionalContext: context } }),
    stderr: [context],
  };
}

export function sessionContext(text: string): HookResult {
  return { exitCode: 0, stdout: JSON.stringify({ hookSpecificOutput: { hookEventName: "SessionStart", additionalContext: text } }), stderr: [] };
}
