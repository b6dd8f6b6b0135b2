// How current the claims a check decides on are, and what a check does when they may be out of
// date. Pure: the snapshot loader (edges/snapshot.ts) states the facts, this file judges them.
import type { Decision } from "./policy";
import { type Card, renderCard } from "./render";

export type ClaimsState =
  /** The snapshot matches the database as it is now. */
  | { freshness: "fresh" }
  /** bd was asked during this check (by this process or a refresh it waited for). */
  | { freshness: "refreshed" }
  /**
   * An older snapshot. `dbChanged`: the database was written since it was taken (false when that
   * cannot be told, e.g. a remote server). `pending`: bd has not answered yet (a refresh is running
   * or ran out of time) and it has not failed for this state of the database; `reason`: why bd's
   * answer is missing.
   */
  | { freshness: "stale"; ageMs: number; dbChanged: boolean; pending: boolean; reason: string }
  /** No claims at all: no snapshot and no answer from bd. */
  | { freshness: "none"; pending: boolean; reason: string };

/** Does any claim of the snapshot name the path (the session's own, another's, or nobody's)? */
const covered = (d: Pick<Decision, "facts">) => d.facts.mine.length + d.facts.others.length + d.facts.unassigned.length > 0;

const seconds = (ms: number) => `${Math.max(0, Math.round(ms / 1000))}s`;

/** The one line about a check made on out-of-date claims or none (null when they are current). */
export function claimsNote(s: ClaimsState): string | null {
  if (s.freshness === "stale") {
    const changed = s.dbChanged ? "the beads database changed since; " : "";
    return `coord: ${s.reason}; ${changed}deciding on claims from ${seconds(s.ageMs)} ago`;
  }
  if (s.freshness === "none") return `coord: ${s.reason}; no earlier claims to fall back on`;
  return null;
}

/**
 * The policy for a check that could not get current claims in time.
 *
 * When the database changed since the snapshot and bd is still working on its answer, an edit of a
 * file the stale claims do not cover is refused with a retry card (a file they cover keeps their
 * decision: another's claim refuses it with its owner named, the session's own lets it through): a database change is exactly
 * when a new claim may have appeared (a claim made 85 s earlier was overwritten this way), the
 * refresh keeps running in the background, so the retry a few seconds later decides on current
 * claims, and a refused edit costs one retry while a wrong allow costs someone's work. The same
 * holds when there are no claims at all yet and bd is still answering.
 *
 * When bd failed outright (missing, broken database, its own time limit passed), the stale claims
 * decide with a note: refusing every edit until bd is repaired would stop all work for a fault
 * the session cannot fix (COORD_FAIL_CLOSED=1 is the opt-in for that). A refusal is therefore
 * bounded by one background refresh's time limit per change of the database.
 */
export function mustWaitForClaims(s: ClaimsState, d: Pick<Decision, "verdict" | "facts">): boolean {
  if (d.verdict === "deny" || covered(d)) return false;
  if (s.freshness === "stale") return s.dbChanged && s.pending;
  if (s.freshness === "none") return s.pending;
  return false;
}

export interface RetryFacts {
  state: ClaimsState;
  /** The tool and what it would write, as the card names them ("Write of src/a.ts", "Bash (rm) of x"). */
  action: string;
  me: string | null;
  /** What to retry ("the same edit" unless said) and any steps after the card's own. */
  retry?: string;
  after?: string[];
}

/** The refusal for an edit that must wait for current claims (see mustWaitForClaims). */
export function retryCard(f: RetryFacts): Card {
  const s = f.state;
  const why =
    s.freshness === "stale"
      ? [
          `the beads database changed after the claims coord holds were read (${seconds(s.ageMs)} ago), and ${s.reason}`,
          "a claim made in that time may cover this file; the claims are being read again in the background",
        ]
      : [`coord has no claims for this repository yet: ${s.freshness === "none" ? s.reason : "bd has not answered"}`, "the claims are being read in the background"];
  return {
    what: `refused ${f.action} until the current claims are known`,
    why,
    whose: `unknown until then${f.me ? ` (you are ${f.me})` : ""}`,
    next: [
      `retry ${f.retry ?? "the same edit"} in a few seconds: it is then checked against the current claims`,
      "see what coord holds now: coord snapshot",
      "if this repeats, bd is slow or stuck: coord doctor",
      ...(f.after ?? []),
    ],
  };
}

/**
 * The decision's outcome, unless out-of-date claims must not decide it (mustWaitForClaims): then the
 * retry card. The one place the file guard, the Bash guard and the commit gate apply the policy.
 */
export function gateOnFreshness(
  state: ClaimsState | null,
  d: Pick<Decision, "verdict" | "facts">,
  action: string,
  me: string | null,
  card: Pick<RetryFacts, "retry" | "after"> = {},
): string | null {
  return state && mustWaitForClaims(state, d) ? renderCard(retryCard({ state, action, me, ...card })) : null;
}
