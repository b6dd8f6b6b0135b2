// The claims snapshot: bd's answer persisted in the git common dir and reused until the beads
// database changes, so a warm hook never starts bd.
import { join } from "node:path";
import { type Bead, safeReady } from "../core/claims";
import { type BeadsLocation, databaseKey, listBeads } from "./bd";
import { readText, tryLock, writeAtomic } from "./fs";

export const SNAPSHOT_VERSION = 4;
/** Without a local change signal (a remote dolt server) the snapshot is trusted this long. */
const TTL_WITHOUT_SIGNAL_MS = 5000;

export interface Snapshot {
  version: number;
  /** databaseKey() taken before the bd call that filled it. */
  key: string | null;
  beadsDir: string;
  takenAt: number;
  /** The in-progress beads; loaded with `all`, also the best ready beads that overlap no claim. */
  beads: Bead[];
  /** With `all`: how many ready beads overlap no claim (more than `beads` may hold). */
  readyTotal?: number;
}

/** Ready beads kept beside the claims: the banner shows 3, status 5 and a count. */
export const READY_KEPT = 50;

export type Freshness = "fresh" | "refreshed" | "stale" | "none";

export interface ClaimsView {
  freshness: Freshness;
  snapshot: Snapshot | null;
  /** One line for the session when the view is not fresh. */
  note: string | null;
}

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
 * the companion file written with it. A companion from another refresh makes the whole snapshot
 * unusable rather than mixing two moments.
 */
export function readSnapshot(stateDir: string, all = false): Snapshot | null {
  const claims = parseSnapshot(readText(snapshotPath(stateDir)));
  if (!claims || !all) return claims;
  const every = parseSnapshot(readText(allBeadsPath(stateDir)));
  if (!every || every.takenAt !== claims.takenAt || every.key !== claims.key) return null;
  return every;
}

/**
 * The two files of one refresh, from every open bead. Which ready work overlaps no claim is worked
 * out here, once per database change, rather than by every banner and status over thousands of beads.
 */
function snapshotFiles(snap: Snapshot): { claims: Snapshot; companion: Snapshot } {
  const claims = snap.beads.filter((b) => b.status === "in_progress");
  const ready = safeReady(snap.beads, claims);
  return {
    claims: { ...snap, beads: claims },
    companion: { ...snap, beads: [...claims, ...ready.slice(0, READY_KEPT)], readyTotal: ready.length },
  };
}

function writeSnapshot(stateDir: string, files: { claims: Snapshot; companion: Snapshot }): void {
  // Companion first: a reader that sees the new claims file always finds its companion.
  writeAtomic(allBeadsPath(stateDir), JSON.stringify(files.companion));
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
  /** Ignore a fresh snapshot and ask bd (coord snapshot --refresh). */
  force?: boolean;
  /** Load every open bead, not only the claims (banner, status, claim). */
  all?: boolean;
}

/**
 * The claims to decide on. Warm: read one file and stat one. Stale: one hook refreshes under a
 * lock; hooks that arrive meanwhile wait briefly for its result, then use what they have.
 */
export async function loadClaims(d: RefreshDeps): Promise<ClaimsView> {
  const start = d.now();
  const key = databaseKey(d.loc);
  const all = d.all ?? false;
  const current = readSnapshot(d.stateDir, all);
  if (!d.force && isFresh(current, d.loc, key, start)) return { freshness: "fresh", snapshot: current, note: null };

  const lockPath = join(d.stateDir, "refresh.lock");
  const release = tryLock(lockPath, d.budgetMs * 2 + 1000, start);
  if (release) {
    try {
      const r = await listBeads(d.cwd, d.env, Math.max(100, d.budgetMs - (d.now() - start)));
      if (r.ok) {
        const snap: Snapshot = { version: SNAPSHOT_VERSION, key, beadsDir: d.loc.dir, takenAt: d.now(), beads: r.beads };
        const files = snapshotFiles(snap);
        try {
          writeSnapshot(d.stateDir, files);
        } catch {
          // A read-only git dir costs speed, not correctness: decide on what bd said.
        }
        return { freshness: "refreshed", snapshot: all ? files.companion : files.claims, note: null };
      }
      return fallback(current, r.reason, d.now());
    } finally {
      release();
    }
  }

  // Someone else is asking bd right now: give them part of the budget, then use what exists.
  const waitUntil = start + Math.min(d.budgetMs, 1500);
  while (d.now() < waitUntil) {
    await d.sleep(25);
    const s = readSnapshot(d.stateDir, all);
    if (isFresh(s, d.loc, databaseKey(d.loc), d.now())) return { freshness: "refreshed", snapshot: s, note: null };
  }
  return fallback(readSnapshot(d.stateDir, all) ?? current, "another coord process is refreshing the claims", d.now());
}

function fallback(snap: Snapshot | null, reason: string, now: number): ClaimsView {
  if (snap) {
    const age = Math.round((now - snap.takenAt) / 1000);
    return { freshness: "stale", snapshot: snap, note: `coord: ${reason}; using claims from ${age}s ago` };
  }
  return { freshness: "none", snapshot: null, note: `coord: ${reason}; no earlier claims to fall back on` };
}
