// The claims snapshot: bd's answer persisted in the git common dir and reused until the beads
// database changes, so a warm hook never starts bd.
import { join } from "node:path";
import type { Bead } from "../core/claims";
import { type BeadsLocation, databaseKey, listBeads } from "./bd";
import { readText, tryLock, writeAtomic } from "./fs";

export const SNAPSHOT_VERSION = 2;
/** Without a local change signal (a remote dolt server) the snapshot is trusted this long. */
const TTL_WITHOUT_SIGNAL_MS = 5000;

export interface Snapshot {
  version: number;
  /** databaseKey() taken before the bd call that filled it. */
  key: string | null;
  beadsDir: string;
  takenAt: number;
  /** Every bead that is not closed; the hot path only reads the in-progress ones. */
  beads: Bead[];
}

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

export function readSnapshot(stateDir: string): Snapshot | null {
  const text = readText(snapshotPath(stateDir));
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
}

/**
 * The claims to decide on. Warm: read one file and stat one. Stale: one hook refreshes under a
 * lock; hooks that arrive meanwhile wait briefly for its result, then use what they have.
 */
export async function loadClaims(d: RefreshDeps): Promise<ClaimsView> {
  const start = d.now();
  const key = databaseKey(d.loc);
  const current = readSnapshot(d.stateDir);
  if (!d.force && isFresh(current, d.loc, key, start)) return { freshness: "fresh", snapshot: current, note: null };

  const lockPath = join(d.stateDir, "refresh.lock");
  const release = tryLock(lockPath, d.budgetMs * 2 + 1000, start);
  if (release) {
    try {
      const r = await listBeads(d.cwd, d.env, Math.max(100, d.budgetMs - (d.now() - start)));
      if (r.ok) {
        const snap: Snapshot = { version: SNAPSHOT_VERSION, key, beadsDir: d.loc.dir, takenAt: d.now(), beads: r.beads };
        try {
          writeAtomic(snapshotPath(d.stateDir), JSON.stringify(snap));
        } catch {
          // A read-only git dir costs speed, not correctness: decide on what bd said.
        }
        return { freshness: "refreshed", snapshot: snap, note: null };
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
    const s = readSnapshot(d.stateDir);
    if (isFresh(s, d.loc, databaseKey(d.loc), d.now())) return { freshness: "refreshed", snapshot: s, note: null };
  }
  return fallback(readSnapshot(d.stateDir) ?? current, "another coord process is refreshing the claims", d.now());
}

function fallback(snap: Snapshot | null, reason: string, now: number): ClaimsView {
  if (snap) {
    const age = Math.round((now - snap.takenAt) / 1000);
    return { freshness: "stale", snapshot: snap, note: `coord: ${reason}; using claims from ${age}s ago` };
  }
  return { freshness: "none", snapshot: null, note: `coord: ${reason}; no earlier claims to fall back on` };
}
