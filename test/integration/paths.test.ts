// Odd paths: relative, from subfolders, through symlinks, with spaces and unicode, outside the repo,
// and from a linked worktree that shares the beads database.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { ME_A, SID_A, SID_B, cleanupAll, tempDir, tempRepo, type Repo } from "../support/world";

afterAll(cleanupAll);

describe("paths are normalised against the repository root", () => {
  const ev = (sid: string, file: string, cwd = repo.dir) => repo.hook({ session_id: sid, hook_event_name: "PreToolUse", cwd, tool_name: "Edit", tool_input: { file_path: file, old_string: "a", new_string: "b" } });
  let repo!: Repo;
  let id!: string;
  beforeAll(() => {
    repo = tempRepo();
    id = repo.bead("Odd paths", "Files: `src/my api/`, src/café/, docs/guide.md");
    repo.claim(id, ME_A);
    mkdirSync(repo.path("src/sub"), { recursive: true });
  });

  test.each([
    ["an absolute path", () => repo.path("src/my api/x.ts")],
    ["a relative path from the root", () => "src/my api/x.ts"],
    ["unicode", () => "src/café/naïve.ts"],
    ["dot-dot segments", () => repo.path("src/sub/../my api/x.ts")],
    ["a file that does not exist yet, deep down", () => repo.path("src/café/a/b/c/new.ts")],
  ])("%s is refused for another session", (_n, file) => {
    expect(ev(SID_B, file()).decision).toBe("deny");
    expect(ev(SID_A, file()).decision).toBe("allow");
  });

  test("a relative path from a subfolder (the session ran cd)", () => {
    expect(ev(SID_B, "../../docs/guide.md", repo.path("src/sub")).decision).toBe("deny");
    expect(ev(SID_B, "x.ts", repo.path("src/sub")).decision).toBe("allow");
  });

  test("a symlink pointing into a claimed folder is refused by where it points", () => {
    mkdirSync(repo.path("src/café"), { recursive: true });
    symlinkSync(repo.path("src/café"), repo.path("link"));
    expect(ev(SID_B, repo.path("link/file.ts")).decision).toBe("deny");
  });

  test("a path outside the repository is allowed silently", () => {
    const r = ev(SID_B, join(tempDir(), "elsewhere.ts"));
    expect(r.decision).toBe("allow");
    expect(r.stdout + r.stderr).toBe("");
    expect(ev(SID_B, repo.path("../../outside.ts")).decision).toBe("allow");
  });

  test("NotebookEdit uses notebook_path", () => {
    const r = repo.hook({ session_id: SID_B, hook_event_name: "PreToolUse", cwd: repo.dir, tool_name: "NotebookEdit", tool_input: { notebook_path: repo.path("docs/guide.md"), new_source: "x" } });
    expect(r.decision).toBe("deny");
  });

  test("MultiEdit (older Claude Code) is guarded too", () => {
    const r = repo.hook({ session_id: SID_B, hook_event_name: "PreToolUse", cwd: repo.dir, tool_name: "MultiEdit", tool_input: { file_path: repo.path("docs/guide.md"), edits: [] } });
    expect(r.decision).toBe("deny");
  });
});

describe("a linked git worktree", () => {
  test("shares the main checkout's beads database and claims", () => {
    const repo = tempRepo();
    repo.git("commit", "--allow-empty", "-qm", "init");
    const id = repo.bead("Routes", "Files: src/api/");
    repo.claim(id, ME_A);
    const wt = join(tempDir(), "wt one");
    repo.git("worktree", "add", "-q", "-b", "work/one", wt);
    const r = repo.hook({ session_id: SID_B, hook_event_name: "PreToolUse", cwd: wt, tool_name: "Write", tool_input: { file_path: join(wt, "src/api/routes.ts") } }, {}, wt);
    expect(r.decision).toBe("deny");
    expect(r.reason).toContain(id);
    const mine = repo.hook({ session_id: SID_A, hook_event_name: "PreToolUse", cwd: wt, tool_name: "Write", tool_input: { file_path: join(wt, "src/api/routes.ts") } }, {}, wt);
    expect(mine.decision).toBe("allow");
  });
});

describe("identity", () => {
  test("BEADS_ACTOR in the hook's environment is the session's identity", () => {
    const repo = tempRepo();
    repo.claim(repo.bead("Routes", "Files: src/api/"), "alice");
    expect(repo.write_(SID_B, "src/api/a.ts", {}, { BEADS_ACTOR: "alice" }).decision).toBe("allow");
    expect(repo.write_(SID_B, "src/api/a.ts", {}, { BEADS_ACTOR: "bob" }).decision).toBe("deny");
  });

  test("an unassigned in-progress bead warns and allows", () => {
    const repo = tempRepo();
    const id = repo.bead("Loose", "Files: scripts/");
    repo.bd(["update", id, "--status", "in_progress"]);
    const r = repo.write_(SID_B, "scripts/x.sh");
    expect(r.decision).toBe("allow");
    expect(r.stderr).toContain(id);
    expect(JSON.stringify(r.json)).toContain("no assignee");
  });
});

describe("a session cleared with /clear", () => {
  test("keeps its identity, and so its claims, under its new session id", () => {
    const repo = tempRepo();
    const id = repo.bead("Routes", "Files: src/api/");
    repo.claim(id, ME_A);
    const SID_C = "cccccccc-3333-4333-8333-333333333333";
    const start = (sid: string, source: string) => repo.hook({ session_id: sid, hook_event_name: "SessionStart", cwd: repo.dir, source });
    start(SID_A, "startup");
    // Claude Code's /clear: SessionEnd (reason clear) for the old id, SessionStart (source clear) for a new one.
    repo.hook({ session_id: SID_A, hook_event_name: "SessionEnd", cwd: repo.dir, reason: "clear" });
    const banner = start(SID_C, "clear");
    expect(JSON.stringify(banner.json)).toContain(`you are ${ME_A}, holding ${id}`);
    expect(repo.write_(SID_C, "src/api/routes.ts").decision).toBe("allow");
    // Anyone else is still refused, and a plain new session does not inherit anything.
    expect(repo.write_(SID_B, "src/api/routes.ts").decision).toBe("deny");
    start(SID_B, "startup");
    expect(repo.write_(SID_B, "src/api/routes.ts").decision).toBe("deny");
  });
});
