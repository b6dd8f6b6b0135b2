// The claims snapshot: bd's answer persisted in the git common dir and reused until the beads
// database changes, so a warm hook never starts bd.
import { join } from "node:path";
import { type Bead, safeReady } from "../core/claims";
import { type ClaimsState, claimsNote } from "../core/freshness";
import { type BeatWindow, type JournalMark, onlyHeartbeatBetween } from "../core/lease";
import { type BeadsLocation, databaseKey, databaseState, type ListOutcome, listBeads, locateBeads } from "./bd";
import { readText, releaseHanded, takeLock, writeAtomic } from "./fs";
import { spawnDetached } from "./proc";
import { findRepo, stateDir } from "./repo";
import { selfCommand } from "./self";

export const SNAPSHOT_VERSION = 4;
/** Without a local change signal (a remote dolt server) the snapshot is trusted this long. */
const TTL_WITHOUT_SIGNAL_MS = 5000;

export interface Snapshot {
  version: number;
  /** databaseKey() taken before the bd call that filled it (or after it, across a heartbeat of coord's: keyedList). */
  key: string | null;
  beadsDir: string;
  takenAt: number;
  /** The in-progress beads; loaded with `all`, also the best ready beads that overlap no claim. */
  beads: Bead[];
  /** With `all`: how many ready beads overlap no claim (more than `beads` may hold). */
  readyTotal?: number;
  /** Where the journal stood at `key` and when that was read: a heartbeat of coord's that lands after can carry the snapshot across (src/edges/lease.ts). */
  mark?: KeyMark;
}

/** The journal behind a key and the time it was read. */
export interface KeyMark {
  journal: JournalMark;
  at: number;
}

/** Ready beads kept beside the claims: the banner shows 3, status 5 and a count. */
export const READY_KEPT = 50;

/** The claims a check decides on, how current they are, and one line for the session when they are not. */
export type ClaimsView = ClaimsState & {
  snapshot: Snapshot | null;
  note: string | null;
};

export function snapshotPath(stateDir: string): string {
  return join(stateDir, "claims.json");
}

/** The claims plus the ready work that collides with nobody: the banner and status need it, edits do not. */
function allBeadsPath(stateDir: string): string {
  return join(stateDir, "beads.json");
}

function parseSnapshot(text: string | null): Snapshot | null {
  if (text === null) return null;
  try {
    const s = JSON.parse(text) as Snapshot;
    // An unknown version or a damaged file is rebuilt, never trusted.
    if (s?.version !== SNAPSHOT_VERSION || !Array.isArray(s.beads) || typeof s.takenAt !== "number") return null;
    return s;
  } catch {
    return null;
  }
}

/**
 * The claims file (in-progress beads only: 2,000 beads cost the hot path nothing), or with `all`,
 * the companion file: claims and ready work from one `bd list` of every open bead. Each file names
 * the database state it was read at, so either is judged fresh on its own.
 */
export function readSnapshot(stateDir: string, all = false): Snapshot | null {
  return parseSnapshot(readText(all ? allBeadsPath(stateDir) : snapshotPath(stateDir)));
}

interface SnapshotFiles {
  claims: Snapshot;
  companion: Snapshot | null;
}

/**
 * The files of one refresh. With every open bead (`all`), which ready work overlaps no claim is
 * worked out here, once per database change, rather than by every banner and status.
 */
function snapshotFiles(snap: Snapshot, all: boolean): SnapshotFiles {
  const claims = snap.beads.filter((b) => b.status === "in_progress");
  if (!all) return { claims: { ...snap, beads: claims }, companion: null };
  const ready = safeReady(snap.beads, claims);
  return {
    claims: { ...snap, beads: claims },
    companion: { ...snap, beads: [...claims, ...ready.slice(0, READY_KEPT)], readyTotal: ready.length },
  };
}

function writeSnapshot(stateDir: string, files: SnapshotFiles): void {
  if (files.companion) writeAtomic(allBeadsPath(stateDir), JSON.stringify(files.companion));
  writeAtomic(snapshotPath(stateDir), JSON.stringify(files.claims));
}

function isFresh(s: Snapshot | null, loc: BeadsLocation, key: string | null, now: number): s is Snapshot {
  if (!s || s.beadsDir !== loc.dir) return false;
  if (key === null) return s.key === null && now - s.takenAt < TTL_WITHOUT_SIGNAL_MS;
  return s.key === key;
}

export interface RefreshDeps {
  stateDir: string;
  loc: BeadsLocation;
  cwd: string;
  env: Record<string, string | undefined>;
  budgetMs: number;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** Ignore a fresh snapshot and ask bd now, in this process (coord snapshot --refresh, coord claim). */
  force?: boolean;
  /** Load every open bead, not only the claims (banner, status, claim). */
  all?: boolean;
}

/** How long a background refresh may run bd before it gives up and records the failure. */
export const REFRESH_LIMIT_MS = 20_000;
/** After a failed refresh, checks decide on the last snapshot this long before bd is tried again. */
const RETRY_AFTER_MS = 10_000;
const POLL_MS = 15;

const lockPath = (stateDir: string) => join(stateDir, "refresh.lock");
const failurePath = (stateDir: string) => join(stateDir, "refresh-failed.json");

interface Failure {
  key: string | null;
  at: number;
  reason: string;
}

/** The last background refresh's failure, when it was for this state of the database. */
function readFailure(stateDir: string, key: string | null): Failure | null {
  try {
    const f = JSON.parse(readText(failurePath(stateDir)) ?? "null") as Failure | null;
    return f && f.key === key ? f : null;
  } catch {
    return null;
  }
}

function view(state: ClaimsState, snapshot: Snapshot | null, extra: string | null = null): ClaimsView {
  const note = [claimsNote(state), extra].filter(Boolean).join("; ") || null;
  return { ...state, snapshot, note } as ClaimsView;
}

function fallback(snap: Snapshot | null, loc: BeadsLocation, key: string | null, reason: string, pending: boolean, now: number, extra: string | null = null): ClaimsView {
  if (!snap) return view({ freshness: "none", pending, reason }, null, extra);
  const dbChanged = snap.beadsDir !== loc.dir || (key !== null && snap.key !== key);
  return view({ freshness: "stale", ageMs: now - snap.takenAt, dbChanged, pending, reason }, snap, extra);
}

/**
 * The claims to decide on. Warm: read one file and stat one. Out of date: a detached
 * `coord snapshot --background` asks bd and writes the snapshot, and this check waits for it up to
 * its budget; a refresh that takes longer finishes for the next check instead of starting over. A
 * lock (pid and start time of the refresher) keeps it to one refresh at a time; an orphaned one
 * is taken over. Where the state folder cannot be written, this process asks bd itself.
 */
export async function loadClaims(d: RefreshDeps): Promise<ClaimsView> {
  const start = d.now();
  const all = d.all ?? false;
  const key = databaseKey(d.loc);
  const current = readSnapshot(d.stateDir, all);
  if (!d.force && isFresh(current, d.loc, key, start)) return view({ freshness: "fresh" }, current);
  if (d.force) return inlineRefresh(d, current, start, null);
  return awaitBackground(d, current, start);
}

async function awaitBackground(d: RefreshDeps, first: Snapshot | null, start: number): Promise<ClaimsView> {
  const all = d.all ?? false;
  const until = start + d.budgetMs;
  let last = first;
  let started = 0;
  for (;;) {
    const now = d.now();
    const key = databaseKey(d.loc);
    const snap = readSnapshot(d.stateDir, all) ?? last;
    last = snap;
    if (isFresh(snap, d.loc, key, now)) return view({ freshness: "refreshed" }, snap);
    const failed = readFailure(d.stateDir, key);
    if (failed && now - failed.at < RETRY_AFTER_MS) return fallback(snap, d.loc, key, failed.reason, false, now);
    // A refresher that ended without a result twice (killed, or it could not write): ask bd here.
    const r = startRefresher(d, now, started < 2);
    if (typeof r === "object") return inlineRefresh(d, snap, start, `${r.unusable}; asking bd in this process`);
    if (r === "failed" || r === "exhausted") return inlineRefresh(d, snap, start, null);
    if (r === "started") started++;
    // Once bd failed for this state of the database, a retry that is slow again is no reason to
    // refuse edits: that would lock every session out for as long as bd is broken.
    if (now >= until) return fallback(snap, d.loc, key, `bd has not answered within ${d.budgetMs} ms (the refresh goes on in the background)`, !failed, now);
    await d.sleep(Math.min(POLL_MS, Math.max(1, until - now)));
  }
}

/**
 * Takes the refresh lock and hands it to a detached `coord snapshot --background`. "running": a
 * live refresher holds the lock already; "failed": the refresher could not be started;
 * "exhausted": the lock is free but `mayStart` is false.
 */
function startRefresher(d: Pick<RefreshDeps, "stateDir" | "cwd" | "env" | "all">, now: number, mayStart = true): "started" | "running" | "failed" | "exhausted" | { unusable: string } {
  const lock = takeLock(lockPath(d.stateDir), now, REFRESH_LIMIT_MS + 5000);
  if (lock.kind === "unusable") return { unusable: lock.reason };
  if (lock.kind === "held") return "running";
  if (!mayStart) {
    lock.release();
    return "exhausted";
  }
  const pid = spawnDetached([...selfCommand(), "snapshot", "--background", lock.token, ...(d.all ? ["--all"] : [])], { cwd: d.cwd, env: d.env });
  if (pid === null) {
    lock.release();
    return "failed";
  }
  lock.handTo(pid);
  return "started";
}

/**
 * After a session's own command wrote the database: start bringing the claims up to date now, in
 * the background, so the next check finds them fresh. Never waits.
 */
export function refreshSoon(d: Pick<RefreshDeps, "stateDir" | "loc" | "cwd" | "env" | "now">): boolean {
  const now = d.now();
  if (isFresh(readSnapshot(d.stateDir), d.loc, databaseKey(d.loc), now)) return false;
  return startRefresher(d, now) === "started";
}

const beatsPath = (stateDir: string) => join(stateDir, "beats.json");
/** Beats older than this cannot overlap a refresh still running (its limit is REFRESH_LIMIT_MS). */
const BEAT_KEPT_MS = REFRESH_LIMIT_MS + 10_000;

function readBeats(stateDir: string): Record<string, BeatWindow> {
  try {
    const all = JSON.parse(readText(beatsPath(stateDir)) ?? "{}") as Record<string, BeatWindow>;
    return all && typeof all === "object" ? all : {};
  } catch {
    // A damaged file proves nothing: a refresh keeps its earlier key.
    return {};
  }
}

/**
 * Records when a session's heartbeat child runs bd (src/edges/lease.ts), for the refresher. Two
 * sessions writing at once may lose one's entry: that costs one more bd list, nothing else.
 */
export function markBeat(stateDir: string, sessionId: string, w: BeatWindow): void {
  const kept = Object.entries(readBeats(stateDir)).filter(([id, b]) => id !== sessionId && typeof b?.start === "number" && w.start - b.start < BEAT_KEPT_MS);
  try {
    writeAtomic(beatsPath(stateDir), JSON.stringify(Object.fromEntries([...kept, [sessionId, w]])));
  } catch {
    // Without the mark a refresh that overlaps the heartbeat costs one more bd list, nothing else.
  }
}

const beatWindows = (stateDir: string) =>
  Object.values(readBeats(stateDir)).filter((w) => typeof w?.start === "number" && (w.end === null || typeof w.end === "number"));

/**
 * One `bd list` and the key its answer is true under: the key before the call, or the key after it
 * when what was written meanwhile was one of coord's lease heartbeats (onlyHeartbeatBetween).
 * Without that, a heartbeat of a session's claims (every 90 s) landing while bd reads would make
 * the fresh answer out of date on arrival, and the next check would ask bd once more.
 */
async function keyedList(stateDir: string, loc: BeadsLocation, cwd: string, env: Record<string, string | undefined>, timeoutMs: number, all: boolean, now: () => number): Promise<{ key: string | null; mark?: KeyMark; r: ListOutcome }> {
  const from = now();
  const before = databaseState(loc);
  const r = await listBeads(cwd, env, timeoutMs, all);
  const earlier = { key: before.key, ...(before.journal ? { mark: { journal: before.journal, at: from } } : {}), r };
  if (!r.ok || before.key === null) return earlier;
  const after = databaseState(loc);
  const to = now();
  if (after.key === before.key || !after.journal || !onlyHeartbeatBetween(before.journal, after.journal, from, to, beatWindows(stateDir))) return earlier;
  return { key: after.key, mark: { journal: after.journal, at: to }, r };
}

/** This process asks bd within what is left of the budget (a forced refresh, or no usable state folder). */
async function inlineRefresh(d: RefreshDeps, current: Snapshot | null, start: number, problem: string | null): Promise<ClaimsView> {
  const all = d.all ?? false;
  const { key, mark, r } = await keyedList(d.stateDir, d.loc, d.cwd, d.env, Math.max(100, d.budgetMs - (d.now() - start)), all, d.now);
  const now = d.now();
  if (!r.ok) return fallback(current, d.loc, key, r.reason, r.reason.endsWith("ran out of time"), now, problem);
  const files = snapshotFiles({ version: SNAPSHOT_VERSION, key, beadsDir: d.loc.dir, takenAt: now, beads: r.beads, ...(mark ? { mark } : {}) }, all);
  try {
    writeSnapshot(d.stateDir, files);
  } catch {
    // A read-only or full state folder costs speed, not correctness: decide on what bd said.
  }
  return view({ freshness: "refreshed" }, all ? (files.companion as Snapshot) : files.claims, problem ? `coord: ${problem}` : null);
}

/**
 * The detached refresher a check starts (`coord snapshot --background`): asks bd with a long time
 * limit, writes the snapshot (or the failure), and releases the lock it was handed.
 */
export async function refreshInBackground(cwd: string, env: Record<string, string | undefined>, token: string, all: boolean): Promise<void> {
  const repo = findRepo(cwd);
  const loc = repo ? locateBeads(repo, env) : null;
  if (!repo || !loc) return;
  const state = stateDir(repo);
  try {
    const { key, mark, r } = await keyedList(state, loc, repo.root, env, REFRESH_LIMIT_MS, all, Date.now);
    if (r.ok) writeSnapshot(state, snapshotFiles({ version: SNAPSHOT_VERSION, key, beadsDir: loc.dir, takenAt: Date.now(), beads: r.beads, ...(mark ? { mark } : {}) }, all));
    else writeAtomic(failurePath(state), JSON.stringify({ key, at: Date.now(), reason: r.reason } satisfies Failure));
  } catch {
    // Nothing to report to: the waiting check notices the missing result and asks bd itself.
  } finally {
    releaseHanded(lockPath(state), token);
  }
}

/**
 * coord's own write moved the database from key `from` to `to` (read at `to.at`) and changed
 * nothing but what `patch` changes (a lease heartbeat: src/edges/lease.ts): the snapshot stays
 * valid under the new key, so no hook pays a refresh for it (`from` may equal `to.key`: a heartbeat
 * sometimes appends nothing, and only the patch applies). false when the snapshot was not taken at
 * `from`, or a refresh is under way (it will write the truth).
 */
export function rekeySnapshot(stateDir: string, from: string | null, to: { key: string | null; journal: JournalMark | null; at: number }, patch: (b: Bead) => Bead, now = Date.now()): boolean {
  if (from === null || to.key === null) return false;
  const lock = takeLock(lockPath(stateDir), now, REFRESH_LIMIT_MS + 5000);
  if (lock.kind !== "taken") return false;
  try {
    const claims = readSnapshot(stateDir);
    if (!claims || claims.key !== from) return false;
    const moved = (s: Snapshot) => {
      const { mark: _, ...rest } = s;
      return JSON.stringify({ ...rest, key: to.key, beads: s.beads.map(patch), ...(to.journal ? { mark: { journal: to.journal, at: to.at } } : {}) });
    };
    // Each file names the state it was read at: a companion from an earlier state stays as it was.
    const every = readSnapshot(stateDir, true);
    if (every && every.key === from) writeAtomic(allBeadsPath(stateDir), moved(every));
    writeAtomic(snapshotPath(stateDir), moved(claims));
    return true;
  } finally {
    lock.release();
  }
}
