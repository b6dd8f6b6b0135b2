// `coord sync`: bd's pull, then its push, within a time budget; split brains reported with the
// commands that settle them. `--settle <id> --keep ours|theirs` runs those commands.
import { defineCommand } from "citty";
import { renderCard } from "../core/render";
import { type Contest, type SettleStep, contestText, describeStep, remoteLine, settlePush, settleSteps } from "../core/sync";
import { bd, describeFailure } from "../edges/bd";
import { type SyncMode, type SyncReport, bdGenerationOf, doltRemote, dropContest, moveDatabaseAside, readSyncRecord, syncOnce } from "../edges/dolt-sync";
import { fail, repoContext } from "./context";

const DEFAULT_BUDGET_MS = 30_000;

function contestCard(c: Contest, cmds: { ours: string; theirs: string }): string {
  const same = c.kind === "same-bead";
  return renderCard({
    what: same ? `split brain: ${c.id} "${c.title}" is claimed on two machines` : `split brain: ${c.id} and ${c.otherId} claim overlapping files`,
    why: [
      same
        ? `here (this clone's database before the pull) ${c.id} was claimed by ${c.here}; the remote gives it to ${c.there}`
        : `${c.id} (${c.here}, here) names ${c.files.join(" ")}; ${c.otherId} (${c.there}, from the remote) names ${c.otherFiles.join(" ")}`,
      {
        conflict: "the pull hit a merge conflict, so bd merged nothing: this database is as it was before the pull",
        overwritten: `the pull replaced this clone's claim with the remote's (bd keeps the later write): ${c.here} lost it without a word`,
        kept: `bd kept this clone's claim, the later write, over the remote's: ${c.there} lost it without a word`,
        merged: "both claims are now in this database",
      }[c.how] ?? "both claims were seen by coord sync",
      "until it is settled, the guard refuses these files to both identities",
    ],
    whose: `${c.here} here, ${c.there} on another machine`,
    next: [`keep ours (${c.here}): ${cmds.ours}`, `keep the remote's (${c.there}): ${cmds.theirs}`],
  });
}

function print(r: SyncReport, quiet: boolean, now: number, settle: (c: Contest) => { ours: string; theirs: string }): void {
  const out: string[] = [];
  if (r.skipped) out.push(`coord sync: ${r.skipped}`);
  for (const st of r.steps) {
    if (st.kind === "ok") out.push(st.op === "pull" ? `coord sync: pulled from ${r.record.remote}${r.brought ? "" : " (nothing new)"}` : `coord sync: pushed to ${r.record.remote}`);
    else out.push(`coord sync: ${st.op} ${st.kind}${st.detail ? `: ${st.detail}` : ""}`);
  }
  if (!quiet) {
    const line = remoteLine(r.remote, r.record, now);
    if (line) out.push(`coord sync: ${line}`);
  }
  for (const c of r.contests) out.push(quiet ? `coord sync: ${contestText(c).join("; ")}` : contestCard(c, settle(c)));
  for (const b of r.unmerged) out.push(`coord sync: ${b.id} "${b.title}" is claimed by ${b.assignee} on the remote and not merged here`);
  process.stdout.write(out.length ? `${out.join("\n")}\n` : "");
}

async function runBd(args: string[], root: string, env: Record<string, string | undefined>): Promise<boolean> {
  process.stdout.write(`coord sync: bd ${args.join(" ")}\n`);
  const r = await bd(args, root, env, 60_000);
  if (r.code !== 0) process.stderr.write(`coord sync: ${describeFailure(r, `bd ${args.slice(0, 2).join(" ")}`)}\n`);
  return r.code === 0;
}

export default defineCommand({
  meta: { name: "sync", description: "Pull other machines' claims through bd's Dolt remote, then push this clone's; report split brains" },
  args: {
    "pull-only": { type: "boolean", description: "pull, do not push" },
    "push-only": { type: "boolean", description: "push (a rejected push pulls, re-checks the claims and pushes again)" },
    "budget-ms": { type: "string", description: `the whole sync's time budget (default ${DEFAULT_BUDGET_MS})` },
    settle: { type: "string", description: "settle the split brain on this bead (with --keep)" },
    keep: { type: "string", description: "ours | theirs: whose claim survives --settle" },
    quiet: { type: "boolean", description: "one line per step (the detached sync after a claim)" },
    json: { type: "boolean", description: "print the sync record and this run's steps as JSON" },
  },
  async run({ args }) {
    const ctx = repoContext();
    if (!ctx.loc) fail("no beads database in this repository: run bd init");
    const loc = ctx.loc;
    const budget = Number(args["budget-ms"]) > 0 ? Number(args["budget-ms"]) : DEFAULT_BUDGET_MS;
    const deps = { root: ctx.repo.root, loc, state: ctx.state, env: ctx.env, now: Date.now, sleep: (ms: number) => Bun.sleep(ms), budgetMs: budget };
    let gen: Awaited<ReturnType<typeof bdGenerationOf>> | null = null;
    const generation = async () => (gen ??= await bdGenerationOf(ctx.repo.root, ctx.env));

    if (args.settle) {
      const id = String(args.settle);
      const keep = args.keep === "ours" || args.keep === "theirs" ? args.keep : fail("--settle needs --keep ours or --keep theirs");
      const rec = readSyncRecord(ctx.state);
      const c = rec?.contests.find((x) => x.id === id || x.otherId === id);
      if (!rec || !c) fail(`no split brain on ${id} in ${ctx.state}/sync.json: run coord sync first`);
      if (!doltRemote(loc).configured) fail("no Dolt remote is configured");
      const gen = await generation();
      // A merge that failed is settled by choosing a side (bd rolled the failed merge back).
      const conflicted = rec.lastPull?.kind === "conflict";
      for (const step of conflicted ? settleSteps(gen, keep) : []) {
        if ("moveAside" in step) {
          const to = moveDatabaseAside(loc, ctx.state, Date.now());
          if (!to) fail(`could not move ${loc.dir}/embeddeddolt aside`);
          process.stdout.write(`coord sync: moved this clone's database to ${to} (its unpushed changes are kept there)\n`);
        } else if (!(await runBd(step.bd, ctx.repo.root, ctx.env))) process.exit(1);
      }
      const winner = keep === "ours" ? c.here : c.there;
      if (c.kind === "same-bead") {
        if (!(await runBd(["update", c.id, "--status", "in_progress", "--assignee", winner], ctx.repo.root, ctx.env))) process.exit(1);
      } else {
        // Overlapping files on two beads: the other bead is released.
        const loser = keep === "ours" ? c.otherId : c.id;
        if (loser && !(await runBd(["update", loser, "--status", "open", "--assignee", ""], ctx.repo.root, ctx.env))) process.exit(1);
      }
      const push = settlePush(gen, keep);
      if (conflicted && push.includes("--force") && !(await runBd(push, ctx.repo.root, ctx.env))) process.exit(1);
      dropContest(ctx.state, id);
      const r = await syncOnce(deps, "both");
      print({ ...r, contests: r.contests.filter((x) => x.id !== id) }, true, Date.now(), () => ({ ours: "", theirs: "" }));
      const pushed = r.pushes.at(-1)?.kind === "ok";
      process.stdout.write(`coord sync: ${id} settled for ${winner}${pushed ? "" : "; not pushed yet: run coord sync when the remote is reachable"}\n`);
      process.exit(pushed ? 0 : 1);
    }

    const mode: SyncMode = args["pull-only"] ? "pull" : args["push-only"] ? "push" : "both";
    const r = await syncOnce(deps, mode);
    if (args.json) {
      process.stdout.write(`${JSON.stringify({ remote: r.remote, skipped: r.skipped, pulls: r.pulls, pushes: r.pushes, brought: r.brought, found: r.found, record: r.record, ms: r.ms }, null, 2)}\n`);
    } else {
      const conflict = r.pulls.some((p) => p.kind === "conflict");
      const g = r.contests.length && conflict ? await generation() : null;
      const dbDir = `${loc.dir}/embeddeddolt`;
      const cmd = (c: Contest, keep: "ours" | "theirs") => {
        const steps: SettleStep[] = g ? settleSteps(g, keep) : [];
        const claim = c.kind === "same-bead" ? `bd update ${c.id} --status in_progress --assignee ${keep === "ours" ? c.here : c.there}` : `bd update ${keep === "ours" ? c.otherId : c.id} --status open --assignee ""`;
        const push = `bd ${(g ? settlePush(g, keep) : ["dolt", "push"]).join(" ")}`;
        const note = g === "1.0" && keep === "ours" ? "; the other machine must then keep the remote's" : "";
        return `coord sync --settle ${c.id} --keep ${keep}  (runs: ${[...steps.map((st) => describeStep(st, dbDir)), claim, push].join(" && ")}${note})`;
      };
      print(r, !!args.quiet, Date.now(), (c) => ({ ours: cmd(c, "ours"), theirs: cmd(c, "theirs") }));
    }
    // What counts is how the run ended: a rejected push that was pulled and pushed again worked.
    const last = (xs: { kind: string }[]) => xs.at(-1)?.kind ?? "ok";
    const failed = [last(r.pulls), last(r.pushes)].some((k) => k !== "ok" && k !== "no-remote");
    process.exit(r.contests.length ? 2 : failed || (r.skipped && r.remote.configured) ? 1 : 0);
  },
});
