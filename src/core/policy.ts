// The edit guard's decision: every input is a value, so the same facts drive the hook,
// `coord status --json` and the tests.
import type { Bead } from "./claims";
import type { Me, PendingEdit, StatusEntry } from "./live";
import { budgeted, overlapIndex, patternsOverlap } from "./match";
import type { Zone } from "./zones";

export interface ClaimHit {
  bead: Bead;
  pattern: string;
  /** Matched by the pattern's leading folders only: the decision's glob budget was spent. */
  loose?: boolean;
}

export interface EditFacts {
  path: string;
  me: string | null;
  /** In-progress beads whose files cover the path, split by whose they are. */
  mine: ClaimHit[];
  others: ClaimHit[];
  unassigned: ClaimHit[];
  zone: Zone | null;
  /** Other live sessions' uncommitted edits of this path (from the journal and git). */
  pending: PendingEdit[];
}

export type Verdict = "allow" | "warn" | "ask" | "deny";

export interface Decision {
  verdict: Verdict;
  /** Why, in the terms of the card: which rule fired. */
  rule: "unclaimed" | "mine" | "claimed-by-other" | "edited-by-other" | "unassigned-claim" | "shared-zone" | "stable-zone";
  facts: EditFacts;
}

export function claimHits(path: string, claims: readonly Bead[], m = budgeted()): ClaimHit[] {
  const hits: ClaimHit[] = [];
  for (const bead of claims) {
    for (const pattern of bead.files) {
      if (m.covers(pattern, path)) {
        hits.push(m.loose.has(pattern) ? { bead, pattern, loose: true } : { bead, pattern });
        break;
      }
    }
  }
  return hits;
}

export function zoneOf(path: string, zones: readonly Zone[], m = budgeted()): Zone | null {
  for (const z of zones) for (const p of z.paths) if (m.covers(p, path)) return z;
  return null;
}

export interface DecideInput {
  path: string;
  me: string | null;
  claims: readonly Bead[];
  zones?: readonly Zone[];
  pending?: readonly PendingEdit[];
}

export function decide({ path, me, claims, zones = [], pending = [] }: DecideInput): Decision {
  // One glob budget for the whole decision: zones first (few, committed), then the claims.
  const m = budgeted();
  const zone = zoneOf(path, zones, m);
  const hits = claimHits(path, claims, m);
  const facts: EditFacts = {
    path,
    me,
    mine: hits.filter((h) => me !== null && h.bead.assignee === me),
    others: hits.filter((h) => h.bead.assignee !== "" && h.bead.assignee !== me),
    unassigned: hits.filter((h) => h.bead.assignee === ""),
    zone,
    pending: [...pending],
  };
  // Another session's claim wins over everything: even my own overlapping claim does not
  // make it safe to write what they are changing.
  if (facts.others.length > 0) return { verdict: "deny", rule: "claimed-by-other", facts };
  // Uncommitted work of another live session is lost by any write, claimed or not.
  if (facts.pending.length > 0) return { verdict: "deny", rule: "edited-by-other", facts };
  if (facts.zone?.kind === "shared" && facts.mine.length === 0) return { verdict: "deny", rule: "shared-zone", facts };
  if (facts.unassigned.length > 0) return { verdict: "warn", rule: "unassigned-claim", facts };
  if (facts.zone?.kind === "stable") return { verdict: "ask", rule: "stable-zone", facts };
  return { verdict: "allow", rule: facts.mine.length > 0 ? "mine" : "unclaimed", facts };
}

export interface Overlap {
  other: Bead;
  mine: string;
  theirs: string;
}

/** In-progress beads of someone else whose files share a path with `bead`'s. */
export function overlapsWithOthers(bead: Bead, beads: readonly Bead[], me: string): Overlap[] {
  const out: Overlap[] = [];
  for (const other of beads) {
    if (other.id === bead.id || other.status !== "in_progress" || !other.assignee || other.assignee === me) continue;
    let hit: Overlap | null = null;
    for (const mine of bead.files) {
      const theirs = other.files.find((t) => patternsOverlap(mine, t));
      if (theirs) {
        hit = { other, mine, theirs };
        break;
      }
    }
    if (hit) out.push(hit);
  }
  return out;
}

/**
 * Of the beads `bd ready --claim` may take (bd's order), those whose Files overlap another's
 * claim, and the first that overlaps none (the one to claim with coord claim instead).
 */
export function readyOverlaps(ready: readonly Bead[], claims: readonly Bead[], me: string): { overlapping: { bead: Bead; overlaps: Overlap[] }[]; free: Bead | null } {
  const overlapping: { bead: Bead; overlaps: Overlap[] }[] = [];
  let free: Bead | null = null;
  // The index rules out most of 2,000 ready beads at once; the pairwise check names the claims.
  const maybe = overlapIndex(claims.filter((c) => c.status === "in_progress" && c.assignee && c.assignee !== me).flatMap((c) => c.files));
  for (const bead of ready) {
    const overlaps = bead.files.some(maybe) ? overlapsWithOthers(bead, claims, me) : [];
    if (overlaps.length) overlapping.push({ bead, overlaps });
    else free ??= bead;
  }
  return { overlapping, free };
}

export interface SweepQuery {
  /** The `git status` entries a command would sweep, discard or commit. */
  scope: readonly StatusEntry[];
  /** What the journal says is others' work among them (pendingEdits with the claims). */
  recorded: readonly PendingEdit[];
  /** Files among them whose last recorded writer is this session: its own to sweep. */
  mine: ReadonlySet<string>;
  claims: readonly Bead[];
  me: Me;
}

/**
 * Others' uncommitted work a sweeping git command would take: the journal's records, plus every
 * changed file that another identity's in-progress claim covers, whether or not a session of
 * theirs is live or the journal saw the edit (made outside coord, or before its records were
 * compacted). A file this session wrote last stays its own.
 */
export function sweptWork(q: SweepQuery): PendingEdit[] {
  const out = [...q.recorded];
  const seen = new Set(q.recorded.map((p) => p.file));
  for (const e of q.scope) {
    for (const file of e.from ? [e.path, e.from] : [e.path]) {
      if (seen.has(file) || q.mine.has(file)) continue;
      const hit = claimHits(file, q.claims).find((h) => h.bead.status === "in_progress" && h.bead.assignee !== "" && h.bead.assignee !== q.me.identity);
      if (!hit) continue;
      seen.add(file);
      out.push({ file, sessionId: "", identity: hit.bead.assignee, at: null, unchangedSince: null, heldBy: { id: hit.bead.id, title: hit.bead.title } });
    }
  }
  return out;
}
