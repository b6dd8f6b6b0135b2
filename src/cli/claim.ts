// `coord claim <id>`: bd's claim, after checking that the bead's files are nobody else's already.
import { defineCommand } from "citty";
import { consola } from "consola";
import { explainBdError } from "../core/bderrors";
import { claimProblems, parseBdShow } from "../core/claims";
import { overlapsWithOthers } from "../core/policy";
import { overlapCard } from "../core/render";
import { claimsWithRemote, contestLines, remoteLine } from "../core/sync";
import { pattern } from "../core/text";
import { bd, bdBinary, databaseKey, describeFailure } from "../edges/bd";
import { bdVersionOf, lastUsedVersion } from "../edges/bdinfo";
import { doltRemote, readSyncRecord, type SyncMode, type SyncReport, syncOnce } from "../edges/dolt-sync";
import { claimsOf, fail, type RepoContext, refuse, repoContext, shellIdentity } from "./context";

/** A claim waits this long for the network, each way. */
const CLAIM_SYNC_BUDGET_MS = 10_000;

async function syncFor(ctx: RepoContext, mode: SyncMode): Promise<SyncReport | null> {
  if (!ctx.loc || !doltRemote(ctx.loc).configured) return null;
  return syncOnce({ root: ctx.repo.root, loc: ctx.loc, state: ctx.state, env: ctx.env, now: Date.now, sleep: (ms) => Bun.sleep(ms), budgetMs: CLAIM_SYNC_BUDGET_MS }, mode);
}

export default defineCommand({
  meta: { name: "claim", description: "Claim a bead for this shell's identity after checking its Files: overlap no one else's" },
  args: {
    id: { type: "positional", description: "the bead to claim", required: true },
    force: { type: "boolean", description: "claim even when its files overlap another in-progress bead" },
  },
  async run({ args }) {
    const id = String(args.id);
    const ctx = repoContext();
    const me = shellIdentity(ctx.env);
    if (!me) {
      refuse({
          what: `cannot claim ${id}: this shell has no identity`,
          why: ["coord claims in the name of BEADS_ACTOR (or BD_ACTOR, COORD_IDENTITY); none is set and this is not a Claude Code session"],
          whose: "nobody yet",
          next: [`name yourself and claim: BEADS_ACTOR=<your name> coord claim ${id}`, "inside a Claude Code session started after coord init, the identity is set for you"],
      });
    }
    if (!ctx.loc) fail("no beads database in this repository: run bd init");

    // Other machines' claims first: a claim checked against a stale view is a split brain waiting.
    const pulled = await syncFor(ctx, "pull");
    const pull = pulled?.pulls.at(-1);
    if (pulled && pull?.kind !== "ok") consola.warn(`${remoteLine(pulled.remote, pulled.record, Date.now()) ?? "remote: not pulled"}`);
    // The overlap check decides on bd's answer, never on an old snapshot: on a busy machine the
    // hook's 2 s budget is not enough, and claiming on stale claims would let two owners in. With
    // a dolt server there is no change signal, so bd is asked whatever the snapshot says: its TTL
    // would hide a claim made elsewhere seconds ago.
    const view = await claimsOf(ctx, { force: databaseKey(ctx.loc) === null, patientMs: 30_000 });
    if (view.freshness === "stale" || view.freshness === "none")
      fail(`cannot check ${id}'s files against the current claims (${(view.note ?? "bd gave no answer").replace(/^coord: /, "")}); nothing claimed, try again`);
    const beads = claimsWithRemote(view.snapshot?.beads ?? [], readSyncRecord(ctx.state), Date.now());
    let bead = beads.find((b) => b.id === id) ?? null;
    if (!bead) {
      const shown = await bd(["show", id, "--json"], ctx.repo.root, ctx.env);
      if (shown.code !== 0) fail(`no bead ${id}: ${describeFailure(shown, "bd show")}`);
      bead = parseBdShow(shown.stdout);
      if (!bead) fail(`bd show ${id} --json printed something coord cannot read`);
    }

    if (bead.files.length === 0) {
      consola.warn(
        `${id} "${bead.title}" has no Files: line, so the guard cannot keep others off its files.\n` +
          `  fix: bd update ${id} --metadata '{"files":["<path>","<dir>/"]}'   (or add "Files: <paths>" to its description)`,
      );
    }
    for (const p of claimProblems(bead)) consola.warn(`${id}'s Files: ${pattern(p.pattern)} ${p.problem}`);
    const overlaps = overlapsWithOthers(bead, beads, me);
    if (overlaps.length && !args.force) refuse(overlapCard(bead, overlaps, me));
    if (overlaps.length) consola.warn(`claiming despite overlap with ${overlaps.map((o) => `${o.other.id} (${o.other.assignee})`).join(", ")} (--force)`);

    const r = await bd(["update", id, "--claim", "--actor", me], ctx.repo.root, ctx.env);
    if (r.code !== 0) {
      const reason = r.stderr.trim().split("\n").filter(Boolean).pop() ?? describeFailure(r, "bd update --claim");
      const known = explainBdError(r.stderr, {
        runner: await bdVersionOf(bdBinary(ctx.env), ctx.env, ctx.state, ctx.repo.root),
        lastUsed: ctx.loc ? lastUsedVersion(ctx.loc) : null,
      });
      refuse({
          what: `bd refused to claim ${id} for ${me}`,
          why: known ? [known.why] : [reason],
          whose: bead.assignee ? `${bead.assignee}${bead.assignee === me ? " (you)" : ""}` : "nobody",
          next: known ? known.next : [`see the bead: bd show ${id}`, "take other work: bd ready"],
      });
    }
    const after = await claimsOf(ctx, { force: true, patientMs: 30_000 });
    if (after.note) consola.warn(after.note.replace(/^coord: /, ""));
    consola.success(`${id} "${bead.title}" is yours (${me})${bead.files.length ? `: ${bead.files.join(" ")}` : ""}`);
    const pushed = await syncFor(ctx, "push");
    if (pushed) {
      const push = pushed.pushes.at(-1);
      if (push?.kind === "ok") consola.info(`pushed to ${pushed.record.remote}: other machines see this claim at their next pull`);
      else consola.warn(`not pushed (${push?.kind ?? pushed.skipped}${push?.detail ? `: ${push.detail}` : ""}): other machines do not see this claim yet; run coord sync`);
      // A rejected push pulled again: the claim may have met another machine's.
      const lost = pushed.found.filter((c) => c.id === id || c.otherId === id);
      if (lost.length) {
        process.stderr.write(`${contestLines(lost).join("\n")}\n`);
        process.exit(2);
      }
    }
  },
});
