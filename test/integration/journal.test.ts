// The edit journal and live sessions, through the compiled binary: a session's uncommitted edit is
// protected from other live sessions until it commits or its session ends.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { COORD, ME_A, SID_A, SID_B, type Repo, cleanupAll, interpret, sh, tempRepo } from "../support/world";

afterAll(cleanupAll);

/** Session `sid` writes `file` for real, and Claude Code reports it (PostToolUse). */
function edit(repo: Repo, sid: string, file: string, content: string) {
  repo.write(file, content);
  return repo.hook({ session_id: sid, hook_event_name: "PostToolUse", cwd: repo.dir, tool_name: "Write", tool_input: { file_path: repo.path(file), content }, tool_response: {} });
}
const end = (repo: Repo, sid: string) => repo.hook({ session_id: sid, hook_event_name: "SessionEnd", cwd: repo.dir, reason: "other" });
const journalDir = (repo: Repo) => join(repo.dir, ".git", "coord", "journal");

describe("B writing a file A changed and has not committed", () => {
  let repo!: Repo;
  beforeAll(() => {
    repo = tempRepo();
    repo.write("README.md", "base\n");
    repo.git("add", "README.md");
    repo.git("commit", "-qm", "base");
    edit(repo, SID_A, "notes.txt", "A's notes\n");
  });

  test("is refused with a card naming A, the time and how to coordinate", () => {
    const r = repo.write_(SID_B, "notes.txt");
    expect(r.code).toBe(0);
    expect(r.decision).toBe("deny");
    expect(r.reason).toContain("notes.txt");
    expect(r.reason).toContain(ME_A);
    expect(r.reason).toMatch(/[0-9]+s ago/);
    expect(r.reason).toContain("not committed");
    expect(r.reason).toContain("git commit");
  });

  test("is allowed for A itself", () => {
    expect(repo.write_(SID_A, "notes.txt").decision).toBe("allow");
  });

  test("is allowed once A commits it", () => {
    repo.git("add", "notes.txt");
    repo.git("commit", "-qm", "A's notes");
    expect(repo.write_(SID_B, "notes.txt").decision).toBe("allow");
  });

  test("is refused again after A's next uncommitted edit, and allowed once A's session ends", () => {
    edit(repo, SID_A, "notes.txt", "A's notes, v2\n");
    expect(repo.write_(SID_B, "notes.txt").decision).toBe("deny");
    end(repo, SID_A);
    expect(repo.write_(SID_B, "notes.txt").decision).toBe("allow");
  });
});

describe("a session silent for session_idle_minutes", () => {
  test("counts as gone: its uncommitted edit no longer blocks others", async () => {
    const repo = tempRepo({ beads: false });
    repo.write("coord.toml", "[settings]\nsession_idle_minutes = 0.005\n");
    edit(repo, SID_A, "draft.md", "A\n");
    expect(repo.write_(SID_B, "draft.md").decision).toBe("deny");
    await Bun.sleep(400);
    expect(repo.write_(SID_B, "draft.md").decision).toBe("allow");
  });
});

describe("the journal on disk", () => {
  test("concurrent appends from many hook processes leave every line whole", async () => {
    const repo = tempRepo({ beads: false });
    const n = 24;
    for (let i = 0; i < n; i++) repo.write(`f${i}.txt`, `${i}\n`);
    const procs = Array.from({ length: n }, (_, i) =>
      Bun.spawn([COORD, "hook"], {
        cwd: repo.dir,
        env: repo.env,
        stdin: new TextEncoder().encode(JSON.stringify({ session_id: i % 2 ? SID_A : SID_B, hook_event_name: "PostToolUse", cwd: repo.dir, tool_name: "Write", tool_input: { file_path: repo.path(`f${i}.txt`), content: "" } })),
        stdout: "pipe",
        stderr: "pipe",
      }),
    );
    await Promise.all(procs.map((p) => p.exited));
    const lines = readFileSync(join(journalDir(repo), "edits.log"), "utf8").trimEnd().split("\n");
    expect(lines).toHaveLength(n);
    const files = lines.map((l) => (JSON.parse(l) as { file: string; sha256: string }).file).sort();
    expect(files).toEqual(Array.from({ length: n }, (_, i) => `f${i}.txt`).sort());
    expect(readdirSync(join(journalDir(repo), "last"))).toHaveLength(n);
  });

  test("records who, when and the content hash, and SessionEnd compacts the ended session away", () => {
    const repo = tempRepo({ beads: false });
    edit(repo, SID_A, "a.txt", "hello\n");
    edit(repo, SID_B, "b.txt", "world\n");
    const line = JSON.parse(readFileSync(join(journalDir(repo), "edits.log"), "utf8").split("\n")[0] as string) as Record<string, unknown>;
    expect(line).toMatchObject({ file: "a.txt", sessionId: SID_A, identity: ME_A, sha256: "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03" });
    expect(typeof line.at).toBe("number");
    expect(readdirSync(join(journalDir(repo), "last"))).toHaveLength(2);
    end(repo, SID_A);
    expect(readdirSync(join(journalDir(repo), "last"))).toHaveLength(1);
    const session = JSON.parse(readFileSync(join(repo.dir, ".git", "coord", "sessions", `${SID_A}.json`), "utf8")) as { endedAt: number | null };
    expect(session.endedAt).toBeNumber();
  });

  test("every hook event marks its session seen", () => {
    const repo = tempRepo({ beads: false });
    const r = sh([COORD, "hook"], repo.dir, repo.env, JSON.stringify({ session_id: SID_B, hook_event_name: "UserPromptSubmit", cwd: repo.dir, prompt: "go" }));
    expect(interpret(r).decision).toBe("allow");
    const s = JSON.parse(readFileSync(join(repo.dir, ".git", "coord", "sessions", `${SID_B}.json`), "utf8")) as { lastSeen: number; endedAt: null };
    expect(Date.now() - s.lastSeen).toBeLessThan(10_000);
    expect(s.endedAt).toBeNull();
  });
});

describe("two checkouts of one repository", () => {
  test("keep separate journals per file: A's edit in the main checkout does not block B's in a worktree", () => {
    const repo = tempRepo({ beads: false });
    repo.write("a.txt", "base\n");
    repo.git("add", "a.txt");
    repo.git("commit", "-qm", "base");
    const wt = `${repo.dir}-wt`;
    repo.git("worktree", "add", "-q", wt);
    edit(repo, SID_A, "a.txt", "A in main\n");
    expect(repo.write_(SID_B, "a.txt").decision).toBe("deny");
    const r = repo.hook({ session_id: SID_B, hook_event_name: "PreToolUse", cwd: wt, tool_name: "Write", tool_input: { file_path: join(wt, "a.txt"), content: "B\n" } }, {}, wt);
    expect(r.decision).toBe("allow");
  });
});

describe("a Bash command that wrote and then failed", () => {
  test("is journaled from PostToolUseFailure, so its file is protected like any other edit", () => {
    const repo = tempRepo();
    repo.write("README.md", "base\n");
    repo.git("add", "README.md");
    repo.git("commit", "-qm", "base");
    repo.write("out.txt", "A's output\n");
    const command = "echo \"A's output\" > out.txt && false";
    const r = repo.hook({ session_id: SID_A, hook_event_name: "PostToolUseFailure", cwd: repo.dir, tool_name: "Bash", tool_input: { command }, error: "Exit code 1" });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    const b = repo.write_(SID_B, "out.txt");
    expect(b.decision).toBe("deny");
    expect(b.reason).toContain(ME_A);
  });
});

describe("the session heartbeat", () => {
  test("is written once per 10 s at most, and SessionEnd is always recorded", () => {
    const repo = tempRepo();
    const file = join(repo.dir, ".git", "coord", "sessions", `${SID_A}.json`);
    const ev = (name: string) => repo.hook({ session_id: SID_A, hook_event_name: name, cwd: repo.dir, tool_name: "Read", tool_input: {} });
    ev("PreToolUse");
    const first = JSON.parse(readFileSync(file, "utf8"));
    Bun.sleepSync(30);
    ev("PreToolUse");
    expect(JSON.parse(readFileSync(file, "utf8")).lastSeen).toBe(first.lastSeen);
    ev("SessionEnd");
    const ended = JSON.parse(readFileSync(file, "utf8"));
    expect(ended.endedAt).not.toBeNull();
    expect(ended.lastSeen).toBeGreaterThan(first.lastSeen);
  });
});
