// Who "I" am: the name a session's claims are assigned to.
import type { SessionRecord } from "./live";

export interface IdentityInput {
  beadsActor?: string | undefined;
  sessionId?: string | undefined;
  /** The identity coord recorded for this session id (it differs after /clear, see successorOf). */
  recorded?: string | null | undefined;
  /** The agent host the session runs in (default claude). */
  host?: string | undefined;
}

/**
 * `claude-` + the first 8 characters of a Claude Code session id (a random uuid v4); for the other
 * hosts `<host>-` + the last 8: Codex's ids are uuid v7 and OpenCode's `ses_<time><random>`, whose
 * first characters are a clock, the same for every session started within the same minute.
 */
export function sessionIdentity(host: string, sessionId: string): string {
  return host === "claude" ? `claude-${sessionId.slice(0, 8)}` : `${host}-${sessionId.slice(-8)}`;
}

/**
 * BEADS_ACTOR when the session was started with one, else the identity recorded for the session,
 * else the identity its session id gives (sessionIdentity).
 */
export function identityOf(input: IdentityInput): string | null {
  const actor = input.beadsActor?.trim();
  if (actor) return actor;
  if (input.recorded) return input.recorded;
  const sid = input.sessionId?.trim().replace(/[^A-Za-z0-9_-]/g, "");
  if (sid) return sessionIdentity(input.host ?? "claude", sid);
  return null;
}

/**
 * The agent session a shell command runs in, from what its host exports to it: Claude Code's
 * CLAUDE_CODE_SESSION_ID, Codex's CODEX_SESSION_ID (measured with codex 0.171.0; OpenCode's
 * plugin exports COORD_SESSION_ID and the identity itself). Null outside any session.
 */
export function shellSession(env: Record<string, string | undefined>): { host: string; sessionId: string } | null {
  if (env.CLAUDE_CODE_SESSION_ID) return { host: "claude", sessionId: env.CLAUDE_CODE_SESSION_ID };
  if (env.CODEX_SESSION_ID) return { host: "codex", sessionId: env.CODEX_SESSION_ID };
  return null;
}

/** How long after a `/clear` ended a session its successor may still take its identity over. */
export const CLEAR_HANDOVER_MS = 60_000;

/**
 * `/clear` ends a session and starts one with a new id in the same terminal. The new one is the same
 * worker with a fresh context, so it keeps the identity its claims are assigned to: the session in
 * the same checkout that ended by `clear` most recently, within a minute, and not taken over yet.
 */
export function successorOf(records: readonly SessionRecord[], root: string, sessionId: string, now: number): SessionRecord | null {
  const taken = new Set(records.map((r) => r.inheritedFrom).filter(Boolean));
  const candidates = records.filter(
    (r) =>
      r.sessionId !== sessionId &&
      r.root === root &&
      r.endReason === "clear" &&
      r.endedAt !== null &&
      now - r.endedAt >= 0 &&
      now - r.endedAt < CLEAR_HANDOVER_MS &&
      !taken.has(r.sessionId),
  );
  return candidates.sort((a, b) => (b.endedAt ?? 0) - (a.endedAt ?? 0))[0] ?? null;
}
