// Helpers the scripts/bench*.ts reports share: an isolated environment, a timed process, medians,
// and a repository with a real beads database of `total` beads, `inProgress` of them claimed.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export function env(home: string): Record<string, string> {
  const e: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^(BEADS_|BD_|CLAUDE|COORD_)/.test(k)) e[k] = v;
  return { ...e, HOME: home, GIT_CONFIG_GLOBAL: "/dev/null", BEADS_DOLT_AUTO_START: "0" };
}

export function spawn(argv: string[], cwd: string, e: Record<string, string>, stdin?: string): number {
  const t0 = Bun.nanoseconds();
  const r = Bun.spawnSync(argv, { cwd, env: e, stdin: stdin ? new TextEncoder().encode(stdin) : "ignore", stdout: "pipe", stderr: "pipe" });
  const ms = (Bun.nanoseconds() - t0) / 1e6;
  if (r.exitCode !== 0) throw new Error(`${argv.join(" ")}: ${r.stderr.toString()}`);
  return ms;
}

export function stats(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? Number.NaN;
  return { median: at(0.5), p95: at(0.95) };
}

export function setup(total: number, inProgress: number) {
  const dir = mkdtempSync(join(tmpdir(), "coord-bench-"));
  const repo = join(dir, "repo");
  mkdirSync(repo);
  const e = env(dir);
  spawn(["git", "init", "-q", "-b", "main"], repo, e);
  spawn(["bd", "init", "--prefix", "b", "--quiet", "--skip-hooks", "--skip-agents", "--non-interactive"], repo, e);
  const lines: string[] = [];
  for (let i = 0; i < total; i++) {
    const claimed = i < inProgress;
    lines.push(
      JSON.stringify({
        title: `Task ${i}`,
        description: `Work item ${i}.\n\nFiles: src/mod${i}/, docs/mod${i}.md`,
        issue_type: "task",
        priority: i % 5,
        status: claimed ? "in_progress" : "open",
        assignee: claimed ? `agent-${i % 7}` : "",
      }),
    );
  }
  const file = join(dir, "issues.jsonl");
  writeFileSync(file, `${lines.join("\n")}\n`);
  spawn(["bd", "import", file], repo, e);
  return { dir, repo, e };
}
