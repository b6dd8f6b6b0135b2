// Performance figures for coord wt (no assertions: a report), on a repository of 10,000 files:
//   `coord wt new` against plain `git worktree add` plus copying the same files (target: within 1.5x)
//   conflict prediction for 5 worktrees with committed and uncommitted work (target: under 300 ms warm)
//   the edit guard's "another worktree changed this file" check, warm (target: no git process, ~50 ms budget)
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { findRepo } from "../src/edges/repo";
import { othersChanging } from "../src/wt/overlap";
import { predictConflicts } from "../src/wt/predict";

const ROOT = resolve(import.meta.dir, "..");
const COORD = resolve(process.env.COORD_BIN ?? join(ROOT, "dist/coord"));
const FILES = Number(process.env.BENCH_WT_FILES ?? 10_000);
const RUNS = Number(process.env.BENCH_WT_RUNS ?? 5);

const dir = mkdtempSync(join(tmpdir(), "coord-bench-wt-"));
const repo = join(dir, "repo");
const env: Record<string, string> = {};
for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^(BEADS_|BD_|CLAUDE|COORD_|GIT_)/.test(k)) env[k] = v;
Object.assign(env, { HOME: dir, GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1" });
// In-process calls (predictConflicts, othersChanging) run git with this process's environment.
Object.assign(process.env, { GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1", HOME: dir });

function sh(argv: string[], cwd = repo): { ms: number; out: string } {
  const t0 = Bun.nanoseconds();
  const r = Bun.spawnSync(argv, { cwd, env, stdout: "pipe", stderr: "pipe" });
  const ms = (Bun.nanoseconds() - t0) / 1e6;
  if (r.exitCode !== 0) throw new Error(`${argv.join(" ")}: ${r.stderr.toString()}`);
  return { ms, out: r.stdout.toString() };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const f = (ms: number) => `${ms.toFixed(1)} ms`;

try {
  mkdirSync(repo);
  sh(["git", "init", "-q", "-b", "main"]);
  sh(["git", "config", "user.name", "bench"]);
  sh(["git", "config", "user.email", "bench@coord.invalid"]);
  for (let i = 0; i < FILES; i++) {
    const p = join(repo, `src/m${Math.floor(i / 100)}/f${i}.ts`);
    if (i % 100 === 0) mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, `export const v${i} = ${i};\n// line two\n// line three\n`);
  }
  writeFileSync(join(repo, ".gitignore"), ".env\n.env.*\n");
  writeFileSync(join(repo, ".worktreeinclude"), ".env\n.env.*\n");
  sh(["git", "add", "-A"]);
  sh(["git", "commit", "-qm", "10k files"]);
  const untracked = [".env", ".env.local", ".claude/settings.local.json"];
  mkdirSync(join(repo, ".claude"));
  for (const u of untracked) writeFileSync(join(repo, u), "SECRET=1\n");
  console.log(`repository: ${FILES} tracked files, ${untracked.length} untracked files to carry over (git ${sh(["git", "--version"]).out.trim().split(" ")[2]})`);

  // --- wt new against git worktree add + copy, alternating so both see the same cache state.
  const coordMs: number[] = [];
  const plainMs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    coordMs.push(sh([COORD, "wt", "new", `c${i}`]).ms);
    const t0 = Bun.nanoseconds();
    const target = join(dir, `plain-${i}`);
    sh(["git", "worktree", "add", "-q", "-b", `plain/${i}`, target, "main"]);
    for (const u of untracked) {
      mkdirSync(dirname(join(target, u)), { recursive: true });
      copyFileSync(join(repo, u), join(target, u));
    }
    mkdirSync(join(target, ".coord/db"), { recursive: true });
    plainMs.push((Bun.nanoseconds() - t0) / 1e6);
  }
  const cm = median(coordMs);
  const pm = median(plainMs);
  console.log(`wt new: coord ${f(cm)} | git worktree add + copy ${f(pm)} | ratio ${(cm / pm).toFixed(2)}x (target <= 1.5x; median of ${RUNS})`);
  for (let i = 0; i < RUNS; i++) {
    sh(["git", "worktree", "remove", "--force", join(dir, `plain-${i}`)]);
    sh(["git", "branch", "-D", `plain/${i}`]);
    if (i >= 5) sh([COORD, "wt", "rm", `c${i}`]);
  }

  // --- 5 worktrees with committed and uncommitted work, two of them on the same file.
  const names = Array.from({ length: Math.min(5, RUNS) }, (_, i) => `c${i}`);
  names.forEach((n, i) => {
    const wt = `${repo}-${n}`;
    for (let k = 0; k < 20; k++) writeFileSync(join(wt, `src/m${i}/f${i * 100 + k}.ts`), `export const changed = ${k};\n`);
    writeFileSync(join(wt, "src/m99/f9999.ts"), `export const shared = "${n}";\n`);
    sh(["git", "commit", "-qam", `work in ${n}`], wt);
    for (let k = 20; k < 25; k++) writeFileSync(join(wt, `src/m${i}/f${i * 100 + k}.ts`), `// uncommitted ${k}\n`);
    writeFileSync(join(wt, `new-${n}.ts`), "untracked\n");
  });
  writeFileSync(join(repo, "src/m50/f5000.ts"), "// main checkout, uncommitted\n");
  const r = findRepo(repo);
  if (!r) throw new Error("no repo");
  const t0 = Bun.nanoseconds();
  const cold = await predictConflicts(r);
  const coldMs = (Bun.nanoseconds() - t0) / 1e6;
  const warm: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = Bun.nanoseconds();
    await predictConflicts(r);
    warm.push((Bun.nanoseconds() - t) / 1e6);
  }
  const conflicting = cold.pairs.filter((p) => p.wouldConflict.length).length;
  console.log(
    `conflict prediction, ${cold.checkouts.length} checkouts (${cold.pairs.length} pairs, ${conflicting} would conflict): cold ${f(coldMs)} | warm ${f(median(warm))} (target < 300 ms)`,
  );
  const listMs = median(Array.from({ length: 3 }, () => sh([COORD, "wt", "list", "--json"]).ms));
  console.log(`coord wt list --json (process, prediction included, no beads database): ${f(listMs)}`);

  // --- the edit guard's overlap check.
  const h0 = Bun.nanoseconds();
  await othersChanging(r, "src/m99/f9999.ts", Date.now());
  const hookCold = (Bun.nanoseconds() - h0) / 1e6;
  const hookWarm: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t = Bun.nanoseconds();
    await othersChanging(r, "src/m99/f9999.ts", Date.now());
    hookWarm.push((Bun.nanoseconds() - t) / 1e6);
  }
  const event = JSON.stringify({ session_id: "bench-1", hook_event_name: "PreToolUse", cwd: repo, tool_name: "Edit", tool_input: { file_path: join(repo, "src/m99/f9999.ts") } });
  const hookProc = median(
    Array.from({ length: 10 }, () => {
      const t = Bun.nanoseconds();
      Bun.spawnSync([COORD, "hook"], { cwd: repo, env, stdin: new TextEncoder().encode(event), stdout: "pipe", stderr: "pipe" });
      return (Bun.nanoseconds() - t) / 1e6;
    }),
  );
  console.log(`overlap check for one edit, 5 other worktrees: cold ${f(hookCold)} | warm ${f(median(hookWarm))} in process | whole coord hook process ${f(hookProc)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
