// Who else is working in this checkout right now, and which of their edits are not committed.
// Pure: the edges read session records, journal records and `git status`; this file judges them.
import type { Bead } from "./claims";

/** One recorded edit: the last writer of a file in one checkout. */
export interface EditRecord {
  v: number;
  /** The checkout (main or linked worktree) the file lives in: the same path in two worktrees is two files. */
  root: string;
  /** Repository-relative path, `/` separators. */
  file: string;
  sessionId: string;
  identity: string;
  at: number;
  /** sha256 of the content right after the edit; null when the file was gone. */
  sha256: string | null;
}

export interface SessionLike {
  sessionId: string;
  identity: string;
  lastSeen: number;
  endedAt: number | null;
}

/** What coord records of a session (one file per session, src/edges/sessions.ts). */
export interface SessionRecord extends SessionLike {
  cwd: string;
  /** The checkout (main or worktree) the session works in. */
  root: string;
  startedAt: number;
  /** SessionEnd's reason ("clear", "logout", "other", …). */
  endReason?: string | null;
  /** The session whose identity this one took over after a /clear. */
  inheritedFrom?: string | null;
}

export interface Me {
  sessionId: string | null;
  identity: string | null;
}

/** A session counts as gone once it ended or has been silent for `idleMs`. */
export function isLive(s: SessionLike | null, now: number, idleMs: number): boolean {
  return !!s && s.endedAt === null && now - s.lastSeen < idleMs;
}

export function isMine(rec: { sessionId: string; identity: string }, me: Me): boolean {
  return (!!me.sessionId && rec.sessionId === me.sessionId) || (!!me.identity && rec.identity === me.identity);
}

/**
 * Another identity's uncommitted work on a file (`git status` still shows it changed): what a
 * write now would lose. Recorded by the journal (a live session's edit, or an ended session's
 * while its identity holds an in-progress claim), or named by another identity's claim alone.
 */
export interface PendingEdit {
  file: string;
  /** The session that wrote it; "" when only a claim names the file. */
  sessionId: string;
  identity: string;
  /** When it was written; null when only a claim names the file. */
  at: number | null;
  /** Does the file still hold exactly what that session wrote? null when unknown. */
  unchangedSince: boolean | null;
  /** The in-progress bead that keeps the work its owner's although the session is gone (or that alone names it). */
  heldBy?: { id: string; title: string } | null;
}

/** The in-progress bead assigned to `identity`: while there is one, its uncommitted work outlives its sessions. */
export function heldClaim(identity: string, claims: readonly Bead[]): Bead | null {
  if (!identity) return null;
  return claims.find((b) => b.status === "in_progress" && b.assignee === identity) ?? null;
}

/**
 * Does a recorded edit still count as its author's? While its session is live; after the session
 * ended or went idle, while its identity still holds an in-progress claim (the work item is not
 * finished, so neither is the work). Returns the claim in the second case, true in the first.
 */
export function stillTheirs(rec: { identity: string }, session: SessionLike | null, claims: readonly Bead[], now: number, idleMs: number): Bead | true | null {
  if (isLive(session, now, idleMs)) return true;
  return heldClaim(rec.identity, claims);
}


/** One entry of `git status --porcelain=v1 -z`. */
export interface StatusEntry {
  /** Index and worktree status letters ("?" "?" for untracked). */
  x: string;
  y: string;
  path: string;
  /** The source of a rename or copy. */
  from?: string;
}

/** Parses `git status --porcelain=v1 -z` (NUL-separated; renames carry their source as a second field). */
export function parseStatusZ(stdout: string): StatusEntry[] {
  const out: StatusEntry[] = [];
  const parts = stdout.split("\0");
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i] as string;
    if (p.length < 4) continue;
    const e: StatusEntry = { x: p[0] as string, y: p[1] as string, path: p.slice(3) };
    if (e.x === "R" || e.x === "C") e.from = parts[++i];
    out.push(e);
  }
  return out;
}

export const isUntracked = (e: StatusEntry) => e.x === "?";
/** Staged in the index: what a plain `git commit` would take. */
export const isStaged = (e: StatusEntry) => e.x !== " " && e.x !== "?" && e.x !== "!";
/** Changed in a tracked file's working copy or index: what `git commit -a` would take. */
export const isTrackedChange = (e: StatusEntry) => e.x !== "?" && e.x !== "!";

/** Is `path` equal to or below the pathspec `spec` (both repository-relative; "" or "." is everything)? */
export function underPath(path: string, spec: string): boolean {
  const s = spec.replace(/^\.\/?/, "").replace(/\/+$/, "");
  return s === "" || path === s || path.startsWith(`${s}/`);
}
