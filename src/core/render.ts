// Every refusal and warning coord prints, as pure strings.
// Everything that comes from other people (titles, assignees, patterns, notes) goes through
// core/text: one line each, inert, capped, titles in quotes; a card lists at most CARD_ROWS beads.
import type { PendingEdit } from "./live";
import type { Bead } from "./claims";
import { patternProblem } from "./match";
import { type Outcome, allow, askOut, denyOut } from "./outcome";
import { leaseText } from "./lease";
import type { Decision, Overlap } from "./policy";
import { CAP, cleanText, firstOf, name, pattern, quoted } from "./text";
import { ago } from "./time";

/** The most beads (or files) one card lists; the rest are counted. */
export const CARD_ROWS = 5;

const bead = (b: Bead) => `${name(b.id)} ${quoted(b.title)}`;
const owners = (xs: readonly string[]) => [...new Set(xs)].map((o) => name(o));
const joinOwners = (xs: readonly string[], sep: string) => {
  const o = owners(xs);
  return o.length > CARD_ROWS ? `${o.slice(0, CARD_ROWS).join(sep)}${sep}${o.length - CARD_ROWS} more` : o.join(sep);
};
/** A card's whose line: the owners (the first CARD_ROWS, then a count) and who is asking. */
export const whoseLine = (who: readonly string[], me: string | null, none = "unknown") => `${joinOwners(who, ", ") || none}${me ? ` (you are ${name(me)})` : ""}`;
/** Why a pattern claims more (or less) than it seems to, as a clause for a card line. */
const flag = (p: string) => {
  const problem = patternProblem(p);
  return problem ? ` (flagged: it ${problem})` : "";
};

/** One fixed layout for every refusal: what, why, whose, the exact next command. */
export interface Card {
  what: string;
  why: string[];
  whose: string;
  next: string[];
}

export function renderCard(c: Card): string {
  // Every line of a card is one line, whatever was put into it.
  const pad = (label: string, lines: string[]) =>
    lines.map((l, i) => `  ${i === 0 ? label.padEnd(6) : "      "} ${cleanText(l, CAP.line)}`).join("\n");
  return [`coord: ${cleanText(c.what, CAP.line)}`, pad("why:", c.why), pad("whose:", [c.whose]), pad("next:", c.next)].join("\n");
}

export function decisionCard(d: Decision, tool: string, now: number): Card | null {
  const f = d.facts;
  const path = name(f.path, CAP.line);
  const me = f.me ? ` (you are ${name(f.me)})` : "";
  if (d.rule === "claimed-by-other") {
    const who = f.others.map((h) => h.bead.assignee);
    const first = f.others[0];
    return {
      what: `refused ${tool} of ${path}`,
      why: firstOf(
        f.others,
        CARD_ROWS,
        (h) =>
          h.bead.elsewhere
            ? `${cleanText(h.bead.elsewhere)}; its Files: ${pattern(h.pattern)} covers this file`
            : `${bead(h.bead)} is in progress and its Files: ${pattern(h.pattern)} covers this file (updated ${ago(h.bead.updatedAt, now)}${leaseText(h.bead, now) ? `, ${leaseText(h.bead, now)}` : ""})${h.loose ? " (by its leading folders: too many globs to match them all exactly in time)" : flag(h.pattern)}`,
        (n) => `and ${n} more in-progress bead(s) cover it: coord status`,
      ),
      whose: `${joinOwners(who, ", ")}${me}`,
      next: [
        `leave ${path} to ${joinOwners(who, " and ")}: ask them to finish or release ${first ? name(first.bead.id) : "the bead"}`,
        "take unclaimed work instead: bd ready",
        "or work apart in a worktree: coord wt new <name>",
      ],
    };
  }
  if (d.rule === "edited-by-other") return pendingCard(f.pending, `refused ${tool} of ${path}`, f.me, now);
  if (d.rule === "shared-zone") {
    const z = f.zone;
    return {
      what: `refused ${tool} of ${path}`,
      why: [`it is in the shared zone ${quoted(z?.name ?? "", CAP.name)}, which needs an in-progress bead of yours whose Files: names it`],
      whose: `everyone's${me}`,
      next: [
        `claim it: bd create "<what you change>" -t task --description "Files: ${path}" then coord claim <id>`,
        `or add it to a bead you hold: bd update <id> --description "... Files: ${path}"`,
      ],
    };
  }
  return null;
}

/** One-line notes for decisions that let the edit through with a warning. */
export function decisionNote(d: Decision): string | null {
  const f = d.facts;
  if (d.rule === "unassigned-claim") {
    const ids = firstOf(f.unassigned, CARD_ROWS, (h) => bead(h.bead), (n) => `${n} more`).join(", ");
    return `coord: warning: ${name(f.path, CAP.line)} is named by in-progress ${ids} with no assignee; claim it with bd update <id> --claim`;
  }
  if (d.rule === "stable-zone") {
    const note = f.zone?.note ? ` (note: ${quoted(f.zone.note, CAP.note)})` : "";
    return `coord: ${name(f.path, CAP.line)} is in the stable zone ${quoted(f.zone?.name ?? "", CAP.name)}${note}: it rarely changes, so make sure this edit is intended`;
  }
  return null;
}

/** A decision as an outcome: the card for a refusal, the note for a question or a warning. */
export function decisionOutcome(d: Decision, tool: string, now: number, next: { before?: string[]; after?: string[]; why?: string[] } = {}): Outcome {
  const card = d.verdict === "deny" ? decisionCard(d, tool, now) : null;
  // `why` adds what the decision rests on beyond the rule, such as how fresh the remote view is.
  if (card) return denyOut(renderCard({ ...card, why: [...card.why, ...(d.rule === "claimed-by-other" ? (next.why ?? []) : [])], next: [...(next.before ?? []), ...card.next, ...(next.after ?? [])] }));
  const note = decisionNote(d);
  if (!note) return allow();
  return d.verdict === "ask" ? askOut(note) : allow([note]);
}

/** Why one file of another's uncommitted work is theirs: a live session's edit, an ended one's kept by a claim, or a claim alone. */
function pendingWhy(p: PendingEdit, now: number): string {
  const again = p.unchangedSince === false ? " (the file changed again since)" : "";
  const file = name(p.file, CAP.line);
  const who = name(p.identity);
  const held = p.heldBy ? `${name(p.heldBy.id)} ${quoted(p.heldBy.title)}` : "";
  if (p.at === null) return `${file} has uncommitted changes and ${held}, in progress for ${who}, claims it`;
  const when = ago(new Date(p.at).toISOString(), now);
  const sid = name(p.sessionId.slice(0, 8));
  if (held) return `${file} was changed by ${who} (session ${sid}, now ended) ${when} and is not committed; ${held} is still in progress, so it is still theirs${again}`;
  return `${file} was changed by session ${who} (${sid}) ${when} and that change is not committed yet${again}`;
}

/** Refusal for writing over (or sweeping up) another identity's uncommitted work. */
export function pendingCard(pending: readonly PendingEdit[], what: string, me: string | null, now: number, extraNext: string[] = []): Card {
  const who = pending.map((p) => p.identity);
  const files = [...new Set(pending.map((p) => p.file))];
  const shown = files.slice(0, CARD_ROWS).map((f) => name(f, CAP.line)).join(" ") + (files.length > CARD_ROWS ? ` (+${files.length - CARD_ROWS} more)` : "");
  const held = [...new Set(pending.flatMap((p) => (p.heldBy ? [name(p.heldBy.id)] : [])))];
  return {
    what,
    why: firstOf(pending, CARD_ROWS, (p) => pendingWhy(p, now), (n) => `and ${n} more uncommitted change(s) of others`),
    whose: whoseLine(who, me),
    next: [
      ...extraNext,
      `ask ${joinOwners(who, " and ")} to commit it (git commit -m "<message>" -- ${shown}), then retry`,
      held.length
        ? `it stays theirs while ${held.join(" and ")} is in progress: the owner (or the person) commits it, or releases the claim (bd update ${held[0]} --status open)`
        : "this is allowed once that session commits or ends (a session silent for settings.session_idle_minutes counts as ended)",
      "meanwhile take other work: bd ready; or work apart in a worktree: coord wt new <name>",
    ],
  };
}

/** `coord claim` refused: the bead's files overlap another session's claim. */
export function overlapCard(claimed: Bead, overlaps: readonly Overlap[], me: string): Card {
  const who = overlaps.map((o) => o.other.assignee);
  const ids = firstOf(overlaps, CARD_ROWS, (o) => name(o.other.id), (n) => `and ${n} more`).join(" ");
  return {
    what: `refused to claim ${bead(claimed)}`,
    why: firstOf(
      overlaps,
      CARD_ROWS,
      (o) => `${bead(o.other)} is in progress and its Files: ${pattern(o.theirs)} overlaps ${pattern(o.mine)}${flag(o.theirs)}`,
      (n) => `and ${n} more in-progress bead(s) overlap it: coord status`,
    ),
    whose: whoseLine(who, me),
    next: [
      `wait for ${joinOwners(who, " and ")} to finish or release ${ids}`,
      "take other work: bd ready",
      `or narrow ${name(claimed.id)}'s files so they no longer overlap, then claim again`,
      `or claim anyway (both of you will then be refused the shared files): coord claim ${name(claimed.id)} --force`,
    ],
  };
}
