// Hostile input against a normal check (a report, no assertions): each case is one hook call of
// the compiled binary, interleaved with a normal warm Write check in the same repository, medians
// and maxima of BENCH_HOSTILE_RUNS (default 5). Target: each hostile case <= 1.5x a normal check.
// A run is cut off at 20 s (shown as >20000): the host would have cancelled the hook long before.
//   bun scripts/bench-hostile.ts
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { COORD, beadsRepo, fmt, percentiles } from "./benchlib";

const RUNS = Number(process.env.BENCH_HOSTILE_RUNS ?? 5);
const CUT_MS = 20_000;
const bd = Bun.which("bd") ?? "bd";

// 200 beads; the last two are the hostile ones: an in-progress bead whose Files: backtracks and a
// ready bead whose Files: is a run of 42 a's.
const w = beadsRepo(bd, 200, 20, (i) => (i === 0 ? "Files: *a*a*a*a*a*a*a*a*a*a*a*ab" : i === 199 ? `Files: ${"a".repeat(42)}` : `Files: src/mod${i}/`));
const e = { ...w.e, COORD_BD: bd, COORD_HOOK_DEADLINE_MS: "5000" };
const ev = (tool: string, input: Record<string, unknown>) => JSON.stringify({ session_id: "bench000-0000", hook_event_name: "PreToolUse", cwd: w.repo, tool_name: tool, tool_input: input });
const write = (file: string) => ev("Write", { file_path: join(w.repo, file), content: "x" });

function hook(stdin: string, cwd = w.repo): { ms: number; decision: string } {
  const t0 = Bun.nanoseconds();
  const r = Bun.spawnSync([COORD, "hook"], { cwd, env: e, stdin: new TextEncoder().encode(stdin), stdout: "pipe", stderr: "pipe", timeout: CUT_MS });
  const ms = (Bun.nanoseconds() - t0) / 1e6;
  const out = r.stdout.toString();
  return { ms: r.exitCode === null ? Number.POSITIVE_INFINITY : ms, decision: /"permissionDecision":"(\w+)"/.exec(out)?.[1] ?? "allow" };
}

const longToml = `${Array.from({ length: 3000 }, (_, i) => `# line ${i}\n[[zones]]\nname = "z${i}"\nkind = "stable"\npaths = ["gen/z${i}/**"]`).join("\n")}\n[settings\nrefresh_budget_ms = 2000\n`;
const cases: [string, () => string, (() => void)?, (() => void)?][] = [
  ["Write of a42 (backtracking claim)", () => write("a".repeat(42))],
  ["Bash rm -f /**/zz1 src/api/x.ts", () => ev("Bash", { command: "rm -f /**/zz1 src/api/x.ts" })],
  ["Bash, 4 MB command", () => ev("Bash", { command: `echo ${"x".repeat(4 * 1024 * 1024)} > src/mod3/a.ts` })],
  // Not hostile: the cost of reading and decoding 4 MB from the host, which the case above pays too.
  ["(volume) Write of 4 MB to a free file", () => ev("Write", { file_path: join(w.repo, "free/big.ts"), content: "x".repeat(4 * 1024 * 1024) })],
  ["Write, coord.toml error at line 15,001", () => write("src/mod3/x.ts"), () => writeFileSync(join(w.repo, "coord.toml"), longToml), () => rmSync(join(w.repo, "coord.toml"), { force: true })],
];

// Warm the snapshot first (the hostile claim is in it), then measure.
hook(write("src/free.ts"));
const normal: number[] = [];
const hostile = new Map<string, { ms: number[]; decision: string }>();
for (let i = 0; i < RUNS; i++) {
  for (const [label, input, before, after] of cases) {
    normal.push(hook(write(i % 2 ? "src/mod3/x.ts" : "free/y.ts")).ms);
    before?.();
    const r = hook(input());
    after?.();
    const h = hostile.get(label) ?? { ms: [], decision: r.decision };
    h.ms.push(r.ms);
    hostile.set(label, h);
  }
}
rmSync(w.dir, { recursive: true, force: true });

const n = percentiles(normal);
const show = (x: number) => (Number.isFinite(x) ? fmt(x) : `>${CUT_MS}`);
console.log(`coord bench-hostile: ${COORD}; ${RUNS} runs each; ms`);
console.log(`${"case".padEnd(40)} ${"median".padStart(7)} ${"max".padStart(7)} ${"x normal".padStart(9)}  decision`);
console.log(`${"normal warm Write check".padEnd(40)} ${fmt(n.p50)}  ${fmt(n.max)}  ${"1.00x".padStart(8)}`);
for (const [label, h] of hostile) {
  const p = percentiles(h.ms);
  console.log(`${label.padEnd(40)} ${show(p.p50)}  ${show(p.max)}  ${Number.isFinite(p.p50) ? `${(p.p50 / n.p50).toFixed(2)}x`.padStart(8) : "     cut"}  ${h.decision}`);
}
console.log("target: every hostile case <= 1.5x the normal check; a 4 MB case is bounded below by the (volume) row");
