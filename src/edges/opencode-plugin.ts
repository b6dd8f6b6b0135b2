// The OpenCode plugin `coord init --host opencode` writes to .opencode/plugin/coord.ts: a file
// for OpenCode to run, kept here as text (it is written, never imported by coord).

export const PLUGIN_TIMEOUT_MS = 10_000;

/**
 * The OpenCode plugin. It imports nothing: OpenCode drops a plugin that fails to load without a
 * word, and an import would make loading depend on OpenCode's own package install in .opencode/.
 * It runs `coord hook --host opencode` once per tool call (JSON on stdin, one JSON answer), throws
 * a refusal (OpenCode gives the message to the model as the tool result), appends warnings to the
 * tool's output, puts the session's banner into the system prompt, and exports the session's
 * identity to its bash tool (OpenCode's shell.env), so bd and the commit gate know who it is. When coord cannot be run
 * or answers nonsense, tools that write (write, edit, patch, bash) are refused: a guard that
 * silently stops guarding is worse than one that stops the work and says why.
 */
export function renderOpencodePlugin(program: readonly string[]): string {
  return `// coord's guard for OpenCode: written by \`coord init --host opencode\`, which rewrites it; do not edit.
// No imports on purpose: OpenCode drops a plugin that fails to load without a word. Every tool call
// is checked by \`coord hook --host opencode\`; a refusal is thrown, so OpenCode hands its text to the
// model as the tool result. If coord cannot be run, tools that write are refused (fail closed).
const COORD = ${JSON.stringify([...program])};
const WRITES = new Set(["write", "edit", "patch", "apply_patch", "multiedit", "bash"]);
const TIMEOUT_MS = ${PLUGIN_TIMEOUT_MS};

async function coord(payload) {
  try {
    const p = Bun.spawn([...COORD, "hook", "--host", "opencode"], { stdin: new Blob([JSON.stringify(payload)]), stdout: "pipe", stderr: "pipe" });
    const timer = setTimeout(() => p.kill(), TIMEOUT_MS);
    const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
    clearTimeout(timer);
    if (err.trim()) console.error(err.trim());
    try {
      const answer = JSON.parse(out);
      if (answer && typeof answer.decision === "string") return { ok: true, answer };
    } catch {}
    return { ok: false, why: \`coord hook exited \${code} without an answer\${err.trim() ? \` (\${err.trim().split("\\n")[0]})\` : ""}\` };
  } catch (e) {
    return { ok: false, why: \`coord could not be run (\${COORD[0]}: \${e && e.message ? e.message : e})\` };
  }
}

export const CoordGuard = async ({ directory }) => {
  const args = new Map();
  const notes = new Map();
  const banners = new Map();
  const event = (name, sessionID, extra) => coord({ hook_event_name: name, session_id: sessionID || "", cwd: directory, ...extra });
  return {
    "tool.execute.before": async (input, output) => {
      const toolArgs = (output && output.args) || {};
      args.set(input.callID, toolArgs);
      const r = await event("tool.execute.before", input.sessionID, { tool_name: input.tool, tool_input: toolArgs, tool_use_id: input.callID });
      if (!r.ok) {
        if (WRITES.has(input.tool)) throw new Error(\`coord: refused \${input.tool}: \${r.why}. This repository is guarded by coord; install it (or fix the path in .opencode/plugin/coord.ts with coord init --host opencode) before writing.\`);
        return;
      }
      if (r.answer.decision === "deny") throw new Error(r.answer.reason || "coord: refused");
      if (r.answer.context) notes.set(input.callID, r.answer.context);
    },
    "tool.execute.after": async (input, output) => {
      const toolArgs = args.get(input.callID) || {};
      args.delete(input.callID);
      const r = await event("tool.execute.after", input.sessionID, { tool_name: input.tool, tool_input: toolArgs, tool_use_id: input.callID });
      const lines = [notes.get(input.callID), r.ok ? r.answer.context : \`coord: \${r.why}; this edit was not recorded\`].filter(Boolean);
      notes.delete(input.callID);
      if (lines.length && output && typeof output.output === "string") output.output += "\\n\\n" + lines.join("\\n");
    },
    // The session's identity for bd in its bash tool, as coord computes it (core/identity.ts
    // sessionIdentity): BEADS_ACTOR when OpenCode was started with one, else opencode-<last 8>.
    "shell.env": async (input, output) => {
      const sid = String((input && input.sessionID) || "").replace(/[^A-Za-z0-9_-]/g, "");
      const me = (process.env.BEADS_ACTOR || "").trim() || (sid ? "opencode-" + sid.slice(-8) : "");
      if (!me || !output || !output.env) return;
      Object.assign(output.env, { BD_ACTOR: me, BEADS_ACTOR: me, COORD_IDENTITY: me, COORD_SESSION_ID: sid });
    },
    "experimental.chat.system.transform": async (input, output) => {
      const sid = (input && input.sessionID) || "";
      if (!banners.has(sid)) {
        const r = await event("session.created", sid, { source: "startup" });
        banners.set(sid, r.ok ? r.answer.context || "" : \`coord: \${r.why}; writes in this session are refused until coord runs\`);
      }
      const text = banners.get(sid);
      if (text && output && Array.isArray(output.system)) output.system.push(text);
    },
  };
};
`;
}
