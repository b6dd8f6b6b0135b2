// Bad input and a broken world: the hook always exits 0 with one decision and one clear line.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { COORD, ME_A, SID_B, cleanEnv, cleanupAll, interpret, sh, tempDir, tempRepo, type Repo } from "../support/world";

afterAll(cleanupAll);

/** PATH with git but without bd: what a machine without beads installed looks like. */
function pathWithoutBd(): string {
  const dir = tempDir("coord-nobd-");
  const git = Bun.which("git")!;
  Bun.spawnSync(["ln", "-s", git, join(dir, "git")]);
  return dir;
}

describe("when bd cannot answer", () => {
  test("missing bd with an older snapshot: that snapshot decides, and the session is told it is stale", () => {
    const repo = tempRepo();
    const id = repo.bead("Routes", "Files: src/api/");
    repo.claim(id, ME_A);
    expect(repo.write_(SID_B, "src/api/a.ts").decision).toBe("deny");
    repo.bead("Another", "Files: x/"); // the database changes: the snapshot is now stale
    const r = repo.write_(SID_B, "src/api/a.ts", {}, { PATH: pathWithoutBd() });
    expect(r.code).toBe(0);
    expect(r.decision).toBe("deny");
    expect(r.stderr).toContain("not found on PATH");
    expect(r.stderr).toContain("deciding on claims from");
  }, 60_000);

  test("missing bd and no snapshot: the edit is allowed with one line saying why", () => {
    const repo = tempRepo();
    repo.claim(repo.bead("Routes", "Files: src/api/"), ME_A);
    const r = repo.write_(SID_B, "src/api/a.ts", {}, { PATH: pathWithoutBd() });
    expect(r.code).toBe(0);
    expect(r.decision).toBe("allow");
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain("bd could not be started");
  });

  test("COORD_FAIL_CLOSED=1 refuses instead", () => {
    const repo = tempRepo();
    repo.claim(repo.bead("Routes", "Files: src/api/"), ME_A);
    const r = repo.write_(SID_B, "src/other.ts", {}, { PATH: pathWithoutBd(), COORD_FAIL_CLOSED: "1" });
    expect(r.decision).toBe("deny");
    expect(r.reason).toContain("COORD_FAIL_CLOSED");
    expect(r.reason).toContain("coord doctor");
  });

  test("a locked database: the check gives up within its budget and asks for a retry, since no claims are known yet", () => {
    const repo = tempRepo();
    repo.claim(repo.bead("Routes", "Files: src/api/"), ME_A);
    const lock = join(repo.dir, ".beads/embeddeddolt/t/.dolt/noms/LOCK");
    const holder = Bun.spawn(["flock", lock, "sleep", "8"], { stdout: "ignore", stderr: "ignore" });
    Bun.sleepSync(200);
    const t0 = performance.now();
    const r = repo.write_(SID_B, "src/other.ts", {}, { COORD_REFRESH_BUDGET_MS: "700" });
    const took = performance.now() - t0;
    holder.kill();
    expect(r.code).toBe(0);
    expect(r.decision).toBe("deny");
    expect(r.reason).toContain("until the current claims are known");
    expect(r.reason).toContain("has not answered within 700 ms");
    expect(took).toBeLessThan(4000);
  }, 60_000);

  test("a broken database: bd's failure is reported in one line and the edit is allowed", () => {
    const repo = tempRepo();
    repo.claim(repo.bead("Routes", "Files: src/api/"), ME_A);
    writeFileSync(join(repo.dir, ".beads/embeddeddolt/t/.dolt/noms/manifest"), "garbage");
    writeFileSync(join(repo.dir, ".beads/embeddeddolt/t/.dolt/noms/vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv"), "garbage");
    const r = repo.write_(SID_B, "src/api/a.ts");
    expect(r.code).toBe(0);
    expect(r.decision).toBe("allow");
    expect(r.stderr).toContain("bd list failed");
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });
});

describe("where there is nothing to guard", () => {
  test("a repository without beads: allowed, with a note", () => {
    const repo = tempRepo({ beads: false });
    const r = repo.write_(SID_B, "src/a.ts");
    expect(r.decision).toBe("allow");
    expect(r.stderr).toContain("no beads database");
  });

  test("a folder that is not a git repository: allowed silently", () => {
    const dir = tempDir();
    const r = interpret(sh([COORD, "hook"], dir, cleanEnv(dir), JSON.stringify({ session_id: SID_B, hook_event_name: "PreToolUse", cwd: dir, tool_name: "Write", tool_input: { file_path: join(dir, "a.txt") } })));
    expect(r.code).toBe(0);
    expect(r.decision).toBe("allow");
  });
});

describe("malformed hook input", () => {
  const run = (stdin: string) => sh([COORD, "hook"], dir, cleanEnv(dir), stdin);
  let dir!: string;
  beforeAll(() => {
    dir = tempDir();
  });

  test.each([
    ["empty", ""],
    ["not JSON", "this is {not json"],
    ["a JSON array", "[1,2,3]"],
    ["a JSON string", '"PreToolUse"'],
    ["no event name", '{"tool_name":"Write"}'],
    ["tool_input not an object", '{"hook_event_name":"PreToolUse","tool_name":"Write","tool_input":"x"}'],
    ["file_path not a string", '{"hook_event_name":"PreToolUse","tool_name":"Write","tool_input":{"file_path":42}}'],
    ["NUL bytes", '{"hook_event_name":"PreToolUse","tool_name":"Write","tool_input":{"file_path":"a\\u0000b"}}'],
  ])("%s: exit 0, no decision, at most one line", (_n, stdin) => {
    const r = run(stdin);
    expect(r.code).toBe(0);
    expect(interpret(r).decision).toBe("allow");
    expect(r.stderr.trim().split("\n").length).toBeLessThanOrEqual(1);
    expect(r.stderr).not.toContain("    at ");
  });

  test("tools coord does not guard pass silently; unknown events pass with one note", () => {
    const read = run(JSON.stringify({ hook_event_name: "PreToolUse", tool_name: "Read", tool_input: { file_path: "/etc/passwd" } }));
    expect([read.code, read.stdout, read.stderr]).toEqual([0, "", ""]);
    for (const e of [{ hook_event_name: "Stop" }, { hook_event_name: "Future", extra: { nested: [1, 2] } }]) {
      const r = run(JSON.stringify(e));
      expect(r.code).toBe(0);
      expect(r.stdout).toBe("");
      expect(r.stderr.trim()).toBe(`coord: ${e.hook_event_name} is not an event coord handles; nothing checked`);
    }
  });

  test("huge input is refused by size, not read to the end", () => {
    const big = JSON.stringify({ hook_event_name: "PreToolUse", tool_name: "Write", tool_input: { file_path: "a", content: "x".repeat(40 * 1024 * 1024) } });
    const r = run(big);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("larger than");
  });

  test("stdin that never closes: the hook still ends by its deadline", () => {
    const p = Bun.spawn([COORD, "hook"], { cwd: dir, env: cleanEnv(dir, { COORD_HOOK_DEADLINE_MS: "800" }), stdin: "pipe", stdout: "pipe", stderr: "pipe" });
    const t0 = performance.now();
    const timer = setTimeout(() => p.kill(), 10_000);
    return p.exited.then(async (code) => {
      clearTimeout(timer);
      expect(code).toBe(0);
      expect(performance.now() - t0).toBeLessThan(5000);
      expect(await new Response(p.stderr).text()).toContain("deadline");
    });
  });
});

describe("bd installed by go install but not on PATH", () => {
  test("is found in ~/go/bin, where scripts/setup puts it", () => {
    const repo = tempRepo();
    repo.claim(repo.bead("Routes", "Files: src/api/"), ME_A);
    const goBin = join(repo.home, "go", "bin");
    Bun.spawnSync(["mkdir", "-p", goBin]);
    Bun.spawnSync(["ln", "-s", Bun.which("bd")!, join(goBin, "bd")]);
    const r = repo.write_(SID_B, "src/api/a.ts", {}, { PATH: pathWithoutBd() });
    expect(r.decision).toBe("deny");
    expect(r.stderr).toBe("");
  });
});

describe("a hook past its deadline (bd hangs on a locked database)", () => {
  const slow = { COORD_REFRESH_BUDGET_MS: "8000", COORD_HOOK_DEADLINE_MS: "700", COORD_FAIL_CLOSED: "1" };
  const locked = <T>(f: () => T): T => {
    const holder = Bun.spawn(["flock", join(repo.dir, ".beads/embeddeddolt/t/.dolt/noms/LOCK"), "sleep", "6"], { stdout: "ignore", stderr: "ignore" });
    Bun.sleepSync(200);
    try {
      return f();
    } finally {
      holder.kill();
    }
  };
  let repo!: Repo;
  beforeAll(() => {
    repo = tempRepo();
    repo.claim(repo.bead("Routes", "Files: src/api/"), ME_A);
  });

  test("refuses an edit under COORD_FAIL_CLOSED=1", () => {
    const r = locked(() => repo.write_(SID_B, "src/other.ts", {}, slow));
    expect(r.code).toBe(0);
    expect(r.decision).toBe("deny");
    expect(r.reason).toContain("deadline");
  });

  test("prints no refusal for SessionStart, which cannot be refused", () => {
    const r = locked(() => repo.hook({ session_id: SID_B, hook_event_name: "SessionStart", cwd: repo.dir, source: "startup" }, slow));
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("deadline");
  });
});
