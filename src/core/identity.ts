// Who "I" am: the name a session's claims are assigned to.
import type { SessionRecord } from "./live";

export interface IdentityInput {
  beadsActor?: string | undefined;
  sessionId?: string | undefined;
  /** The identity coord recorded for this session id (it differs after /clear, see successorOf). */
  recorded?: string | null | undefined;
}

/**
 * BEADS_ACTOR when the session was started with one, else the identity recorded for the session,
 * else `claude-` + the session id's first 8 characters.
 */
export function identityOf(input: IdentityInput): string | null {
  const actor = input.beadsActor?.trim();
  if (actor) return actor;
  if (input.recorded) return input.recorded;
  const sid = input.sessionId?.trim().replace(/[^A-Za-z0-9_-]/g, "");
  if (sid) return `claude-${sid.slice(0, 8)}`;
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
