// coord init against what is installed: the Claude Code version decides which hook events and
// keys are registered, and bd 1.3.0's lock files are kept out of git.
import { afterAll, describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CLAUDE_BIN } from "../e2e/support/claude";
import { cleanupAll, must, sh, tempDir, tempRepo } from "../support/world";

afterAll(cleanupAll);

const settings = (dir: string) => JSON.parse(readFileSync(join(dir, ".claude/settings.local.json"), "utf8"));
const claudeVersion = /(\d+\.\d+\.\d+)/.exec(sh([CLAUDE_BIN, "--version"], process.cwd(), process.env as Record<string, string>).stdout)?.[1] ?? "";

/** A program that answers `--version` as the Claude Code releases before 2.1.332 do (none is installed here). */
function olderClaude(): string {
  const f = join(tempDir(), "claude");
  writeFileSync(f, "#!/bin/sh\necho '2.1.197 (Claude Code)'\n", { mode: 0o755 });
  return f;
}

describe("coord init and the installed Claude Code", () => {
  test.skipIf(claudeVersion !== "2.1.332")(
    "Claude Code 2.1.332 gets PreSkillShellCommand through the shell guard",
    () => {
      const repo = tempRepo();
      const r = repo.coord(["init"], { COORD_CLAUDE: CLAUDE_BIN });
      expect(r.code, r.stderr).toBe(0);
      const groups = settings(repo.dir).hooks.PreSkillShellCommand;
      expect(groups).toEqual([{ matcher: "Bash", hooks: [expect.objectContaining({ type: "command", timeout: 10 })] }]);
      expect(groups[0].hooks[0].onFailure).toBeUndefined();
      // doctor and --check ask for the same groups.
      expect(repo.coord(["init", "--check"], { COORD_CLAUDE: CLAUDE_BIN }).code).toBe(0);
    },
    60_000,
  );

  test(
    "an older Claude Code gets no PreSkillShellCommand (it would show a startup dialog), and --check does not ask for it",
    () => {
      const repo = tempRepo();
      const old = olderClaude();
      expect(repo.coord(["init"], { COORD_CLAUDE: old }).code).toBe(0);
      expect(settings(repo.dir).hooks.PreSkillShellCommand).toBeUndefined();
      expect(repo.coord(["init", "--check"], { COORD_CLAUDE: old }).code).toBe(0);
      // After an upgrade, --check names what is now missing.
      if (claudeVersion === "2.1.332") {
        const c = repo.coord(["init", "--check"], { COORD_CLAUDE: CLAUDE_BIN });
        expect(c.code).toBe(1);
        expect(c.stderr).toContain("PreSkillShellCommand (Bash)");
      }
    },
    60_000,
  );

  test.skipIf(claudeVersion !== "2.1.332")(
    "COORD_FAIL_CLOSED=1 at init also makes Claude Code refuse when the hook itself fails (onFailure: block); without it, init takes it away again",
    () => {
      const repo = tempRepo();
      expect(repo.coord(["init"], { COORD_CLAUDE: CLAUDE_BIN, COORD_FAIL_CLOSED: "1" }).code).toBe(0);
      const all = Object.values(settings(repo.dir).hooks as Record<string, { hooks: { onFailure?: string }[] }[]>).flatMap((gs) => gs.flatMap((g) => g.hooks));
      expect(all.length).toBeGreaterThan(6);
      expect(all.every((h) => h.onFailure === "block")).toBe(true);
      expect(repo.coord(["init"], { COORD_CLAUDE: CLAUDE_BIN }).code).toBe(0);
      expect(JSON.stringify(settings(repo.dir))).not.toContain("onFailure");
    },
    60_000,
  );
});

describe("bd's lock files", () => {
  test(
    "coord init keeps .beads.gate.lock (bd 1.3.0) out of commits through the repository's own exclude file",
    () => {
      const repo = tempRepo();
      repo.write(".beads.gate.lock", "");
      expect(repo.coord(["init"]).code).toBe(0);
      expect(readFileSync(join(repo.dir, ".git/info/exclude"), "utf8")).toContain("*.gate.lock*");
      const status = must(sh(["git", "status", "--porcelain", "--untracked-files=all"], repo.dir, repo.env), "git status");
      expect(status).not.toContain(".beads.gate.lock");
      // Once.
      expect(repo.coord(["init"]).code).toBe(0);
      expect(readFileSync(join(repo.dir, ".git/info/exclude"), "utf8").split("*.gate.lock*").length).toBe(2);
    },
    60_000,
  );
});
