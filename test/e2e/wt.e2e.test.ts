// A real Claude Code session started in a coord worktree: it gets the worktree's own test-database
// folder as COORD_DB_DIR, and the beads database stays the repository's.
import { afterAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { ME_A, cleanupAll, must, sh, tempRepo } from "../support/world";
import { allowTools, announceSkip, bash, describeRun, haveClaude, messagesText, registerCoord, runClaude, sessionIdFor, toolResult } from "./support";

announceSkip("wt.e2e.test.ts");
afterAll(cleanupAll);

describe.skipIf(!haveClaude)("a session in a worktree made by coord wt new", () => {
  test(
    "sees its own COORD_DB_DIR and the repository's claims",
    async () => {
      const repo = tempRepo();
      repo.write("a.txt", "a\n");
      repo.git("add", "-A");
      repo.git("commit", "-qm", "initial");
      const id = repo.bead("Add API routes", "Files: src/api/");
      repo.claim(id, ME_A);
      // The hooks and permissions live in the main checkout's local settings; wt new carries them over.
      registerCoord(repo.dir);
      allowTools(repo.dir, ["Bash(printenv:*)"]);
      const made = repo.coord(["wt", "new", "api"]);
      expect(made.code, made.stderr).toBe(0);
      const wt = `${repo.dir}-api`;

      const run = await runClaude({ cwd: wt, sessionId: sessionIdFor("bbbbbbbb"), script: [[bash("printenv COORD_DB_DIR", "b1")]] });
      expect(run.code, describeRun(run)).toBe(0);
      expect(toolResult(run.requests, "b1")?.text).toContain(join(wt, ".coord/db"));
      // bd found the main repository's database from the worktree: the claim is in the banner.
      expect(messagesText(run.requests[0]!)).toContain(`${id} ${ME_A}: src/api/`);
      // The worktree is still clean (settings copy and test-database folder are ignored), so wt done can merge it.
      expect(must(sh(["git", "status", "--porcelain"], wt, repo.env), "git status")).toBe("");
    },
    150_000,
  );
});
