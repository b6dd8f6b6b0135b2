// Every refusal and warning coord prints, as pure strings.
import type { PendingEdit } from "./live";
import type { Bead } from "./claims";
import { type Outcome, allow, askOut, denyOut } from "./outcome";
import type { Decision, Overlap } from "./policy";
import { ago } from "./time";

/** One fixed layout for every refusal: what, why, whose, the exact next command. */
export interface Card {
  what: string;
  why: string[];
  whose: string;
  next: string[];
}

export function renderCard(c: Card): string {
  const pad = (label: string, lines: string[]) =>
    lines.map((l, i) => `  ${i === 0 ? label.padEnd(6) : "      "} ${l}`).join("\n");
  return [`coord: ${c.what}`, pad("why:", c.why), pad("whose:", [c.whose]), pad("next:", c.next)].join("\n");
}

export function decisionCard(d: Decision, tool: string, now: number): Card | null {
  const f = d.facts;
  if (d.rule === "claimed-by-other") {
    const owners = [...new Set(f.others.map((h) => h.bead.assignee))];
    const first = f.others[0];
    return {
      what: `refused ${tool} of ${f.path}`,
      why: f.others.map((h) =>
        h.bead.elsewhere
          ? `${h.bead.elsewhere}; its Files: ${h.pattern} covers this file`
          : `${h.bead.id} "${h.bead.title}" is in progress and its Files: ${h.pattern} covers this file (updated ${ago(h.bead.updatedAt, now)})`,
      ),
      whose: `${owners.join(", ")}${f.me ? ` (you are ${f.me})` : ""}`,
      next: [
        `leave ${f.path} to ${owners.join(" and ")}: ask them to finish or release ${first?.bead.id ?? "the bead"}`,
        "take unclaimed work instead: bd ready",
        "or work apart in a worktree: coord wt new <name>",
      ],
    };
  }
  if (d.rule === "edited-by-other") return pendingCard(f.pending, `refused ${tool} of ${f.path}`, f.me, now);
  if (d.rule === "shared-zone") {
    const z = f.zone;
    return {
      what: `refused ${tool} of ${f.path}`,
      why: [`it is in the shared zone "${z?.name}", which needs an in-progress bead of yours whose Files: names it`],
      whose: `everyone's${f.me ? ` (you are ${f.me})` : ""}`,
      next: [
        `claim it: bd create "<what you change>" -t task --description "Files: ${f.path}" then coord claim <id>`,
        `or add it to a bead you hold: bd update <id> --description "... Files: ${f.path}"`,
      ],
    };
  }
  return null;
}

/** One-line notes for decisions that let the edit through with a warning. */
export function decisionNote(d: Decision): string | null {
  const f = d.facts;
  if (d.rule === "unassigned-claim") {
    const ids = f.unassigned.map((h) => `${h.bead.id} "${h.bead.title}"`).join(", ");
    return `coord: warning: ${f.path} is named by in-progress ${ids} with no assignee; claim it with bd update <id> --claim`;
  }
  if (d.rule === "stable-zone") {
    return `coord: ${f.path} is in the stable zone "${f.zone?.name}"${f.zone?.note ? ` (${f.zone.note})` : ""}: it rarely changes, so make sure this edit is intended`;
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

/** Refusal for writing over (or sweeping up) another live session's uncommitted edits. */
export function pendingCard(pending: readonly PendingEdit[], what: string, me: string | null, now: number, extraNext: string[] = []): Card {
  const owners = [...new Set(pending.map((p) => p.identity))];
  const files = [...new Set(pending.map((p) => p.file))];
  const shown = files.slice(0, 5).join(" ") + (files.length > 5 ? ` (+${files.length - 5} more)` : "");
  return {
    what,
    why: pending.slice(0, 5).map(
      (p) =>
        `${p.file} was changed by session ${p.identity} (${p.sessionId.slice(0, 8)}) ${ago(new Date(p.at).toISOString(), now)} and that change is not committed yet${p.unchangedSince === false ? " (the file changed again since)" : ""}`,
    ),
    whose: `${owners.join(", ")}${me ? ` (you are ${me})` : ""}`,
    next: [
      ...extraNext,
      `ask ${owners.join(" and ")} to commit it (git add ${shown} && git commit), then retry`,
      "this is allowed once that session commits or ends (a session silent for settings.session_idle_minutes counts as ended)",
      "meanwhile take other work: bd ready; or work apart in a worktree: coord wt new <name>",
    ],
  };
}

/** `coord claim` refused: the bead's files overlap another session's claim. */
export function overlapCard(bead: Bead, overlaps: readonly Overlap[], me: string): Card {
  const owners = [...new Set(overlaps.map((o) => o.other.assignee))];
  return {
    what: `refused to claim ${bead.id} "${bead.title}"`,
    why: overlaps.map((o) => `${o.other.id} "${o.other.title}" is in progress and its Files: ${o.theirs} overlaps ${o.mine}`),
    whose: `${owners.join(", ")} (you are ${me})`,
    next: [
      `wait for ${owners.join(" and ")} to finish or release ${overlaps.map((o) => o.other.id).join(" ")}`,
      "take other work: bd ready",
      `or narrow ${bead.id}'s files so they no longer overlap, then claim again`,
      `or claim anyway (both of you will then be refused the shared files): coord claim ${bead.id} --force`,
    ],
  };
}
