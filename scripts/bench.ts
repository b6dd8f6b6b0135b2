// Performance figures for the edit guard, side by side in one run (no assertions: a report).
//   warm hook (median, p95) | coord --version | ratio | cold refresh | naive `bd list` per edit
// for a repository with 10 beads and one with 2,000 beads of which 200 are in progress.
import { rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { setup, spawn, stats } from "./benchlib";

const ROOT = resolve(import.meta.dir, "..");
const COORD = resolve(process.env.COORD_BIN ?? join(ROOT, "dist/coord"));
const RUNS = Number(process.env.BENCH_RUNS ?? 40);

function measure(label: string, total: number, inProgress: number) {
  const { dir, repo, e } = setup(total, inProgress);
  const event = (file: string) =>
    JSON.stringify({ session_id: "bench000-0000", hook_event_name: "PreToolUse", cwd: repo, tool_name: "Write", tool_input: { file_path: join(repo, file), content: "x" } });
  const snap = join(repo, ".git/coord/claims.json");
  // Cold: no snapshot, so every call pays one bd list.
  const cold: number[] = [];
  for (let i = 0; i < Math.min(10, RUNS); i++) {
    rmSync(snap, { force: true });
    cold.push(spawn([COORD, "hook"], repo, e, event("src/mod3/x.ts")));
  }
  const warm: number[] = [];
  const version: number[] = [];
  const naive: number[] = [];
  const status: number[] = [];
  // Interleaved so that machine noise hits all three alike.
  for (let i = 0; i < RUNS; i++) {
    warm.push(spawn([COORD, "hook"], repo, e, event(i % 2 ? "src/mod3/x.ts" : "free/y.ts")));
    version.push(spawn([COORD, "--version"], repo, e));
    status.push(spawn([COORD, "status"], repo, e));
    if (i < Math.min(RUNS, 15)) naive.push(spawn(["bd", "list", "--json", "--limit", "0", "--status", "in_progress"], repo, e));
  }
  rmSync(dir, { recursive: true, force: true });
  const w = stats(warm);
  const v = stats(version);
  const c = stats(cold);
  const n = stats(naive);
  const st = stats(status);
  return { label, w, v, c, n, st };
}

const fmt = (x: number) => x.toFixed(1).padStart(7);
console.log(`coord bench: ${COORD} (${RUNS} runs each; ms)`);
const rows = [measure("10 beads", 10, 3), measure("2000 beads / 200 in progress", 2000, 200)];
console.log(`${"repository".padEnd(30)} ${"warm med".padStart(9)} ${"warm p95".padStart(9)} ${"--version".padStart(9)} ${"warm/ver".padStart(9)} ${"cold".padStart(9)} ${"naive bd".padStart(9)} ${"naive/warm".padStart(10)} ${"status".padStart(8)} ${"status/warm".padStart(11)}`);
for (const r of rows) {
  console.log(
    `${r.label.padEnd(30)} ${fmt(r.w.median)}   ${fmt(r.w.p95)}   ${fmt(r.v.median)}   ${(r.w.median / r.v.median).toFixed(2).padStart(7)}x ${fmt(r.c.median)}   ${fmt(r.n.median)}   ${(r.n.median / r.w.median).toFixed(1).padStart(8)}x ${fmt(r.st.median)}  ${(r.st.median / r.w.median).toFixed(2).padStart(9)}x`,
  );
}
const [small, large] = rows as [(typeof rows)[0], (typeof rows)[0]];
console.log(`warm 2000 beads / warm 10 beads: ${(large.w.median / small.w.median).toFixed(2)}x`);
console.log("targets: warm < 50 ms and within 1.3x of --version; naive/warm >= 10x; 2000/10 warm <= 1.5x; status/warm <= 1.5x");
