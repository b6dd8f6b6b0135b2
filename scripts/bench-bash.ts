// Performance figures for the Bash guard and the edit journal (a report, no assertions):
//   - the Bash guard on a 20-command pipeline vs the Write check (target: within 1.3x)
//   - the Write check after 10,000 recorded edits vs with an empty journal (target: at most 1.2x)
//   - hostile shell input: a 4 MB command, one at the 256 KB limit, 20,000 nested subshells, 5,000
//     nested $( ): through the hook, and the analyzer alone in this process (no target: a figure)
// Each figure is the median of BENCH_RUNS runs of the compiled binary, the cases interleaved so
// machine noise falls on all of them alike.
//   bun scripts/bench-bash.ts        (COORD_BIN picks the binary; default dist/coord)
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { analyze } from "../src/core/shell/walk";
import { recordEdit } from "../src/edges/journal";
import { touchSession } from "../src/edges/sessions";

const ROOT = resolve(import.meta.dir, "..");
const COORD = resolve(process.env.COORD_BIN ?? join(ROOT, "dist/coord"));
const RUNS = Number(process.env.BENCH_RUNS ?? 40);
const ME = "aaaaaaaa-1111-4111-8111-111111111111";
const OTHER = "bbbbbbbb-2222-4222-8222-222222222222";

function env(home: string): Record<string, string> {
  const e: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^(BEADS_|BD_|CLAUDE|COORD_|GIT_)/.test(k)) e[k] = v;
  return { ...e, HOME: home, GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1", BEADS_DOLT_AUTO_START: "0" };
}

function run(argv: string[], cwd: string, e: Record<string, string>, stdin?: string): number {
  const t0 = Bun.nanoseconds();
  const r = Bun.spawnSync(argv, { cwd, env: e, stdin: stdin ? new TextEncoder().encode(stdin) : "ignore", stdout: "pipe", stderr: "pipe" });
  const ms = (Bun.nanoseconds() - t0) / 1e6;
  if (r.exitCode !== 0) throw new Error(`${argv.join(" ")}: ${r.stderr.toString()}`);
  return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

function repo(dir: string, e: Record<string, string>): string {
  const r = join(dir, "repo");
  mkdirSync(join(r, "src"), { recursive: true });
  run(["git", "init", "-q", "-b", "main"], r, e);
  run(["bd", "init", "--prefix", "b", "--quiet", "--skip-hooks", "--skip-agents", "--non-interactive"], r, e);
  writeFileSync(join(r, "src", "a.ts"), "a\n");
  run(["git", "add", "-A"], r, e);
  run(["git", "-c", "user.name=b", "-c", "user.email=b@x.invalid", "commit", "-qm", "base"], r, e);
  return r;
}

const dir = mkdtempSync(join(tmpdir(), "coord-bench-bash-"));
try {
  const e = env(dir);
  const empty = repo(join(dir, "empty"), e);
  const full = repo(join(dir, "full"), e);
  // 10,000 recorded edits by another live session (and a live session record), in the full repo only.
  const state = join(full, ".git", "coord");
  const now = Date.now();
  touchSession(state, { identity: "claude-bbbbbbbb", sessionId: OTHER, cwd: full, root: full }, now);
  for (let i = 0; i < 10_000; i++) recordEdit(state, { root: full, file: `src/gen/f${i % 2500}.ts`, sessionId: OTHER, identity: "claude-bbbbbbbb", at: now, sha256: null });
  touchSession(join(empty, ".git", "coord"), { identity: "claude-bbbbbbbb", sessionId: OTHER, cwd: empty, root: empty }, now);

  const ev = (root: string, tool: string, input: Record<string, unknown>) => JSON.stringify({ session_id: ME, hook_event_name: "PreToolUse", cwd: root, tool_name: tool, tool_input: input });
  const pipeline = ["cat src/a.ts", ...Array.from({ length: 18 }, (_, i) => `grep -v x${i}`), "tee src/out.txt"].join(" | ");
  const cases: Record<string, [string, string]> = {
    "Write check (empty journal)": [empty, ev(empty, "Write", { file_path: join(empty, "src/a.ts"), content: "x" })],
    "Bash guard, 20-command pipeline": [empty, ev(empty, "Bash", { command: pipeline })],
    "Write check (10,000 recorded edits)": [full, ev(full, "Write", { file_path: join(full, "src/a.ts"), content: "x" })],
  };
  const hostile: Record<string, string> = {
    "4 MB command": `echo ${"x".repeat(4_000_000)} > src/out.txt`,
    "256 KB command (at the limit)": `echo ${"x ".repeat(127_990)} > src/out.txt`,
    "20,000 nested subshells": `${"( ".repeat(20_000)}rm src/a.ts${" )".repeat(20_000)}`,
    "5,000 nested $( )": `echo ${"$(".repeat(5000)}rm src/a.ts${")".repeat(5000)}`,
    "brace expansion {1..100000}": "touch src/f{1..100000}",
  };
  for (const [k, command] of Object.entries(hostile)) cases[`Bash guard, ${k}`] = [empty, ev(empty, "Bash", { command })];
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  for (const [, [cwd, input]] of Object.entries(cases)) run([COORD, "hook"], cwd, e, input); // warm the claims snapshots
  for (let i = 0; i < RUNS; i++) for (const [k, [cwd, input]] of Object.entries(cases)) times[k]?.push(run([COORD, "hook"], cwd, e, input));
  const m = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
  const base = m["Write check (empty journal)"] as number;
  console.log(`coord ${COORD}, ${RUNS} runs each, median wall time of one hook process`);
  for (const [k, v] of Object.entries(m)) console.log(`  ${k.padEnd(38)} ${(v as number).toFixed(2).padStart(7)} ms   ${((v as number) / base).toFixed(2)}x`);
  console.log(`  pipeline: ${pipeline.length} characters, 20 commands, 1 write target`);
  console.log("analyzer alone (in this process), median of 5, and what it says:");
  for (const [k, command] of Object.entries({ "20-command pipeline": pipeline, ...hostile })) {
    const ts: number[] = [];
    let note = "";
    for (let i = 0; i < 5; i++) {
      const t0 = Bun.nanoseconds();
      const a = analyze(command);
      ts.push((Bun.nanoseconds() - t0) / 1e6);
      note = a.unknown[0] ?? `${a.targets.length} target(s)`;
    }
    console.log(`  ${k.padEnd(38)} ${median(ts).toFixed(2).padStart(7)} ms   ${note.slice(0, 90)}`);
  }
  console.log("  targets: Bash guard within 1.3x of the Write check; 10,000 recorded edits within 1.2x of an empty journal");
} finally {
  rmSync(dir, { recursive: true, force: true });
}
