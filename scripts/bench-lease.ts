// The warm hook of a fourth session while three other sessions renew their claims' leases (bd 1.3.0),
// next to the same hook with nobody renewing, and next to renewals done by a plain `bd heartbeat`
// (which moves the snapshot key, so the next hook pays a `bd list`). Interleaved in one process so
// that machine noise hits all three alike. Prints, asserts nothing.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dir, "..");
const COORD = resolve(process.env.COORD_BIN ?? join(ROOT, "dist/coord"));
const RUNS = Number(process.env.BENCH_RUNS ?? 20);

function env(home: string): Record<string, string> {
  const e: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^(BEADS_|BD_|CLAUDE|COORD_)/.test(k)) e[k] = v;
  // A generous budget: on a loaded machine a refresh over 2 s would fall back instead of landing,
  // and every later hook would pay again; the figure wanted is the cost of one refresh.
  return { ...e, HOME: home, GIT_CONFIG_GLOBAL: "/dev/null", BEADS_DOLT_AUTO_START: "0", DO_NOT_TRACK: "1", COORD_REFRESH_BUDGET_MS: "15000" };
}

function spawn(argv: string[], cwd: string, e: Record<string, string>, stdin?: string): { ms: number; out: string } {
  const t0 = Bun.nanoseconds();
  const r = Bun.spawnSync(argv, { cwd, env: e, stdin: stdin ? new TextEncoder().encode(stdin) : "ignore", stdout: "pipe", stderr: "pipe" });
  const ms = (Bun.nanoseconds() - t0) / 1e6;
  if (r.exitCode !== 0) throw new Error(`${argv.join(" ")}: ${r.stderr.toString()}`);
  return { ms, out: r.stdout.toString() };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))] ?? Number.NaN;

const version = Bun.spawnSync(["bd", "version"]).stdout.toString();
if (!/1\.3\./.test(version)) {
  console.log(`bench-lease: skipped: needs bd 1.3.0 on PATH (found ${version.trim() || "none"})`);
  process.exit(0);
}

const dir = mkdtempSync(join(tmpdir(), "coord-bench-lease-"));
const repo = join(dir, "repo");
mkdirSync(repo);
const e = env(dir);
spawn(["git", "init", "-q", "-b", "main"], repo, e);
spawn(["bd", "init", "--prefix", "b", "--quiet", "--skip-hooks", "--skip-agents", "--non-interactive"], repo, e);
const sessions = [1, 2, 3].map((n) => ({ sid: `${n}${n}${n}${n}${n}${n}${n}${n}-0000-4000-8000-00000000000${n}`, me: `claude-${String(n).repeat(8)}` }));
const ids: string[] = [];
for (const [i, s] of sessions.entries()) {
  const id = spawn(["bd", "create", `Task ${i}`, "-t", "task", "--description", `Files: src/mod${i}/`, "--silent", "--actor", "bench"], repo, e).out.trim();
  spawn(["bd", "update", id, "--claim", "--actor", s.me], repo, e);
  ids.push(id);
}
const event = JSON.stringify({ session_id: "44444444-0000-4000-8000-000000000004", hook_event_name: "PreToolUse", cwd: repo, tool_name: "Write", tool_input: { file_path: join(repo, "src/mod0/x.ts"), content: "x" } });
const hook = () => spawn([COORD, "hook"], repo, e, event).ms;
hook(); // the first refresh

const quiet: number[] = [];
const renewing: number[] = [];
const raw: number[] = [];
const heartbeatMs: number[] = [];
for (let i = 0; i < RUNS; i++) {
  quiet.push(hook());
  // One session's renewal as its hook starts it (coord heartbeat), finished; then the fourth session's hook.
  const s = sessions[i % 3] as (typeof sessions)[0];
  heartbeatMs.push(spawn([COORD, "heartbeat", "--session", s.sid, "--identity", s.me], repo, e).ms);
  renewing.push(hook());
  // The same renewal through bd alone: the journal moves, the snapshot key with it.
  spawn(["bd", "heartbeat", ids[i % 3] as string, "--actor", s.me], repo, e);
  raw.push(hook());
  hook(); // settled again before the next quiet round
}
rmSync(dir, { recursive: true, force: true });

const f = (x: number) => x.toFixed(1).padStart(7);
console.log(`coord bench-lease: ${COORD}, ${version.trim()} (${RUNS} rounds; ms; the fourth session's warm Write check)`);
console.log(`${"".padEnd(46)} ${"median".padStart(7)} ${"p95".padStart(7)}  vs quiet`);
console.log(`${"nobody renewing".padEnd(46)} ${f(median(quiet))} ${f(p95(quiet))}     1.00x`);
console.log(`${"3 sessions renewing through coord heartbeat".padEnd(46)} ${f(median(renewing))} ${f(p95(renewing))}  ${(median(renewing) / median(quiet)).toFixed(2).padStart(7)}x`);
console.log(`${"3 sessions renewing with a plain bd heartbeat".padEnd(46)} ${f(median(raw))} ${f(p95(raw))}  ${(median(raw) / median(quiet)).toFixed(2).padStart(7)}x`);
console.log(`one coord heartbeat (detached in real use; bd heartbeat + re-key): median ${median(heartbeatMs).toFixed(0)} ms`);
