// Claimed uncommitted work outlives its session: A claims src/api/, edits, and ends. B's sweeping
// or destroying git commands are refused while A's bead is in progress, and the work is still there.
import { afterAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { ME_A, ME_B, SID_A, SID_B, type Repo, cleanupAll, must, sh, tempRepo } from "../support/world";

afterAll(cleanupAll);

const edit = (repo: Repo, sid: string, file: string, content: string) => {
  repo.write(file, content);
  return repo.hook({ session_id: sid, hook_event_name: "PostToolUse", cwd: repo.dir, tool_name: "Write", tool_input: { file_path: repo.path(file), content }, tool_response: {} });
};
const end = (repo: Repo, sid: string) => repo.hook({ session_id: sid, hook_event_name: "SessionEnd", cwd: repo.dir, reason: "logout" });

/** B's agent runs `command` the way Claude Code would: only when the hook lets it through. */
function attempt(repo: Repo, command: string) {
  const r = repo.hook({ session_id: SID_B, hook_event_name: "PreToolUse", cwd: repo.dir, tool_name: "Bash", tool_input: { command } });
  if (r.decision !== "deny") must(sh(["sh", "-c", command], repo.dir, repo.env), command);
  return r;
}

/** A claimed src/api/, changed two files under it and one outside it, none committed, and ended. */
function endedOwner(): { repo: Repo; id: string } {
  const repo = tempRepo();
  for (const f of ["src/api/routes.ts", "src/api/auth.ts", "notes/plan.md", "src/web/page.ts"]) repo.write(f, `${f.split("/").pop()?.split(".")[0]} v1\n`);
  repo.git("add", "-A");
  repo.git("commit", "-qm", "base");
  const id = repo.bead("API routes", "Files: src/api/");
  repo.claim(id, ME_A);
  edit(repo, SID_A, "src/api/routes.ts", "routes v2 by A\n");
  edit(repo, SID_A, "notes/plan.md", "plan v2 by A\n");
  // A change under the claim that coord never saw (made in a terminal).
  repo.write("src/api/auth.ts", "auth v2 by A's person\n");
  end(repo, SID_A);
  // B is live and has a change of its own.
  edit(repo, SID_B, "src/web/page.ts", "page v2 by B\n");
  return { repo, id };
}

const content = (repo: Repo, file: string) => readFileSync(repo.path(file), "utf8");
const aWorkIntact = (repo: Repo) => {
  expect(content(repo, "src/api/routes.ts")).toBe("routes v2 by A\n");
  expect(content(repo, "src/api/auth.ts")).toBe("auth v2 by A's person\n");
  expect(content(repo, "notes/plan.md")).toBe("plan v2 by A\n");
};

describe("A ended with claimed uncommitted work; B, in the same checkout", () => {
  for (const [command, what] of [
    ["git reset --hard", /refused git reset --hard: it would take away another's uncommitted work/],
    ["git stash", /refused git stash/],
    ["git stash -u", /refused git stash/],
    ["git commit -am sweep", /refused git commit -a/],
    ["git switch -f -c elsewhere", /refused git switch --discard-changes: it would take away/], // -f discards local changes
    ["git checkout -- .", /refused Bash \(git checkout --\)/],
  ] as const) {
    test(`is refused ${command}, and A's work is still there`, () => {
      const { repo, id } = endedOwner();
      const r = attempt(repo, command);
      expect(r.decision).toBe("deny");
      expect(r.reason).toMatch(what);
      expect(r.reason).toContain(ME_A);
      expect(r.reason).toContain(id);
      aWorkIntact(repo);
      expect(repo.git("rev-list", "--count", "HEAD")).toBe("1");
    }, 120_000);
  }

  test("the card tells A's work from B's: B may stash or restore its own files", () => {
    const { repo, id } = endedOwner();
    const r = attempt(repo, "git stash");
    expect(r.reason).toContain("now ended");
    expect(r.reason).toContain(`${id} "API routes" is still in progress, so it is still theirs`);
    expect(r.reason).toContain("git stash push -- src/web/page.ts");
    expect(r.reason).toContain(`(you are ${ME_B})`);
    // B's way out works and leaves A's work alone.
    expect(attempt(repo, "git stash push -- src/web/page.ts").decision).not.toBe("deny");
    expect(content(repo, "src/web/page.ts")).toBe("page v1\n");
    aWorkIntact(repo);
  }, 120_000);

  test("B's Write over A's edit outside the claimed files is refused too", () => {
    const { repo, id } = endedOwner();
    const r = repo.write_(SID_B, "notes/plan.md");
    expect(r.decision).toBe("deny");
    expect(r.reason).toContain("notes/plan.md was changed by claude-aaaaaaaa");
    expect(r.reason).toContain(id);
  }, 120_000);

  test("once A's bead is closed, the work is no longer protected and B's reset goes through", () => {
    const { repo, id } = endedOwner();
    repo.bd(["close", id], ME_A);
    const r = attempt(repo, "git reset --hard");
    expect(r.decision).not.toBe("deny");
    expect(content(repo, "src/api/routes.ts")).toBe("routes v1\n");
  }, 120_000);

  test("SessionEnd of another session does not compact A's claimed records away", () => {
    const { repo } = endedOwner();
    end(repo, SID_B);
    const r = repo.write_("cccccccc-3333-4333-8333-333333333333", "notes/plan.md");
    expect(r.decision).toBe("deny");
    expect(r.reason).toContain("notes/plan.md");
  }, 120_000);
});
