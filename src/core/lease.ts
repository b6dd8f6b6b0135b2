// Claim leases (bd 1.3.0): a claim's lease runs 5 minutes from its last `bd heartbeat`; expiry alone
// changes nothing, but `bd reclaim` (default grace 10 minutes past expiry) turns the bead back to
// open and unassigned. Claims made under bd 1.0.5 carry no lease. Pure: `now` is passed in.
import type { Bead } from "./claims";

/** bd's own constants (1.3.0): the lease length and `bd reclaim`'s default grace. */
export const LEASE_MS = 5 * 60_000;
export const RECLAIM_GRACE_MS = 10 * 60_000;
/** How often a live session renews its claims' leases: well inside the 5-minute lease. */
export const RENEW_EVERY_MS = 90_000;

export type LeaseState =
  | { kind: "none" }
  | { kind: "live"; msLeft: number }
  | { kind: "expired"; msAgo: number; msToReclaimable: number }
  | { kind: "reclaimable"; msAgo: number };

export function leaseState(b: Pick<Bead, "leaseExpiresAt">, now: number): LeaseState {
  const t = b.leaseExpiresAt ? Date.parse(b.leaseExpiresAt) : Number.NaN;
  if (Number.isNaN(t)) return { kind: "none" };
  if (now < t) return { kind: "live", msLeft: t - now };
  const msAgo = now - t;
  if (msAgo < RECLAIM_GRACE_MS) return { kind: "expired", msAgo, msToReclaimable: RECLAIM_GRACE_MS - msAgo };
  return { kind: "reclaimable", msAgo };
}

function mins(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 60 ? `${s}s` : `${Math.round(s / 60)}m`;
}

/** A few words for banners, status and cards; "" when the claim has no lease (bd 1.0.5). */
export function leaseText(b: Pick<Bead, "leaseExpiresAt">, now: number): string {
  const l = leaseState(b, now);
  if (l.kind === "live") return `lease expires in ${mins(l.msLeft)}`;
  if (l.kind === "expired") return `lease expired ${mins(l.msAgo)} ago, reclaimable in ${mins(l.msToReclaimable)}`;
  if (l.kind === "reclaimable") return `lease expired ${mins(l.msAgo)} ago, reclaimable`;
  return "";
}

/** The last sign of life of a claim: its update or its heartbeat, whichever is later (ms; NaN when unknown). */
export function lastActive(b: Pick<Bead, "updatedAt" | "heartbeatAt">): number {
  const u = Date.parse(b.updatedAt);
  const h = b.heartbeatAt ? Date.parse(b.heartbeatAt) : Number.NaN;
  if (Number.isNaN(h)) return u;
  if (Number.isNaN(u)) return h;
  return Math.max(u, h);
}

/**
 * Which of the beads a session believed it held were taken from it: back to open and unassigned
 * (reclaimed), or in progress under someone else. A bead that is gone from the list (closed) or
 * still mine is no news.
 */
export function lostClaims(held: readonly string[], beads: readonly Bead[], me: string): { id: string; title: string; now: "open" | string }[] {
  const out: { id: string; title: string; now: "open" | string }[] = [];
  for (const id of held) {
    const b = beads.find((x) => x.id === id);
    if (!b || b.status === "closed") continue;
    if (b.status === "in_progress" && b.assignee === me) continue;
    if (b.status === "open" && b.assignee === "") out.push({ id, title: b.title, now: "open" });
    else if (b.assignee && b.assignee !== me) out.push({ id, title: b.title, now: b.assignee });
  }
  return out;
}

/** The line a session reads at its next hook when its claims were reclaimed. */
export function lostClaimsNote(lost: ReturnType<typeof lostClaims>): string | null {
  if (!lost.length) return null;
  const parts = lost.map((l) =>
    l.now === "open"
      ? `${l.id} "${l.title}" was reclaimed (its lease ran out; it is open and unassigned again): claim it again with coord claim ${l.id}`
      : `${l.id} "${l.title}" was reclaimed and is now claimed by ${l.now}: its files are theirs; take other work (bd ready)`,
  );
  return `coord: your claim ${parts.join("; ")}`;
}

/** Where Dolt's chunk journal stood: its inode and size (it only ever grows until a gc replaces it). */
export interface JournalMark {
  ino: number;
  size: number;
}

/**
 * Measured with bd 1.3.0: a heartbeat appends 0 to 4.2 KB to the Dolt journal (its lease lives in
 * the working set, no commit). Every write that changes what coord reads commits and appends 15 KB
 * or more (create 21 KB, claim 19-22 KB, a label 15 KB, a notes or priority update 16-19 KB,
 * metadata 18 KB, close 21 KB); the one other small write seen, `bd kv set` (4.1 KB), changes no
 * claim. So a step of the same journal by at most HEARTBEAT_BYTES holds nothing else that matters.
 */
export const HEARTBEAT_BYTES = 6 * 1024;

export function heartbeatStep(before: JournalMark | null, after: JournalMark | null): boolean {
  if (!before || !after || before.ino !== after.ino) return false;
  const grew = after.size - before.size;
  return grew >= 0 && grew <= HEARTBEAT_BYTES;
}

/** When one of coord's heartbeats ran bd (`end` null: still running, or killed before it could say). */
export interface BeatWindow {
  start: number;
  end: number | null;
}

/** A beat that never recorded its end counts this long: `bd heartbeat`'s own time limit. */
export const BEAT_OPEN_MS = 15_000;

/**
 * A refresh read the database between `before` and `after` (journal marks taken around its
 * `bd list`, at the times `from` and `to`), and the key moved in between. Its answer is true under
 * the later key when the journal grew by no more than a heartbeat does and one of coord's own
 * heartbeats ran in that time: then the write was that heartbeat (or as small as one), which
 * changes a lease and no claim, and the next check need not ask bd again. Any larger step, a new
 * journal, or no heartbeat of coord's in the window keeps the earlier key, so a real claim made
 * while bd was reading still makes the snapshot stale.
 */
export function onlyHeartbeatBetween(before: JournalMark | null, after: JournalMark | null, from: number, to: number, beats: readonly BeatWindow[]): boolean {
  if (!heartbeatStep(before, after)) return false;
  return beats.some((b) => b.start <= to && (b.end === null ? to - b.start <= BEAT_OPEN_MS : b.end >= from));
}
