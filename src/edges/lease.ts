// Keeping a live session's claims alive under bd 1.3.0: `bd heartbeat <id>` for each of its
// leased claims, at most once per RENEW_EVERY_MS per session, in a detached coord process so that
// no edit waits for bd (a heartbeat costs 0.3 s and ~185 MB). One small file per session
// (`<state>/leases/<session>.json`) holds the throttle and the claims the session last held,
// which is how a session learns that one was reclaimed while it was away.
import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Bead } from "../core/claims";
import { LEASE_MS, RENEW_EVERY_MS, heartbeatStep, onlyHeartbeatBetween } from "../core/lease";
import { type BeadsLocation, bd, type DatabaseState, databaseState } from "./bd";
import { readText, writeAtomic } from "./fs";
import { spawnDetached } from "./proc";
import { selfCommand } from "./self";
import { loadClaims, markBeat, readSnapshot, rekeySnapshot } from "./snapshot";

export interface LeaseRecord {
  sessionId: string;
  identity: string;
  /** When the last renewal was started (the throttle). */
  startedAt: number;
  /** The claims this session held at its last renewal, and the snapshot time they were seen in. */
  held: string[];
  heldAsOf: number;
  /** Claims whose heartbeat bd refused at the last renewal (reclaimed, closed, someone else's). */
  refused: string[];
}

const safe = (sid: string) => sid.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 80) || "unknown";
const file = (stateDir: string, sid: string) => join(stateDir, "leases", `${safe(sid)}.json`);

export function readLease(stateDir: string, sid: string): LeaseRecord | null {
  try {
    const r = JSON.parse(readText(file(stateDir, sid)) ?? "") as LeaseRecord;
    return typeof r.startedAt === "number" && Array.isArray(r.held) ? { ...r, heldAsOf: typeof r.heldAsOf === "number" ? r.heldAsOf : 0 } : null;
  } catch {
    return null;
  }
}

export function writeLease(stateDir: string, r: LeaseRecord): void {
  writeAtomic(file(stateDir, r.sessionId), JSON.stringify(r));
}

/**
 * Forgets the records of sessions that renewed nothing for `forgetMs` (the session records' own
 * week): a record outlives its session on purpose, so that a resumed session still learns what was
 * reclaimed while it was away, but not for ever. Unreadable records go too.
 */
export function pruneLeases(stateDir: string, now: number, forgetMs = 7 * 24 * 3600_000): void {
  let names: string[] = [];
  try {
    names = readdirSync(join(stateDir, "leases")).filter((n) => n.endsWith(".json"));
  } catch {
    return;
  }
  for (const n of names) {
    const r = readLease(stateDir, n.slice(0, -".json".length));
    if (!r || now - r.startedAt > forgetMs) rmSync(join(stateDir, "leases", n), { force: true });
  }
}

/** In-progress claims of `identity` that carry a lease (claims made under bd 1.0.5 have none). */
export const leasedClaims = (beads: readonly Bead[], identity: string) =>
  beads.filter((b) => b.status === "in_progress" && b.assignee === identity && !!b.leaseExpiresAt);

/**
 * For a hook: start a renewal when this session holds leased claims and none was started within
 * RENEW_EVERY_MS. Costs one small read on most events; the stamp is written before the child is
 * started, so two hooks of one session in the same instant start one child.
 */
export function renewLeasesIfDue(o: {
  stateDir: string;
  sessionId: string;
  identity: string;
  claims: readonly Bead[];
  cwd: string;
  env: Record<string, string | undefined>;
  now: number;
}): boolean {
  const prev = readLease(o.stateDir, o.sessionId);
  if (prev && o.now - prev.startedAt < RENEW_EVERY_MS) return false;
  if (leasedClaims(o.claims, o.identity).length === 0) return false;
  writeLease(o.stateDir, { sessionId: o.sessionId, identity: o.identity, startedAt: o.now, held: prev?.held ?? [], heldAsOf: prev?.heldAsOf ?? 0, refused: prev?.refused ?? [] });
  return spawnDetached([...selfCommand(), "heartbeat", "--session", o.sessionId, "--identity", o.identity], { cwd: o.cwd, env: o.env }) !== null;
}

export interface RenewResult {
  renewed: string[];
  refused: { id: string; reason: string }[];
  /** The snapshot was moved onto the journal state after the heartbeats (no other session pays a refresh). */
  rekeyed: boolean;
}

/**
 * The detached child's work: heartbeat each leased claim of this session, then keep the claims
 * snapshot fresh across coord's own heartbeats. A heartbeat appends ~4 KB to the Dolt journal, the
 * snapshot's change key, so without this every session's next hook would pay a `bd list`
 * (0.5 s against 0.03 s). When the snapshot was fresh before the heartbeats and each heartbeat
 * grew the journal by no more than a heartbeat does, the snapshot is re-keyed to the journal after
 * them with the renewed leases; otherwise someone else wrote, and the next hook refreshes.
 */
export async function renewLeases(o: {
  stateDir: string;
  loc: BeadsLocation;
  sessionId: string;
  identity: string;
  cwd: string;
  env: Record<string, string | undefined>;
  now: () => number;
}): Promise<RenewResult> {
  const deps = { stateDir: o.stateDir, loc: o.loc, cwd: o.cwd, env: o.env, now: o.now, sleep: (ms: number) => Bun.sleep(ms) };
  const before = await loadClaims({ ...deps, budgetMs: 30_000 });
  const claims = before.snapshot?.beads ?? [];
  const mine = leasedClaims(claims, o.identity);
  const keyBefore = before.snapshot?.key ?? null;
  const renewed: string[] = [];
  const refused: { id: string; reason: string }[] = [];
  // The journal is read around each heartbeat: a chain of heartbeat-sized steps from the
  // snapshot's key means nobody else wrote in between.
  let chain: string | null = keyBefore;
  let last: (DatabaseState & { at: number }) | null = null;
  // A refresh that reads while these heartbeats write would otherwise come back under a key that
  // is out of date on arrival (see onlyHeartbeatBetween): the window tells it the write was ours.
  const beat = { start: o.now(), end: null as number | null };
  if (mine.length) markBeat(o.stateDir, o.sessionId, beat);
  for (const b of mine) {
    const at = databaseState(o.loc);
    const r = await bd(["heartbeat", b.id, "--actor", o.identity], o.cwd, o.env, 15_000);
    const after = databaseState(o.loc);
    last = { ...after, at: o.now() };
    chain = chain !== null && at.key === chain && heartbeatStep(at.journal, after.journal) ? after.key : null;
    if (r.code === 0) renewed.push(b.id);
    else refused.push({ id: b.id, reason: (r.stderr.trim().split("\n").pop() ?? `exit ${r.code}`).slice(0, 200) });
  }
  const ended = { ...beat, end: o.now() };
  if (mine.length) markBeat(o.stateDir, o.sessionId, ended);
  const prev = readLease(o.stateDir, o.sessionId);
  writeLease(o.stateDir, {
    sessionId: o.sessionId,
    identity: o.identity,
    startedAt: prev?.startedAt ?? o.now(),
    held: claims.filter((b) => b.status === "in_progress" && b.assignee === o.identity).map((b) => b.id),
    heldAsOf: before.snapshot?.takenAt ?? 0,
    refused: refused.map((r) => r.id),
  });
  let rekeyed = false;
  if (renewed.length && last) {
    const at = o.now();
    const ids = new Set(renewed);
    const patch = (b: Bead) => (ids.has(b.id) ? { ...b, heartbeatAt: new Date(at).toISOString(), leaseExpiresAt: new Date(at + LEASE_MS).toISOString() } : b);
    if (before.freshness !== "stale" && before.freshness !== "none" && chain !== null) rekeyed = rekeySnapshot(o.stateDir, keyBefore, { ...last, key: chain }, patch);
    else {
      // The other order: a refresh (set off by someone else's write) read its key while these
      // heartbeats ran and stored its answer under the state before their write. When the journal
      // grew by no more than a heartbeat since that key was read, and it was read before they
      // ended, the answer holds after them too (the refresher's rule, onlyHeartbeatBetween).
      const snap = readSnapshot(o.stateDir);
      if (snap?.mark && snap.key !== last.key && last.journal && onlyHeartbeatBetween(snap.mark.journal, last.journal, snap.mark.at, last.at, [ended])) {
        rekeyed = rekeySnapshot(o.stateDir, snap.key, last, patch);
      }
    }
  }
  return { renewed, refused, rekeyed };
}
