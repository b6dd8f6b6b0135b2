// PreToolUse on Bash, the bd side: a session may change its own beads and take free work, not
// take, release, close or rewrite another session's in-progress claim, and not claim through
// `bd update --claim` or `bd ready --claim` files someone else holds (what `coord claim` checks),
// and not change a claim through a bead id known only when the command runs while others hold
// claims. An interactive session is asked (the person may be taking over a crashed session's bead
// on purpose); a headless one, which nobody can answer, is refused.
import { type BdEffect, type Change, bdEffect, readyListArgs } from "../core/bdcmd";
import { type Bead, parseBdList, parseBdShow } from "../core/claims";
import { analyze } from "../core/bash";
import { type Outcome, allow, askOut, denyOut, strongest } from "../core/outcome";
import { overlapsWithOthers, readyOverlaps } from "../core/policy";
import { CARD_ROWS, type Card, overlapCard, renderCard, whoseLine } from "../core/render";
import { CAP, cleanText, firstOf, name, pattern, quoted } from "../core/text";
import { bd, describeFailure } from "../edges/bd";
import type { Repo } from "../edges/repo";
import type { Ctx } from "./context";

const MENTIONS_BD = /(?:^|[^\w.-])bd(?:$|[^\w.-])/;
// The bead to claim is rarely in the snapshot (it holds claims and the best ready work that
// overlaps nothing), so bd show (or bd ready, for --claim's candidates) runs; within the hook's 5 s
// deadline after the claims' own budget.
const SHOW_TIMEOUT_MS = 2500;

const VERB: Record<Change, string> = {
  assignee: "change its assignee",
  status: "change its status",
  close: "close it",
  reopen: "reopen it",
  delete: "delete it",
  files: "rewrite its description or metadata (its Files:)",
  claim: "claim it",
  release: "release it",
  rename: "rename it",
};

/** bd accepts an id without its prefix (`4ad` for `fx-4ad`). */
const sameId = (full: string, given: string) => full === given || full.endsWith(`-${given}`);

export async function guardBd(ctx: Ctx, command: string): Promise<Outcome | null> {
  if (!MENTIONS_BD.test(command)) return null;
  const parsed = analyze(command);
  const effects = parsed.commands.map((c) => ({ c, e: bdEffect(c.argv, c.dyn) })).filter((x): x is { c: (typeof parsed.commands)[number]; e: BdEffect } => x.e !== null);
  const unread = parsed.unparsed ? [`coord: not checked against claims: a bd command here could not be read (${parsed.unparsed})`] : [];
  if (!effects.length) return unread.length ? allow(unread) : null;
  const repo = ctx.repoAt(ctx.cwd);
  if (!repo) return null;
  const me = ctx.me(repo).identity;
  const claims = await ctx.claims(repo);
  if (claims.beads === null) return allow([...claims.notes, "coord: bd command not checked against claims: they could not be read"]);
  const held = claims.beads;
  const theirs = (id: string) => held.find((b) => sameId(b.id, id) && b.assignee !== "" && b.assignee !== me) ?? null;
  const others = held.filter((b) => b.assignee !== "" && b.assignee !== me);
  const refuse = (card: Card) => (ctx.host.canAsk(ctx.w.env) ? askOut(renderCard(card)) : denyOut(renderCard(card)));
  const outcomes: Outcome[] = [allow([...claims.notes, ...unread])];
  for (const { c, e } of effects) {
    const text = c.argv.join(" ");
    if (e.unnamed && others.length) {
      outcomes.push(refuse(theftCard(text, others, [e.unnamed], me)));
      continue;
    }
    if (e.command === "ready") {
      if (others.length) outcomes.push(await guardReadyClaim(ctx, repo, c, held, me, refuse));
      continue;
    }
    for (const id of e.ids) {
      if (id === "") {
        // Nothing can be taken from sessions that hold nothing; otherwise the bead must be named.
        if (others.length) outcomes.push(refuse(unnamedCard(c, e, others, me)));
        continue;
      }
      const bead = theirs(id);
      // Setting the assignee a bead already has changes nothing.
      const changes = bead ? e.changes.filter((ch) => !(ch === "assignee" && e.assignee === bead.assignee)) : [];
      if (bead && changes.length) outcomes.push(refuse(theftCard(text, [bead], changes.map((ch) => VERB[ch]), me)));
    }
    if (e.created && me) {
      const files = e.created.files;
      if (files === null) outcomes.push(allow([`coord: not checked: the Files: of the bead ${name(text, 120)} creates in progress are not on the command line; check them with coord status`]));
      else {
        const fresh: Bead = { id: "(new bead)", title: e.created.title, status: "in_progress", assignee: me, updatedAt: "", priority: 2, files, blockedBy: [] };
        const overlaps = overlapsWithOthers(fresh, held, me);
        if (overlaps.length) {
          const card = overlapCard(fresh, overlaps, me);
          outcomes.push(refuse({ ...card, what: `refused ${name(text, 120)}: a bead created in progress with these Files: overlaps another session's claim`, next: [...card.next.slice(0, 3), "or create it open and claim it: bd create ... then coord claim <id> (--force claims despite the overlap)"] }));
        }
      }
      continue;
    }
    const claiming = e.changes.includes("claim") || (e.status === "in_progress" && e.assignee !== undefined);
    if (claiming && me) {
      for (const id of e.ids) {
        if (!id || theirs(id)) continue;
        const bead = await beadOf(ctx, repo, id);
        if (!bead) {
          const why = `coord could not read ${name(id)}'s Files: in time to check them against other claims`;
          if (ctx.w.env.COORD_FAIL_CLOSED === "1")
            outcomes.push(denyOut(renderCard({ what: `refused ${name(text, 120)}: ${why}`, why: ["COORD_FAIL_CLOSED=1 asks to refuse what cannot be checked"], whose: "unknown", next: [`retry, or claim with the check: coord claim ${name(id)}`] })));
          else outcomes.push(allow([`coord: not checked: ${why}; the claim runs unchecked (coord claim ${name(id)} checks it)`]));
          continue;
        }
        const overlaps = overlapsWithOthers(bead, held, me);
        if (overlaps.length) {
          const card = overlapCard(bead, overlaps, me);
          outcomes.push(refuse({ ...card, what: `refused ${name(text, 120)}: claiming ${name(bead.id)} ${quoted(bead.title)} overlaps another session's claim` }));
        }
      }
    }
  }
  return strongest(...outcomes);
}

/** The bead from the snapshot (claims and the best ready work), else from bd show. */
async function beadOf(ctx: Ctx, repo: Repo, id: string): Promise<Bead | null> {
  const known = (await ctx.claims(repo, true)).beads?.find((b) => sameId(b.id, id));
  if (known) return known;
  const r = await bd(["show", id, "--json"], repo.root, ctx.w.env, SHOW_TIMEOUT_MS);
  return r.code === 0 ? parseBdShow(r.stdout) : null;
}

type Simple = { argv: string[]; dyn: boolean[] };

/** The line as the card shows it: a word known only when it runs is marked, not shown blank. */
const shown = (c: Simple) => c.argv.map((a, i) => (c.dyn[i] ? "<expansion>" : a)).join(" ");

/**
 * `bd ready --claim` claims whichever matching ready bead bd ranks first when it runs, without
 * looking at Files:. It passes only when no bead it may take overlaps another session's claim:
 * checking just the first would lose to a session claiming that one in between (bd falls through
 * to the next, which --claim is built for) and to bd's own ordering. Otherwise the card names
 * `coord claim` on the first bead that collides with nobody.
 */
async function guardReadyClaim(ctx: Ctx, repo: Repo, c: Simple, held: readonly Bead[], me: string | null, refuse: (card: Card) => Outcome): Promise<Outcome> {
  const text = shown(c);
  const args = readyListArgs(c.argv, c.dyn);
  const listed = args ? await bd(args, repo.root, ctx.w.env, SHOW_TIMEOUT_MS) : null;
  let ready: Bead[] | null = null;
  try {
    if (listed?.code === 0) ready = parseBdList(listed.stdout);
  } catch {
    // bd printed something that is not its list: the candidates are unknown, as below.
  }
  if (!ready) {
    const why = !listed
      ? "its filters depend on a value known only when it runs, so coord cannot list the beads it may claim"
      : `coord could not list the beads it may claim (${cleanText(listed.code === 0 ? "bd ready printed something that is not its JSON" : describeFailure(listed, "bd ready"), CAP.note)})`;
    return refuse(readyCard(text, [why], null, ownersOf(held, me), me));
  }
  const { overlapping, free } = readyOverlaps(ready, held, me ?? "");
  if (!overlapping.length) return allow();
  const why = firstOf(
    overlapping,
    CARD_ROWS,
    ({ bead, overlaps }) => {
      const o = overlaps[0] as (typeof overlaps)[number];
      return `ready ${name(bead.id)} ${quoted(bead.title)} claims ${pattern(o.mine)}, which overlaps ${pattern(o.theirs)} of ${name(o.other.id)}, in progress for ${name(o.other.assignee)}`;
    },
    (n) => `and ${n} more ready beads overlap other sessions' claims`,
  );
  return refuse(readyCard(text, why, free, ownersOf(overlapping.flatMap((x) => x.overlaps.map((o) => o.other)), me), me));
}

const ownersOf = (beads: readonly Bead[], me: string | null) => beads.filter((b) => b.assignee && b.assignee !== me).map((b) => b.assignee);
const whose = (owners: readonly string[], me: string | null) => whoseLine(owners, me, "other sessions");

function readyCard(text: string, why: string[], free: Bead | null, owners: string[], me: string | null): Card {
  return {
    what: `refused ${name(text, 120)}: it claims whichever ready bead bd ranks first, without checking its Files: against other claims`,
    why: [...why, "coord claim <id> claims one named bead after checking its Files:"],
    whose: whose(owners, me),
    next: [
      ...(free ? [`claim ready work that overlaps nobody: coord claim ${name(free.id)} (${quoted(free.title)})`] : []),
      "see the ready work: bd ready, then claim one with the check: coord claim <id>",
    ],
  };
}

/** A bd command that changes a bead's claim, its bead named through an expansion, while others hold claims. */
function unnamedCard(c: Simple, e: BdEffect, others: readonly Bead[], me: string | null): Card {
  return {
    what: `refused ${name(shown(c), 120)}: it names the bead it changes through a value known only when it runs`,
    why: [
      `it would ${e.changes.map((ch) => VERB[ch]).join(", ")}, and coord cannot tell before it runs whether that bead is another session's claim`,
      ...firstOf(others, CARD_ROWS, (b) => `${name(b.id)} ${quoted(b.title)} is in progress, held by ${name(b.assignee)}`, (n) => `and ${n} more claims of other sessions`),
    ],
    whose: whose(ownersOf(others, me), me),
    next: [
      `name the bead literally (bd ${e.command} <id> ...): the command is then checked against the claims`,
      `your own claims: bd list --status in_progress${me ? ` --assignee ${name(me)}` : ""}`,
    ],
  };
}

function theftCard(text: string, beads: readonly Bead[], what: string[], me: string | null): Card {
  const owners = [...new Set(beads.map((b) => b.assignee))].map((o) => name(o));
  const first = beads[0] as Bead;
  return {
    what: `refused ${name(text, 120)}: it changes another session's claim`,
    why: [
      ...firstOf(beads, CARD_ROWS, (b) => `${name(b.id)} ${quoted(b.title)} is in progress, held by ${name(b.assignee)}; this command would ${what.join(", ")}`, (n) => `and ${n} more claims of other sessions`),
      "a session changes only its own claims; another's stays theirs until its owner releases it",
    ],
    whose: whose(beads.map((b) => b.assignee), me),
    next: [
      `ask ${owners.join(" and ")} to finish or release ${name(first.id)}`,
      "take unclaimed work instead: bd ready, then coord claim <id>",
      `if that session is gone for good, a person releases it from their own terminal: bd update ${name(first.id)} --status open --assignee ""`,
    ],
  };
}
