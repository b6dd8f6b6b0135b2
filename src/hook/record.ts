// What every hook event records: the session's heartbeat, the files its tools wrote (PostToolUse),
// its end (SessionEnd). Recording never blocks a tool: failures become notes.
import { isAbsolute, resolve } from "node:path";
import { identityOf } from "../core/identity";
import type { Me, PendingEdit, SessionRecord } from "../core/live";
import { relativeTo } from "../core/paths";
import { loadConfig } from "../edges/config";
import { compactJournal, hashFile, pendingEdits, recordEdit } from "../edges/journal";
import { findRepoCached, realpathLoose, type Repo, stateDir } from "../edges/repo";
import { readSession, touchSession } from "../edges/sessions";
import type { World } from "./guard";
import { type HookInput, type HookResult, FILE_TOOLS, silent } from "./protocol";

/**
 * This event's session and identity. The identity recorded for the session (in `repo`'s state)
 * wins over the one derived from its id: after /clear a session keeps its predecessor's.
 */
export function meOf(input: HookInput, w: World, repo: Repo | null): Me {
  return meFrom(input, w, sessionRecordOf(input, w, repo));
}

const sessionIdOf = (input: HookInput, w: World) => input.sessionId || w.env.CLAUDE_CODE_SESSION_ID || null;

function sessionRecordOf(input: HookInput, w: World, repo: Repo | null): SessionRecord | null {
  const sessionId = sessionIdOf(input, w);
  return repo && sessionId ? readSession(stateDir(repo), sessionId) : null;
}

function meFrom(input: HookInput, w: World, record: SessionRecord | null): Me {
  const sessionId = sessionIdOf(input, w);
  return { sessionId, identity: identityOf({ beadsActor: w.env.BEADS_ACTOR, sessionId: sessionId ?? undefined, recorded: record?.identity }) };
}

export const idleMsOf = (root: string) => loadConfig(root).config.settings.sessionIdleMinutes * 60_000;

export function eventCwd(input: HookInput, w: World): string {
  return input.cwd && isAbsolute(input.cwd) ? input.cwd : w.env.CLAUDE_PROJECT_DIR || w.cwd;
}

/** Other live sessions' uncommitted edits among `files` of `repo`: the facts decide() needs. */
export function othersPending(repo: Repo, files: readonly string[], me: Me, w: World, idleMs: number): PendingEdit[] {
  try {
    return pendingEdits({ state: stateDir(repo), root: repo.root, files, me, now: w.now(), idleMs, env: w.env, abs: (f) => resolve(repo.root, f) });
  } catch {
    return [];
  }
}

/** The heartbeat: every event marks its session seen. One small atomic write. */
export function touchEvent(input: HookInput, w: World, ended: false | { reason: string } = false): string | null {
  const cwd = eventCwd(input, w);
  const repo = findRepoCached(cwd);
  if (!repo) return null;
  // One read of the session's record serves both its identity and its heartbeat.
  const prev = sessionRecordOf(input, w, repo);
  const me = meFrom(input, w, prev);
  if (!me.sessionId || !me.identity) return null;
  try {
    touchSession(stateDir(repo), { identity: me.identity, sessionId: me.sessionId, cwd, root: repo.root }, w.now(), ended, prev);
    return null;
  } catch (e) {
    return `coord: could not record this session (${(e as Error).message})`;
  }
}

function record(repo: Repo, abs: string, me: Me, w: World): void {
  const rel = relativeTo(repo.root, abs);
  if (rel === null || rel === "" || rel === ".git" || rel.startsWith(".git/")) return;
  recordEdit(stateDir(repo), { root: repo.root, file: rel, sessionId: me.sessionId ?? "", identity: me.identity ?? "", at: w.now(), sha256: hashFile(abs) });
}

/** PostToolUse: the tool ran, so its files now hold this session's uncommitted work. */
export async function postToolUse(input: HookInput, w: World): Promise<HookResult> {
  const base = eventCwd(input, w);
  const me = meOf(input, w, findRepoCached(base));
  if (!me.sessionId || !me.identity) return silent();
  try {
    const key = FILE_TOOLS[input.toolName];
    if (key) {
      const target = input.toolInput[key];
      if (typeof target !== "string" || !target.trim()) return silent();
      const abs = realpathLoose(resolve(base, target));
      const repo = findRepoCached(abs);
      if (repo) record(repo, abs, me, w);
      return silent();
    }
    if (input.toolName === "Bash" && typeof input.toolInput.command === "string") {
      const repo = findRepoCached(base);
      if (!repo) return silent();
      const { analyze } = await import("../core/bash");
      const { resolveTargets } = await import("./bash");
      const a = analyze(input.toolInput.command);
      for (const t of resolveTargets(a.targets.filter((t) => !t.via.startsWith("git ") && !t.via.startsWith("mv (source")), base, repo)) {
        if (!t.isDir && t.exists) record(repo, t.abs, me, w);
      }
    }
    return silent();
  } catch (e) {
    return silent([`coord: could not record this edit (${(e as Error).message})`]);
  }
}

/** SessionEnd: the session's edits stop counting; entries of sessions that are gone are compacted away. */
export function sessionEnd(input: HookInput, w: World): HookResult {
  const reason = typeof input.raw.reason === "string" && input.raw.reason ? input.raw.reason : "other";
  const note = touchEvent(input, w, { reason });
  const repo = findRepoCached(eventCwd(input, w));
  if (repo) {
    try {
      compactJournal(stateDir(repo), w.now(), idleMsOf(repo.root));
    } catch {
      // Compaction is housekeeping: the next SessionEnd tries again.
    }
  }
  return silent(note ? [note] : []);
}
