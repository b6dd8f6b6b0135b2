// `coord wt`: worktrees for work that should not share a checkout. Thin: gather facts, plan, run, print.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { defineCommand } from "citty";
import { exportLines, worktreeEnv } from "../core/wtenv";
import { loadConfig } from "../edges/config";
import { findRepo } from "../edges/repo";
import { worktreeFacts } from "../edges/worktree-env";
import { type WtContext, executeNew, executeSteps, gatherDone, gatherNew, gatherRm, listBackups, pruneBackups, wtContext } from "../wt/exec";
import { gatherList } from "../wt/list";
import { DB_DIR_REL, findWorktree, planDone, planNew, planRm, shellQuote } from "../wt/plan";
import { renderList } from "../wt/view";
import { claimsOf, refuse, repoContext } from "./context";

const out = (lines: readonly string[]) => process.stdout.write(lines.length ? `${lines.join("\n")}\n` : "");

function die(message: string): never {
  process.stderr.write(`coord: ${message}\n`);
  process.exit(1);
}

async function context(): Promise<WtContext> {
  try {
    const ctx = await wtContext(process.cwd());
    if (!ctx) die(`${process.cwd()} is not inside a git repository`);
    return ctx;
  } catch (e) {
    die((e as Error).message);
  }
}

/** Runs a command body and turns git failures into one line instead of a stack trace. */
async function guarded(fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (e) {
    die((e as Error).message);
  }
}

const name = { type: "positional", required: true, description: "the worktree's name (its branch is work/<name>)" } as const;

const wtNew = defineCommand({
  meta: { name: "new", description: "Make ../<repo>-<name> on a new branch work/<name>, with its own test-database folder" },
  args: { name, from: { type: "string", description: "start from this branch or commit instead of the main branch" } },
  run: ({ args }) =>
    guarded(async () => {
      const ctx = await context();
      const facts = await gatherNew(ctx, args.name, args.from);
      if (facts.gitRejects)
        refuse({ what: `cannot make a worktree named "${args.name}"`, why: [facts.gitRejects], whose: "yours", next: ["pick a name of letters, digits, '-', '_' or '.'"] });
      const plan = planNew(facts);
      if (!plan.ok) refuse(plan.card);
      const r = await executeNew(ctx, plan.steps);
      out(r.lines);
      if (!r.ok) die(`wt new stopped: ${r.failure}`);
      out(["", "next:", ...plan.next.map((n) => `  ${n}`)]);
    }),
});

const wtList = defineCommand({
  meta: { name: "list", description: "Worktrees (coord's and any other), their state, sessions, claims, and predicted conflicts" },
  args: { json: { type: "boolean", description: "print JSON" } },
  run: ({ args }) =>
    guarded(async () => {
      const ctx = await context();
      let beads: import("../core/claims").Bead[] = [];
      const rc = repoContext();
      if (rc.loc) beads = (await claimsOf(rc)).snapshot?.beads ?? [];
      const now = Date.now();
      const view = await gatherList(ctx, beads, now);
      const backups = { count: (await listBackups(ctx)).length, kept: loadConfig(ctx.mainRoot).config.settings.backupsKept };
      if (args.json) process.stdout.write(`${JSON.stringify({ ...view, backups }, null, 2)}\n`);
      else
        out([
          ...renderList(view, now),
          "",
          `backup refs: ${backups.count} (refs/coord/backup*); coord wt done keeps the newest ${backups.kept} (settings.backups_kept in coord.toml)`,
        ]);
    }),
});

const wtDone = defineCommand({
  meta: { name: "done", description: "Merge work/<name> into the main branch, then remove the worktree, its branch and test databases" },
  args: { name },
  run: ({ args }) =>
    guarded(async () => {
      const ctx = await context();
      const plan = planDone(await gatherDone(ctx, args.name, Date.now()));
      if (!plan.ok) refuse(plan.card);
      const r = await executeSteps(ctx, plan.steps);
      out(r.lines);
      if (!r.ok) {
        const backup = plan.steps.find((s) => s.op === "backup");
        die(`wt done stopped: ${r.failure}${backup && r.lines.length ? `\n  the branch is kept in ${backup.ref}` : ""}`);
      }
      out([plan.kind === "up-to-date" ? "nothing to merge: the main branch already has this work" : `merged (${plan.kind})`]);
      // Every finished worktree leaves a backup ref; only the newest few are worth keeping.
      const written = plan.steps.flatMap((s) => (s.op === "backup" ? [s.ref, ...(s.moveOld ? [s.moveOld.to] : [])] : []));
      out(await pruneBackups(ctx, loadConfig(ctx.mainRoot).config.settings.backupsKept, written.slice(0, 1)));
    }),
});

const wtRm = defineCommand({
  meta: { name: "rm", description: "Remove a worktree and its branch without merging, only when nothing would be lost (--force keeps a backup ref)" },
  args: { name, force: { type: "boolean", description: "remove even with uncommitted or unmerged work; it is kept in refs/coord/backup/<name>" } },
  run: ({ args }) =>
    guarded(async () => {
      const ctx = await context();
      const plan = planRm(await gatherRm(ctx, args.name, !!args.force, Date.now()));
      if (!plan.ok) refuse(plan.card);
      const r = await executeSteps(ctx, plan.steps);
      out(r.lines);
      if (!r.ok) die(`wt rm stopped: ${r.failure}`);
      out(plan.next);
    }),
});

const wtEnv = defineCommand({
  meta: { name: "env", description: "Print the worktree's environment as `export` lines: COORD_DB_DIR and coord.toml's [worktree] variables (default: the checkout you are in)" },
  args: { name: { type: "positional", required: false, description: "the worktree's name" } },
  run: ({ args }) =>
    guarded(async () => {
      let root: string;
      if (args.name) {
        const ctx = await context();
        const wt = findWorktree(ctx.entries, args.name, ctx.mainRoot);
        if (!wt) die(`no worktree named ${args.name} (coord wt list shows them)`);
        root = wt.path;
      } else {
        const repo = findRepo(process.cwd());
        if (!repo) die(`${process.cwd()} is not inside a git repository`);
        root = repo.root;
      }
      const repo = findRepo(root);
      if (!repo) die(`${root} is not a git checkout`);
      const table = loadConfig(repo.mainRoot).config.worktreeEnv;
      const facts = worktreeFacts(repo);
      const main = repo.root === repo.mainRoot;
      const lines: string[] = [];
      if (!main) {
        const dir = join(root, DB_DIR_REL);
        if (!existsSync(dir)) process.stderr.write(`coord: ${dir} does not exist yet (coord wt new makes it; or mkdir -p it)\n`);
        lines.push(`export COORD_DB_DIR=${shellQuote(dir)}`);
      }
      if (Object.keys(table).length) {
        if (!facts.recorded) process.stderr.write(`coord: ${root} was not made by coord wt new: its number (${facts.index}) comes from git's worktree list and may change\n`);
        lines.push(...exportLines(worktreeEnv(table, facts)));
      }
      if (!lines.length) die("the main checkout has no variables of its own: coord.toml has no [worktree] table (see README, Worktrees); name a worktree");
      out(lines);
    }),
});

export default defineCommand({
  meta: { name: "wt", description: "Worktrees: new, list, done, rm, env" },
  subCommands: { new: wtNew, list: wtList, done: wtDone, rm: wtRm, env: wtEnv },
});
