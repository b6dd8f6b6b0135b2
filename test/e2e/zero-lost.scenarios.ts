// "Zero lost changes": scripted interleavings of two or three real Claude Code sessions in one
// checkout. Session A (and C) change files and stay at work (a Bash call waiting on a gate file)
// while session B does something that, without coord, destroys or sweeps up their uncommitted
// work. Played with and without coord's hooks; what counts as lost is measured by content hashes.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ME_A, type Repo, sh, tempDir, tempRepo } from "../support/world";
import { type RunResult, type Turn, allowTools, bash, edit, read, registerCoord, runClaude, sessionIdFor, toolResult, write } from "./support";

export const sha = (s: string | Buffer) => createHash("sha256").update(s).digest("hex");

interface Change {
  file: string;
  content: string;
}

export interface Scenario {
  name: string;
  /** Files committed before the sessions start. */
  base: Record<string, string>;
  /** A bead claimed by A, naming these files. */
  claimByA?: string;
  a: Change[];
  c?: Change[];
  /** B's turns; `p` makes an absolute path. */
  b: (p: (f: string) => string) => Turn[];
  /** A's (and C's) work was swept into someone else's commit rather than destroyed. */
  sweep?: boolean;
}

const BASE = { "src/app.ts": "export const app = 'v1';\n", "src/lib.ts": "export const lib = 'v1';\n", "README.md": "# demo\n" };
const A_APP = { file: "src/app.ts", content: "export const app = 'A: v2';\n" };
const A_NEW = { file: "src/feature.ts", content: "export const feature = 'A: new';\n" };

export const SCENARIOS: Scenario[] = [
  { name: "B overwrites A's uncommitted file (Write)", base: BASE, a: [A_APP], b: (p) => [[read(p("src/app.ts"), "b1")], [write(p("src/app.ts"), "export const app = 'B';\n", "b2")]] },
  { name: "B edits A's uncommitted file (Edit)", base: BASE, a: [A_APP], b: (p) => [[read(p("src/app.ts"), "b1")], [edit(p("src/app.ts"), "A: v2", "B", "b2")]] },
  { name: "B runs sed -i on A's claimed file", base: BASE, claimByA: "src/app.ts", a: [A_APP], b: () => [[bash("sed -i 's/A: v2/B/' src/app.ts", "b1")]] },
  { name: "B runs git stash while A has changes", base: BASE, a: [A_APP], b: () => [[bash("git stash", "b1")]] },
  {
    name: "B runs git add -A && git commit, sweeping A's edits",
    base: BASE,
    a: [A_APP, A_NEW],
    sweep: true,
    b: (p) => [[read(p("src/lib.ts"), "b0")], [write(p("src/lib.ts"), "export const lib = 'B';\n", "b1")], [bash("git add -A && git commit -qm 'B: lib'", "b2")]],
  },
  { name: "B runs git checkout -- .", base: BASE, a: [A_APP], b: () => [[bash("git checkout -- .", "b1")]] },
  { name: "B runs git reset --hard", base: BASE, a: [A_APP], b: () => [[bash("git reset --hard -q", "b1")]] },
  { name: "B runs git clean -fd on A's new file", base: BASE, a: [A_NEW], b: () => [[bash("git clean -fdq", "b1")]] },
  { name: "B redirects into A's file (cd src && echo > app.ts)", base: BASE, a: [A_APP], b: () => [[bash("cd src && echo 'B' > app.ts", "b1")]] },
  { name: "B removes A's new file (bash -c 'rm -f ...')", base: BASE, a: [A_NEW], b: () => [[bash("bash -c 'rm -f src/feature.ts'", "b1")]] },
  {
    name: "B runs git stash -u while A and C both have changes",
    base: BASE,
    a: [A_APP],
    c: [{ file: "src/lib.ts", content: "export const lib = 'C: v2';\n" }],
    b: () => [[bash("git stash -u", "b1")]],
  },
];

export interface Outcome {
  /** A's and C's changes no longer in their working files, or swept into B's commit. */
  lost: number;
  changes: number;
  /** Tool calls of B that coord refused (by id). */
  refused: string[];
  runs: { a: RunResult; b: RunResult; c?: RunResult };
  repo: Repo;
}

const git = (repo: Repo, ...args: string[]) => sh(["git", ...args], repo.dir, repo.env);

/** A session that makes its changes, then keeps working (waits for the gate) so it stays live. */
function worker(repo: Repo, changes: Change[], gate: string): Turn[] {
  const turns: Turn[] = [];
  for (const ch of changes) {
    if (existsSync(repo.path(ch.file))) turns.push([read(repo.path(ch.file))]);
    turns.push([write(repo.path(ch.file), ch.content)]);
  }
  turns.push([bash(`while [ ! -e '${gate}' ]; do sleep 0.2; done`)]);
  return turns;
}

async function until(cond: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return true;
    await Bun.sleep(100);
  }
  return cond();
}

export async function play(s: Scenario, withCoord: boolean): Promise<Outcome> {
  const repo = tempRepo();
  for (const [f, c] of Object.entries(s.base)) repo.write(f, c);
  repo.git("add", "-A");
  repo.git("commit", "-qm", "base");
  if (s.claimByA) {
    const id = repo.bead("A's work", `Files: ${s.claimByA}`);
    repo.claim(id, ME_A);
  }
  if (withCoord) registerCoord(repo.dir);
  allowTools(repo.dir, ["Bash"]);
  const gate = join(tempDir("coord-gate-"), "release");
  const holds = (chs: Change[]) => () => chs.every((ch) => existsSync(repo.path(ch.file)) && readFileSync(repo.path(ch.file), "utf8") === ch.content);

  const aRun = runClaude({ cwd: repo.dir, sessionId: sessionIdFor("aaaaaaaa"), script: worker(repo, s.a, gate), timeoutMs: 120_000 });
  const cRun = s.c ? runClaude({ cwd: repo.dir, sessionId: sessionIdFor("cccccccc"), script: worker(repo, s.c, gate), timeoutMs: 120_000 }) : null;
  let b: RunResult | null = null;
  try {
    if (!(await until(holds([...s.a, ...(s.c ?? [])]), 60_000))) throw new Error(`${s.name}: A/C never made their changes`);
    b = await runClaude({ cwd: repo.dir, sessionId: sessionIdFor("bbbbbbbb"), script: s.b((f) => repo.path(f)), timeoutMs: 60_000 });
  } finally {
    writeFileSync(gate, "");
  }
  const a = await aRun;
  const c = cRun ? await cRun : undefined;

  const all = [...s.a, ...(s.c ?? [])];
  let lost = 0;
  for (const ch of all) {
    const now = existsSync(repo.path(ch.file)) ? sha(readFileSync(repo.path(ch.file))) : null;
    const head = git(repo, "show", `HEAD:${ch.file}`);
    const swept = head.code === 0 && sha(head.stdout) === sha(ch.content);
    if (now !== sha(ch.content) || swept) lost++;
  }
  const ids = s.b(() => "").flat().flatMap((st) => ("tool" in st && st.id ? [st.id] : []));
  const refused = ids.filter((id) => toolResult(b.requests, id)?.text.startsWith("coord: refused"));
  return { lost, changes: all.length, refused, runs: { a, b, ...(c ? { c } : {}) }, repo };
}

export type Row = [scenario: string, without: string, withCoord: string];

/** The scenario table: scenario | changes lost without coord | with coord. */
export function renderTable(rows: readonly Row[]): string {
  const head: Row = ["scenario", "changes lost without coord", "with coord"];
  const w = [0, 1, 2].map((i) => Math.max(head[i as 0].length, ...rows.map((r) => r[i as 0].length)));
  const line = (r: Row) => `| ${r.map((c, i) => c.padEnd(w[i] as number)).join(" | ")} |`;
  return [line(head), `|${w.map((n) => "-".repeat(n + 2)).join("|")}|`, ...rows.map(line)].join("\n");
}

export const lostCell = (s: Scenario, o: Outcome) => `${o.lost} of ${o.changes}${s.sweep && o.lost ? " (swept into B's commit)" : ""}`;
