// `coord hook`: the process an agent host runs for every event. One pipeline:
// parse (hosts.ts) → facts (context.ts) → decide (guard.ts, bash.ts, record.ts, session.ts) →
// render (core) → emit, here, once. Whatever happens it prints one decision, exits 0 and finishes
// within its deadline.
import { type Outcome, allow, denyOut, logOut, strongest, unaskable } from "../core/outcome";
import { type Ctx, makeCtx, type World } from "./context";
import { type EventKind, HOSTS, type Host, type HookEvent, hostOf, parseEvent, placeHost } from "./hosts";
import { guardFileEdit } from "./guard";
import { leaseDuties, postToolUse, sessionEnd, touchEvent } from "./record";
import { stateDir } from "../edges/repo";
import { keepLateNotes, takeLateNotes } from "../edges/sessions";

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

async function handle(ctx: Ctx): Promise<Outcome> {
  const { ev } = ctx;
  switch (ev.kind) {
    case "pre-tool":
      // The shell parser and the banner load only for the events that need them: every module a
      // hook evaluates is paid for on every edit.
      if (ev.tool.kind === "shell") return (await import("./bash")).guardBash(ctx);
      if (ev.tool.kind === "file" || ev.tool.kind === "patch") return guardFileEdit(ctx);
      return allow();
    case "pre-shell":
      // The same shell guard as a Bash tool call: the command writes the same files.
      return ev.tool.kind === "shell" ? (await import("./bash")).guardBash(ctx) : allow();
    case "post-tool":
    case "post-tool-failure":
      return postToolUse(ctx);
    case "session-end":
      return sessionEnd(ctx);
    case "session-start":
      return (await import("./session")).sessionStart(ctx);
    default:
      return logOut([`coord: ${ev.name} is not an event coord handles; nothing checked`]);
  }
}

/** One event, start to finish, as a value. `host` null: the payload says whose it is. */
export async function dispatch(text: string, w: World, named: Host | null): Promise<{ event: HookEvent | null; outcome: Outcome }> {
  const parsed = parseEvent(named, text);
  if (!parsed.ok) return { event: null, outcome: logOut([parsed.note]) };
  const host = HOSTS[parsed.event.host];
  const ctx = makeCtx(parsed.event, w, host);
  // The heartbeat that keeps this session counted as live (SessionStart and SessionEnd record it themselves).
  const kind = parsed.event.kind;
  const touched = kind === "session-start" || kind === "session-end" ? null : touchEvent(ctx);
  let outcome = await handle(ctx);
  if (touched) outcome = strongest(outcome, logOut([touched]));
  // After the event's work, which may have refreshed the claims the lease check reads.
  if (kind !== "session-end" && kind !== "other") outcome = strongest(outcome, await leaseDuties(ctx));
  outcome = host.canAsk(w.env) ? outcome : unaskable(outcome);
  return { event: parsed.event, outcome: host.lateNotes ? carryNotes(ctx, outcome) : outcome };
}

/** For a host whose model misses an allowed pre-tool event's lines: kept, then said after the tool. */
function carryNotes(ctx: Ctx, o: Outcome): Outcome {
  const { ev } = ctx;
  const repo = ctx.repoAt(ctx.cwd);
  if (!repo || !ev.sessionId || (ev.kind !== "pre-tool" && ev.kind !== "post-tool" && ev.kind !== "post-tool-failure")) return o;
  const key = [ev.toolName, ...ev.tool.paths, ev.tool.command ?? ""].join("\0");
  try {
    if (ev.kind === "pre-tool") {
      if (o.verdict === "warn" && o.context.length) keepLateNotes(stateDir(repo), ev.sessionId, key, o.context, ctx.w.now());
      return o;
    }
    const late = takeLateNotes(stateDir(repo), ev.sessionId, key, ctx.w.now());
    return late.length ? strongest(allow(late), o) : o;
  } catch (e) {
    // A state folder that cannot be written: the person saw the lines; the model will not.
    return strongest(o, logOut([`coord: could not keep this tool's notes for the model (${(e as Error).message})`]));
  }
}

function emit(host: Host, o: Outcome, kind: EventKind, name: string): never {
  const r = host.encode(o, kind, name);
  if (r.stdout) process.stdout.write(`${r.stdout}\n`);
  const lines = r.stderr.filter(Boolean);
  if (lines.length) process.stderr.write(`${lines.join("\n")}\n`);
  process.exit(r.exitCode);
}

export async function main(argv: readonly string[] = []): Promise<void> {
  const env = process.env as Record<string, string | undefined>;
  const host = hostOf(argv);
  if (!host) {
    process.stderr.write(`coord: unknown host ${JSON.stringify(argv[argv.indexOf("--host") + 1] ?? "")}; nothing checked\n`);
    process.exit(0);
  }
  const deadline = Number(env.COORD_HOOK_DEADLINE_MS) > 0 ? Number(env.COORD_HOOK_DEADLINE_MS) : 5000;
  // Known before parsing, so that a deadline or a crash can still answer in the event's own terms.
  let kind: EventKind = "other";
  let name = "";
  // Only a tool about to run can be refused; for every other event a failure is a note.
  const onFailure = (why: string): Outcome => {
    const pre = kind === "pre-tool" || kind === "pre-shell";
    if (pre && env.COORD_FAIL_CLOSED === "1") return denyOut(`coord: refused because ${why} and COORD_FAIL_CLOSED=1 (run coord doctor)`);
    return pre ? allow([`coord: ${why}; the tool runs unchecked`]) : logOut([`coord: ${why}; nothing recorded`]);
  };
  const timer = setTimeout(() => emit(host, onFailure(`hook ran past its ${deadline} ms deadline`), kind, name), deadline);
  try {
    const { text, truncated } = await readStdin();
    name = /"hook_event_name"\s*:\s*"([A-Za-z.]+)"/.exec(text.slice(0, 65536))?.[1] ?? "";
    const peek = name ? (argv.includes("--host") ? host : placeHost({ hook_event_name: name })).parse({ hook_event_name: name }) : null;
    if (peek?.ok) kind = peek.event.kind;
    if (truncated) emit(host, onFailure(`hook input larger than ${MAX_INPUT} bytes`), kind, name);
    const w: World = { env, now: Date.now, sleep: (ms) => Bun.sleep(ms), cwd: process.cwd() };
    const { event, outcome } = await dispatch(text, w, argv.includes("--host") ? host : null);
    clearTimeout(timer);
    emit(event ? HOSTS[event.host] : host, outcome, event?.kind ?? kind, event?.name ?? name);
  } catch (e) {
    emit(host, onFailure(`internal error (${(e as Error)?.message?.split("\n")[0] ?? String(e)})`), kind, name);
  }
}
