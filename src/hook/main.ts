// `coord hook`: the process Claude Code runs for every event. Whatever happens, it prints at most
// one decision, exits 0 and finishes within its deadline.
import { guardFileEdit, type World } from "./guard";
import { type HookResult, deny, parseHookInput, silent } from "./protocol";
import { postToolUse, sessionEnd, touchEvent } from "./record";

const withNote = (r: HookResult, note: string | null): HookResult => (note ? { ...r, stderr: [...r.stderr, note] } : r);

const MAX_INPUT = 32 * 1024 * 1024;

async function readStdin(): Promise<{ text: string; truncated: boolean }> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of Bun.stdin.stream()) {
    size += chunk.byteLength;
    if (size > MAX_INPUT) return { text: "", truncated: true };
    chunks.push(chunk);
  }
  return { text: Buffer.concat(chunks).toString("utf8"), truncated: false };
}

export async function dispatch(text: string, w: World): Promise<HookResult> {
  const parsed = parseHookInput(text);
  if (!parsed.ok) return silent([parsed.note]);
  const input = parsed.input;
  // The heartbeat that keeps this session counted as live (SessionStart and SessionEnd record it themselves).
  const touchNote = input.event === "SessionStart" || input.event === "SessionEnd" ? null : touchEvent(input, w);
  switch (input.event) {
    case "PreToolUse":
      // The shell parser and the banner load only for the events that need them: every module a
      // hook evaluates is paid for on every edit.
      if (input.toolName === "Bash") return withNote(await (await import("./bash")).guardBash(input, w), touchNote);
      return withNote(await guardFileEdit(input, w), touchNote);
    // A Bash command that exits non-zero gets PostToolUseFailure instead, and may have written
    // before it failed (echo x > f && false): its targets are recorded the same way.
    case "PostToolUse":
    case "PostToolUseFailure":
      return withNote(await postToolUse(input, w), touchNote);
    case "SessionEnd":
      return sessionEnd(input, w);
    case "SessionStart":
      return (await import("./session")).sessionStart(input, w);
    default:
      return silent();
  }
}

function emit(r: HookResult): never {
  if (r.stdout) process.stdout.write(`${r.stdout}\n`);
  const notes = r.stderr.filter(Boolean);
  if (notes.length) process.stderr.write(`${notes.join("\n")}\n`);
  process.exit(r.exitCode);
}

export async function main(): Promise<void> {
  const env = process.env as Record<string, string | undefined>;
  const deadline = Number(env.COORD_HOOK_DEADLINE_MS) > 0 ? Number(env.COORD_HOOK_DEADLINE_MS) : 5000;
  // Only a PreToolUse can be refused; for every other event a failure is a note.
  let event = "";
  const onFailure = (why: string): HookResult =>
    env.COORD_FAIL_CLOSED === "1" && event === "PreToolUse"
      ? deny(`coord: refused because ${why} and COORD_FAIL_CLOSED=1 (run coord doctor)`, [`coord: ${why}`])
      : silent([`coord: ${why}; ${event === "PreToolUse" ? "the tool runs unchecked" : "nothing recorded"}`]);
  const timer = setTimeout(() => emit(onFailure(`hook ran past its ${deadline} ms deadline`)), deadline);
  try {
    const { text, truncated } = await readStdin();
    event = /"hook_event_name"\s*:\s*"([A-Za-z]+)"/.exec(text)?.[1] ?? "";
    if (truncated) emit(silent([`coord: hook input larger than ${MAX_INPUT} bytes; nothing checked`]));
    const w: World = { env, now: Date.now, sleep: (ms) => Bun.sleep(ms), cwd: process.cwd() };
    const r = await dispatch(text, w);
    clearTimeout(timer);
    emit(r);
  } catch (e) {
    emit(onFailure(`internal error (${(e as Error)?.message?.split("\n")[0] ?? String(e)})`));
  }
}
