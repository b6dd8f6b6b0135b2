// PreSkillShellCommand (Claude Code 2.1.332): a skill's or command's inline !`cmd` goes through the
// same shell guard as a Bash tool call. The payload is the one captured from the real CLI.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ME_A, type Repo, SID_B, cleanupAll, tempRepo } from "../support/world";

afterAll(cleanupAll);

const captured = JSON.parse(readFileSync(join(import.meta.dir, "../fixtures/claude/pre-skill-shell-command-2.1.332.json"), "utf8")) as Record<string, unknown>;

describe("a command's inline shell", () => {
  let repo!: Repo;
  let id = "";
  beforeAll(() => {
    repo = tempRepo();
    id = repo.bead("Routes", "Files: src/api/");
    repo.claim(id, ME_A);
    // Warm: what is tested is the event's route through the guard, not a refresh on a busy machine.
    repo.coord(["snapshot", "--refresh"]);
  });
  const event = (command: string) => ({ ...captured, session_id: SID_B, cwd: repo.dir, transcript_path: join(repo.home, "t.jsonl"), tool_input: { command } });

  test(
    "writing another session's claimed file is refused in the event's own terms",
    () => {
      const r = repo.hook(event("echo x > src/api/routes.ts"));
      expect(r.decision).toBe("deny");
      expect((r.json?.hookSpecificOutput as Record<string, string>).hookEventName).toBe("PreSkillShellCommand");
      expect(r.reason).toContain(`${id} "Routes" is in progress`);
      expect(r.reason).toContain(`whose: ${ME_A}`);
    },
    60_000,
  );

  test(
    "a command that writes nothing claimed runs without a word",
    () => {
      const r = repo.hook(event("git status --short"));
      expect(r.decision).toBe("allow");
      expect(r.stdout).toBe("");
    },
    60_000,
  );
});
