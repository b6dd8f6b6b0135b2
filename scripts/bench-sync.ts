// What a session start pays for pulling other machines' claims (no assertions: a report).
//   SessionStart with COORD_SYNC=off (baseline) | remote, nothing new | remote, one new claim each time | remote unreachable
// Two clones of one bare origin, each with its own HOME, as in test/integration/sync.test.ts.
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { COORD, env as baseEnv, percentiles, timed } from "./benchlib";

const RUNS = Number(process.env.BENCH_SYNC_RUNS ?? 5);

const env = (home: string, extra: Record<string, string> = {}) => baseEnv(home, { DO_NOT_TRACK: "1", ...extra });
const median = (xs: number[]) => percentiles(xs).p50;

const dir = mkdtempSync(join(tmpdir(), "coord-bench-sync-"));
try {
  const origin = join(dir, "origin.git");
  const [a, b, ha, hb] = ["a", "b", "home-a", "home-b"].map((x) => join(dir, x)) as [string, string, string, string];
  for (const h of [ha, hb]) mkdirSync(h);
  timed(["git", "init", "-q", "--bare", "-b", "main", origin], dir, env(dir));
  mkdirSync(a);
  timed(["git", "init", "-q", "-b", "main"], a, env(ha));
  timed(["git", "remote", "add", "origin", origin], a, env(ha));
  timed(["bd", "init", "--prefix", "s", "--quiet", "--skip-hooks", "--skip-agents", "--non-interactive"], a, env(ha));
  timed(["git", "-c", "user.name=A", "-c", "user.email=a@x", "commit", "-qm", "init", "--allow-empty"], a, env(ha));
  timed(["git", "push", "-q", "origin", "main"], a, env(ha));
  timed(["bd", "dolt", "push"], a, env(ha));
  timed(["git", "clone", "-q", origin, b], dir, env(hb));
  timed(["bd", "bootstrap", "--yes"], b, env(hb));

  let n = 0;
  const sessionStart = (extra: Record<string, string>) => {
    const event = JSON.stringify({ session_id: `bench-${n++}`, hook_event_name: "SessionStart", cwd: b, source: "startup" });
    const r = timed([COORD, "hook"], b, env(hb, { BEADS_ACTOR: "bob", ...extra }), event);
    // The pull may go on after the hook answered: let it finish, untimed, before the next run.
    const t0 = Date.now();
    while (existsSync(join(b, ".git", "coord", "sync.lock")) && Date.now() - t0 < 30_000) Bun.sleepSync(50);
    return r;
  };
  const claimOnA = () => {
    const id = timed(["bd", "create", `Task ${n}`, "-t", "task", "--description", `Files: src/m${n}/`, "--silent", "--actor", "alice"], a, env(ha)).stdout.trim();
    timed(["bd", "update", id, "--claim", "--actor", "alice"], a, env(ha));
    timed(["bd", "dolt", "push"], a, env(ha));
  };
  sessionStart({}); // the first pull brings the bootstrap's remote refs; not measured

  const rows: [string, number[]][] = [
    ["COORD_SYNC=off (no pull)", []],
    ["remote, nothing new", []],
    ["remote, one new claim", []],
  ];
  // Each case in a row of its own: a pull still running from the previous case would be measured too.
  let reached = 0;
  for (let i = 0; i < RUNS; i++) rows[0]?.[1].push(sessionStart({ COORD_SYNC: "off" }).ms);
  for (let i = 0; i < RUNS; i++) rows[1]?.[1].push(sessionStart({}).ms);
  for (let i = 0; i < RUNS; i++) {
    claimOnA();
    const r = sessionStart({});
    if (r.stdout.includes("alice")) reached++;
    rows[2]?.[1].push(r.ms);
  }
  renameSync(origin, `${origin}.gone`);
  const down: number[] = [];
  for (let i = 0; i < RUNS; i++) down.push(sessionStart({}).ms);
  rows.push(["remote unreachable (missing path)", down]);

  const base = median(rows[0]?.[1] ?? []);
  console.log(`SessionStart on clone B, median of ${RUNS} (the hook waits for its pull up to 2.5 s)`);
  for (const [name, xs] of rows) console.log(`  ${name.padEnd(36)} ${median(xs).toFixed(0).padStart(6)} ms  (+${(median(xs) - base).toFixed(0)} ms)`);
  console.log(`  the new claim was in the banner ${reached} of ${RUNS} times (else the pull finished after the hook's wait)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
