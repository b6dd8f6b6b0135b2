// Helpers the scripts/bench*.ts reports share: an isolated environment, a timed process,
// percentiles, a repository with a real beads database of `total` beads, `inProgress` of them
// claimed, and CPU-bound neighbours. Not a report itself (scripts/bench runs bench.ts and bench-*.ts).
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const ROOT = resolve(import.meta.dir, "..");
export const COORD = resolve(process.env.COORD_BIN ?? join(ROOT, "dist/coord"));

export function env(home: string, extra: Record<string, string> = {}): Record<string, string> {
  const e: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^(BEADS_|BD_|CLAUDE|COORD_|GIT_)/.test(k)) e[k] = v;
  return { ...e, HOME: home, GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1", BEADS_DOLT_AUTO_START: "0", ...extra };
}

/** Runs a process to its end and returns how long it took (ms) and what it printed. */
export function timed(argv: string[], cwd: string, e: Record<string, string>, stdin?: string): { ms: number; stdout: string; stderr: string } {
  const t0 = Bun.nanoseconds();
  const r = Bun.spawnSync(argv, { cwd, env: e, stdin: stdin ? new TextEncoder().encode(stdin) : "ignore", stdout: "pipe", stderr: "pipe" });
  const ms = (Bun.nanoseconds() - t0) / 1e6;
  if (r.exitCode !== 0) throw new Error(`${argv.join(" ")}: ${r.stderr.toString()}`);
  return { ms, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

export const spawn = (argv: string[], cwd: string, e: Record<string, string>, stdin?: string): number => timed(argv, cwd, e, stdin).ms;

export function percentiles(xs: readonly number[]): { p50: number; p95: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] ?? Number.NaN;
  return { p50: at(0.5), p95: at(0.95), max: s[s.length - 1] ?? Number.NaN };
}

export function stats(xs: number[]) {
  const p = percentiles(xs);
  return { median: p.p50, p95: p.p95 };
}

/** A git repository with `total` beads, the first `inProgress` of them claimed, through `bd import`. */
export function beadsRepo(bd: string, total: number, inProgress: number, describe = (i: number) => `Work item ${i}.\n\nFiles: src/mod${i}/, docs/mod${i}.md`) {
  const dir = mkdtempSync(join(tmpdir(), "coord-bench-"));
  const repo = join(dir, "repo");
  mkdirSync(repo);
  const e = env(dir);
  spawn(["git", "init", "-q", "-b", "main"], repo, e);
  spawn([bd, "init", "--prefix", "b", "--quiet", "--skip-hooks", "--skip-agents", "--non-interactive"], repo, e);
  const lines: string[] = [];
  for (let i = 0; i < total; i++) {
    const claimed = i < inProgress;
    lines.push(
      JSON.stringify({
        title: `Task ${i}`,
        description: describe(i),
        issue_type: "task",
        priority: i % 5,
        status: claimed ? "in_progress" : "open",
        assignee: claimed ? `agent-${i % 7}` : "",
      }),
    );
  }
  const file = join(dir, "issues.jsonl");
  writeFileSync(file, `${lines.join("\n")}\n`);
  spawn([bd, "import", file], repo, e);
  return { dir, repo, e };
}

export const setup = (total: number, inProgress: number) => beadsRepo("bd", total, inProgress);

/** Busy loops beside the measurement (the "busy machine"); stop() ends them. */
export function cpuBurners(n = 2): { stop: () => void } {
  const procs = Array.from({ length: n }, () => Bun.spawn(["sh", "-c", "while :; do :; done"], { stdout: "ignore", stderr: "ignore" }));
  return { stop: () => procs.forEach((p) => p.kill("SIGKILL")) };
}

export const fmt = (x: number) => x.toFixed(0).padStart(6);
