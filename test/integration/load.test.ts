// Fresh claims on a busy machine and in a broken state folder: every check ends in a decision on
// bd's answer or the last snapshot, and a database change is never silently decided on old claims.
import { afterAll, describe, expect, test } from "bun:test";
import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BD_LEASES, COORD, ME_A, ME_B, SID_A, SID_B, cleanEnv, cleanupAll, interpret, sh, tempDir, tempRepo, type Repo } from "../support/world";

const immutable: string[] = [];
afterAll(() => {
  for (const p of immutable) Bun.spawnSync(["chattr", "-i", p]);
  cleanupAll();
});

const REAL_BD = Bun.which("bd", { PATH: process.env.PATH ?? "" }) as string;
const state = (repo: Repo) => join(repo.dir, ".git", "coord");
const lockFile = (repo: Repo) => join(state(repo), "refresh.lock");

/** A wrapper around the real bd: `body` runs with "$REAL" naming it; each call is logged. */
function bdWrapper(body: string) {
  const dir = tempDir("coord-bdwrap-");
  const log = join(dir, "calls.log");
  const path = join(dir, "bd");
  writeFileSync(path, `#!/bin/sh\nREAL='${REAL_BD}'\necho "$*" >> '${log}'\n${body}\n`);
  chmodSync(path, 0o755);
  const all = () => (existsSync(log) ? readFileSync(log, "utf8").trim().split("\n") : []);
  return { path, all, calls: () => all().filter((l) => l.startsWith("list")) };
}

/** bd as a busy machine runs it: the real bd, answering `seconds` late. */
const slowBd = (seconds: number) => bdWrapper(`sleep ${seconds}\nexec "$REAL" "$@"`);

async function refreshEnds(repo: Repo, ms = 30_000): Promise<void> {
  for (const t0 = Date.now(); existsSync(lockFile(repo)) && Date.now() - t0 < ms; ) await Bun.sleep(50);
  expect(existsSync(lockFile(repo))).toBe(false);
}

function timedWrite(repo: Repo, sid: string, file: string, env: Record<string, string | undefined> = {}) {
  const t0 = performance.now();
  const r = repo.write_(sid, file, {}, env);
  return { ...r, ms: performance.now() - t0 };
}

const dbChangedSince = (repo: Repo) => {
  // Another session claims a file after A's snapshot was taken.
  const id = repo.bead("Schema", "Files: db/schema.sql");
  repo.claim(id, ME_B);
  return id;
};

/** A world where A has a snapshot and B has just claimed db/schema.sql. */
function claimedBehindTheSnapshot() {
  const repo = tempRepo();
  repo.claim(repo.bead("Routes", "Files: src/api/"), ME_A);
  expect(repo.write_(SID_A, "src/api/a.ts").decision).toBe("allow");
  expect(existsSync(join(state(repo), "claims.json"))).toBe(true);
  const id = dbChangedSince(repo);
  return { repo, id };
}

/** A check of A's own claimed file whose refresh (bd `seconds` late) outlives its budget. */
function refreshOutlivesCheck(seconds: number) {
  const { repo, id } = claimedBehindTheSnapshot();
  const bd = slowBd(seconds);
  const first = repo.write_(SID_A, "src/api/b.ts", {}, { COORD_BD: bd.path, COORD_REFRESH_BUDGET_MS: "300" });
  // src/api/ is A's own claim in the old snapshot too: the stale claims still decide it.
  expect(first.decision).toBe("allow");
  expect(first.stderr + JSON.stringify(first.json ?? {})).toContain("has not answered");
  return { repo, id, bd };
}

describe("on a busy machine, where bd answers after the check's budget", () => {
  test("a file claimed after the snapshot is not allowed on the old claims: the check asks to retry", async () => {
    const { repo, id } = claimedBehindTheSnapshot();
    const bd = slowBd(2);
    const r = timedWrite(repo, SID_A, "db/schema.sql", { COORD_BD: bd.path, COORD_REFRESH_BUDGET_MS: "400" });
    expect(r.code).toBe(0);
    expect(r.decision).toBe("deny");
    expect(r.reason).toContain("until the current claims are known");
    expect(r.reason).toContain("the beads database changed");
    expect(r.reason).toContain("retry the same edit in a few seconds");
    expect(r.ms).toBeLessThan(4000);

    // The refresh the first check started finishes on its own; the retry decides on current claims.
    await refreshEnds(repo);
    const again = repo.write_(SID_A, "db/schema.sql", {}, { COORD_BD: bd.path, COORD_REFRESH_BUDGET_MS: "400" });
    expect(again.decision).toBe("deny");
    expect(again.reason).toContain(id);
    expect(again.reason).toContain(ME_B);
    expect(repo.write_(SID_A, "src/free.ts", {}, { COORD_BD: bd.path }).decision).toBe("allow");
    // One bd call between them: the second check did not start over, and the heartbeat of A's
    // claim that the first check set off did not put the answer out of date.
    expect(bd.calls()).toHaveLength(1);
  }, 120_000);

  test("a check that arrives while the refresh runs waits for it instead of starting another", async () => {
    const { repo, id, bd } = refreshOutlivesCheck(1);
    const second = repo.write_(SID_A, "db/schema.sql", {}, { COORD_BD: bd.path, COORD_REFRESH_BUDGET_MS: "5000" });
    expect(second.decision).toBe("deny");
    expect(second.reason).toContain(id);
    expect(bd.calls()).toHaveLength(1);
  }, 120_000);

  test("when bd fails outright, the last snapshot decides with a note (no lock-out)", () => {
    const { repo } = claimedBehindTheSnapshot();
    const broken = bdWrapper('echo "database is broken" >&2\nexit 1');
    const r = repo.write_(SID_A, "src/free.ts", {}, { COORD_BD: broken.path });
    expect(r.decision).toBe("allow");
    expect(r.stderr + JSON.stringify(r.json ?? {})).toContain("database is broken");
    // A claimed file in the last snapshot stays refused.
    expect(repo.write_(SID_B, "src/api/a.ts", {}, { COORD_BD: broken.path }).decision).toBe("deny");
  }, 120_000);
});

/**
 * The real bd, with A's lease heartbeat held back so that it writes the database at a chosen point
 * of a refresh of the claims: while bd reads them, or after the refresh has stored its answer (and
 * the test says go). A busy machine does either by chance: the check right after a claim sets off
 * the heartbeat of the session's claims, which then waits behind the claim's own bd calls.
 */
function heldBackHeartbeat(when: "while-reading" | "after-refresh") {
  const dir = tempDir("coord-gate-");
  const f = (n: string) => join(dir, n);
  const wait = (n: string) => `i=0; while [ ! -e '${f(n)}' ] && [ $i -lt 400 ]; do sleep 0.05; i=$((i+1)); done`;
  // The heartbeat runs in the repository (coord starts bd there): its refresh lock is at hand.
  const gate =
    when === "while-reading"
      ? wait("listing")
      : `${wait("listed")}; i=0; while [ -e .git/coord/refresh.lock ] && [ $i -lt 400 ]; do sleep 0.05; i=$((i+1)); done; ${wait("go")}`;
  const bd = bdWrapper(`case "$1" in
heartbeat) touch '${f("beat-waiting")}'; ${gate}; "$REAL" "$@"; rc=$?; touch '${f("beat-done")}'; exit $rc ;;
list) if [ -e '${f("armed")}' ] && [ ! -e '${f("listing")}' ]; then
  touch '${f("listing")}'; ${when === "while-reading" ? wait("beat-done") : ":"}
  "$REAL" "$@" > '${f("answer")}'; rc=$?
  if [ -e '${f("during.sh")}' ]; then REAL="$REAL" sh '${f("during.sh")}'; fi
  touch '${f("listed")}'; cat '${f("answer")}'; exit $rc
fi ;;
esac
exec "$REAL" "$@"`);
  const repo = tempRepo();
  repo.claim(repo.bead("Routes", "Files: src/api/"), ME_A);
  const env = { COORD_BD: bd.path };
  expect(repo.write_(SID_A, "src/api/a.ts", {}, env).decision).toBe("allow");
  const claimsKey = () => (JSON.parse(readFileSync(join(state(repo), "claims.json"), "utf8")) as { key: string }).key;
  return {
    repo,
    bd,
    env,
    claimsKey,
    /** The hook above started A's heartbeat child: it is at the gate before anything else happens. */
    async beatWaiting() {
      for (const t0 = Date.now(); !existsSync(f("beat-waiting")) && Date.now() - t0 < 30_000; ) await Bun.sleep(50);
      expect(existsSync(f("beat-waiting"))).toBe(true);
    },
    /** The next `bd list` is the one the heartbeat is timed against. */
    arm() {
      writeFileSync(f("armed"), "");
      return bd.calls().length;
    },
    /** A command run in that refresh after bd has read the claims, before the refresher looks at the database again. */
    whileReading(cmd: string) {
      writeFileSync(f("during.sh"), `${cmd}\n`);
    },
    /** after-refresh: the heartbeat may go now; resolves once it has written. */
    async go() {
      writeFileSync(f("go"), "");
      for (const t0 = Date.now(); !existsSync(f("beat-done")) && Date.now() - t0 < 30_000; ) await Bun.sleep(50);
    },
    /** Resolves when the claims file's key is no longer `key` (true) or `ms` passed (false). */
    async rekeyedFrom(key: string, ms: number) {
      for (const t0 = Date.now(); Date.now() - t0 < ms; await Bun.sleep(50)) if (claimsKey() !== key) return true;
      return false;
    },
    beatLanded: () => existsSync(f("beat-done")) && bd.all().some((l) => l.startsWith("heartbeat")),
  };
}

/** B claims db/schema.sql while A's heartbeat waits at its gate; A's next edit there sets off the timed refresh. */
async function claimThenCheck(w: ReturnType<typeof heldBackHeartbeat>) {
  await w.beatWaiting();
  const id = dbChangedSince(w.repo);
  const before = w.arm();
  const r = w.repo.write_(SID_A, "db/schema.sql", {}, w.env);
  expect(r.decision).toBe("deny");
  expect(r.reason).toContain(id);
  return { before, refreshed: w.claimsKey() };
}

describe.skipIf(!BD_LEASES)("a lease heartbeat that writes the database while the claims are being read", () => {
  test("does not cost the next check another bd list, and a later claim still counts", async () => {
    const w = heldBackHeartbeat("while-reading");
    const { before } = await claimThenCheck(w);
    expect(w.beatLanded()).toBe(true);
    // The refresh's answer is current although the heartbeat wrote after its key was read: this
    // check did not ask again, nor does the next one.
    expect(w.bd.calls().length - before).toBe(1);
    expect(w.repo.write_(SID_A, "src/free.ts", {}, w.env).decision).toBe("allow");
    expect(w.bd.calls().length - before).toBe(1);

    // A real claim after that refresh makes the snapshot stale as before.
    const later = w.repo.bead("Later", "Files: docs/later.md");
    w.repo.claim(later, ME_B);
    const again = w.repo.write_(SID_A, "docs/later.md", {}, w.env);
    expect(again.decision).toBe("deny");
    expect(again.reason).toContain(later);
    expect(w.bd.calls().length - before).toBe(2);
  }, 120_000);

  test("a claim that lands in the same window is not taken for the heartbeat: the check asks bd again", async () => {
    const w = heldBackHeartbeat("while-reading");
    await w.beatWaiting();
    // Unclaimed yet: the database changed, and the claim lands after bd read the claims.
    const other = w.repo.bead("Other", "Files: db/other.sql");
    w.whileReading(`"$REAL" update ${other} --claim --actor ${ME_B} >/dev/null 2>&1`);
    const before = w.arm();
    const r = w.repo.write_(SID_A, "db/other.sql", {}, w.env);
    expect(w.beatLanded()).toBe(true);
    expect(r.decision).toBe("deny");
    expect(r.reason).toContain(other);
    expect(r.reason).toContain(ME_B);
    expect(w.bd.calls().length - before).toBe(2);
  }, 120_000);

  test("a heartbeat that lands just after a refresh stored its answer carries the snapshot across", async () => {
    const w = heldBackHeartbeat("after-refresh");
    const { before, refreshed } = await claimThenCheck(w);
    await w.go();
    expect(w.beatLanded()).toBe(true);
    expect(await w.rekeyedFrom(refreshed, 15_000)).toBe(true);
    expect(w.repo.write_(SID_A, "src/free.ts", {}, w.env).decision).toBe("allow");
    expect(w.repo.write_(SID_B, "db/schema.sql", {}, w.env).decision).toBe("allow");
    expect(w.bd.calls().length - before).toBe(1);
  }, 120_000);

  test("a claim between that refresh and the heartbeat is not carried across: the next check asks bd", async () => {
    const w = heldBackHeartbeat("after-refresh");
    const { before, refreshed } = await claimThenCheck(w);
    const later = w.repo.bead("Later", "Files: docs/later.md");
    w.repo.claim(later, ME_B);
    await w.go();
    expect(w.beatLanded()).toBe(true);
    // The heartbeat child has a few seconds to (wrongly) move the snapshot onto the new key.
    expect(await w.rekeyedFrom(refreshed, 3000)).toBe(false);
    const r = w.repo.write_(SID_A, "docs/later.md", {}, w.env);
    expect(r.decision).toBe("deny");
    expect(r.reason).toContain(later);
    expect(w.bd.calls().length - before).toBe(2);
  }, 120_000);
});

describe("a session whose own command wrote the beads database", () => {
  test("brings the claims up to date right after it, before any edit asks", async () => {
    const { repo, id } = claimedBehindTheSnapshot();
    const claimsFile = join(state(repo), "claims.json");
    expect(readFileSync(claimsFile, "utf8")).not.toContain(id);
    // B's Bash command was `bd update <id> --claim` (run above); Claude Code reports it.
    const r = repo.hook({ session_id: SID_B, hook_event_name: "PostToolUse", cwd: repo.dir, tool_name: "Bash", tool_input: { command: `bd update ${id} --claim` }, tool_response: {} });
    expect(r.code).toBe(0);
    for (const t0 = Date.now(); !readFileSync(claimsFile, "utf8").includes(id) && Date.now() - t0 < 30_000; ) await Bun.sleep(50);
    expect(readFileSync(claimsFile, "utf8")).toContain(id);
  }, 120_000);
});

describe("a refresh lock left behind", () => {
  test("by a process that is gone is taken over, and the new claim is enforced", () => {
    const { repo, id } = claimedBehindTheSnapshot();
    const dead = Bun.spawnSync(["true"]).pid;
    writeFileSync(lockFile(repo), `${dead} - ${Date.now()} abandoned\n`);
    const r = timedWrite(repo, SID_A, "db/schema.sql");
    expect(r.decision).toBe("deny");
    expect(r.reason).toContain(id);
    expect(existsSync(lockFile(repo))).toBe(false);
  }, 120_000);

  test("by a pid now used by another process (a different start time) is taken over too", () => {
    const { repo, id } = claimedBehindTheSnapshot();
    // This test process is alive, but it did not start at tick 1.
    writeFileSync(lockFile(repo), `${process.pid} 1 ${Date.now()} reused\n`);
    const r = repo.write_(SID_A, "db/schema.sql");
    expect(r.decision).toBe("deny");
    expect(r.reason).toContain(id);
  }, 120_000);

  test("by a refresher killed mid-way is recovered by the next check", async () => {
    const { repo, id } = refreshOutlivesCheck(20);
    const holder = Number(readFileSync(lockFile(repo), "utf8").split(" ")[0]);
    expect(holder).toBeGreaterThan(0);
    expect(holder).not.toBe(process.pid);
    process.kill(-holder, "SIGKILL"); // the refresher and its bd (its own process group)
    await Bun.sleep(100);
    expect(existsSync(lockFile(repo))).toBe(true);
    const next = repo.write_(SID_A, "db/schema.sql");
    expect(next.decision).toBe("deny");
    expect(next.reason).toContain(id);
  }, 120_000);

  test("a killed check leaves no lock of its own", async () => {
    const { repo } = claimedBehindTheSnapshot();
    const bd = slowBd(1);
    const p = Bun.spawn([COORD, "hook"], {
      cwd: repo.dir,
      env: cleanEnv(repo.home, { ...repo.env, COORD_BD: bd.path }),
      stdin: new TextEncoder().encode(JSON.stringify({ session_id: SID_A, hook_event_name: "PreToolUse", cwd: repo.dir, tool_name: "Write", tool_input: { file_path: repo.path("db/schema.sql") } })),
      stdout: "ignore",
      stderr: "ignore",
    });
    await Bun.sleep(300);
    p.kill("SIGKILL");
    await p.exited;
    // The lock belongs to the background refresher, which finishes and removes it.
    await refreshEnds(repo);
  }, 120_000);

  test("that cannot be removed does not freeze the claims: the check asks bd itself and says so", () => {
    const { repo, id } = claimedBehindTheSnapshot();
    const dead = Bun.spawnSync(["true"]).pid;
    writeFileSync(lockFile(repo), `${dead} - ${Date.now()} abandoned\n`);
    expect(Bun.spawnSync(["chattr", "+i", lockFile(repo)]).exitCode).toBe(0);
    immutable.push(lockFile(repo));
    try {
      const r = repo.write_(SID_A, "db/schema.sql");
      expect(r.decision).toBe("deny");
      expect(r.reason).toContain(id);
      expect(r.stderr + JSON.stringify(r.json ?? {})).toContain("cannot be removed");
    } finally {
      Bun.spawnSync(["chattr", "-i", lockFile(repo)]);
    }
  }, 120_000);
});

describe("a state folder that cannot be used", () => {
  test("read-only: the check decides on bd's answer", () => {
    const { repo, id } = claimedBehindTheSnapshot();
    expect(Bun.spawnSync(["chattr", "+i", state(repo)]).exitCode).toBe(0);
    immutable.push(state(repo));
    try {
      const r = timedWrite(repo, SID_A, "db/schema.sql");
      expect(r.code).toBe(0);
      expect(r.decision).toBe("deny");
      expect(r.reason).toContain(id);
      expect(r.ms).toBeLessThan(8000);
    } finally {
      Bun.spawnSync(["chattr", "-i", state(repo)]);
    }
  }, 120_000);

  test("a file where .git/coord should be: the check decides on bd's answer", () => {
    const repo = tempRepo();
    const id = repo.bead("Schema", "Files: db/schema.sql");
    repo.claim(id, ME_B);
    rmSync(state(repo), { recursive: true, force: true });
    writeFileSync(state(repo), "not a folder\n");
    const r = repo.write_(SID_A, "db/schema.sql");
    expect(r.code).toBe(0);
    expect(r.decision).toBe("deny");
    expect(r.reason).toContain(id);
    expect(repo.write_(SID_A, "src/free.ts").decision).toBe("allow");
  }, 120_000);

  test("full: the check decides on bd's answer", () => {
    const { repo, id } = claimedBehindTheSnapshot();
    // A 16 KiB file system over the state folder, filled up, in a mount namespace of its own.
    const script = 'mount -t tmpfs -o size=16k tmpfs "$1" && (cat /dev/zero > "$1/fill" 2>/dev/null; true) && exec "$2" hook';
    const event = JSON.stringify({ session_id: SID_A, hook_event_name: "PreToolUse", cwd: repo.dir, tool_name: "Write", tool_input: { file_path: repo.path("db/schema.sql") } });
    const r = interpret(sh(["unshare", "-m", "sh", "-c", script, "sh", state(repo), COORD], repo.dir, cleanEnv(repo.home, repo.env), event));
    expect(r.code).toBe(0);
    expect(r.decision).toBe("deny");
    expect(r.reason).toContain(id);
  }, 120_000);
});

describe("a bd wrapper whose child keeps the pipe open after bd answered", () => {
  test("the check decides on bd's answer without waiting for the pipe to close", () => {
    const repo = tempRepo();
    const id = repo.bead("Schema", "Files: db/schema.sql");
    repo.claim(id, ME_B);
    const wrapper = bdWrapper('"$REAL" "$@"\nrc=$?\nsleep 8 &\nexit $rc');
    const r = timedWrite(repo, SID_A, "db/schema.sql", { COORD_BD: wrapper.path });
    expect(r.code).toBe(0);
    expect(r.decision).toBe("deny");
    expect(r.reason).toContain(id);
    expect(r.ms).toBeLessThan(5000);
  }, 120_000);
});
