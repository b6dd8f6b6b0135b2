// The Bash guard through the compiled binary: shell commands that would overwrite, remove or sweep
// away another live session's work are refused; everything else runs.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { ME_A, SID_A, SID_B, type Repo, cleanupAll, tempRepo } from "../support/world";

afterAll(cleanupAll);

function edit(repo: Repo, sid: string, file: string, content: string) {
  repo.write(file, content);
  return repo.hook({ session_id: sid, hook_event_name: "PostToolUse", cwd: repo.dir, tool_name: "Write", tool_input: { file_path: repo.path(file), content }, tool_response: {} });
}
const bash = (repo: Repo, sid: string, command: string, cwd = repo.dir) =>
  repo.hook({ session_id: sid, hook_event_name: "PreToolUse", cwd, tool_name: "Bash", tool_input: { command } }, {}, cwd);

function committedRepo(beads = true): Repo {
  const repo = tempRepo({ beads });
  repo.write("src/app.ts", "app v1\n");
  repo.write("src/lib.ts", "lib v1\n");
  repo.git("add", "src");
  repo.git("commit", "-qm", "base");
  return repo;
}

describe("B's shell commands while A has uncommitted work", () => {
  const refused: [string, RegExp][] = [
    ["echo x > src/app.ts", /refused Bash \(> redirection\) of src\/app\.ts/],
    ["cd src && sed -i s/app/APP/ app.ts", /sed -i/],
    ["bash -c 'cp /etc/hostname src/app.ts'", /src\/app\.ts/],
    ["rm -rf src", /src\/(app|new)\.ts/],
    ["git stash", /refused git stash/],
    ["git stash -u", /refused git stash/],
    ["git reset --hard", /refused git reset --hard/],
    ["git checkout -- .", /refused Bash \(git checkout --\)/],
    ["git restore src/app.ts", /refused Bash \(git restore\) of src\/app\.ts/],
    ["git checkout .", /src\/app\.ts/],
    ["git clean -fd", /src\/new\.ts/],
    ["git checkout -b elsewhere main", /switching branches/],
    ["git switch main", /switching branches/],
    ["git add -A && git commit -m all", /refused git add -A/],
    ["git add .", /refused git add/],
    ["git commit -am sweep", /refused git commit -a/],
    ["git checkout main", /switching branches/],
  ];
  let repo!: Repo;
  beforeAll(() => {
    repo = committedRepo();
    edit(repo, SID_A, "src/app.ts", "app v2 by A\n");
    edit(repo, SID_A, "src/new.ts", "new file by A\n");
    edit(repo, SID_B, "src/lib.ts", "lib v2 by B\n");
  });

  for (const [cmd, re] of refused) {
    test(`refuses ${cmd}`, () => {
      const r = bash(repo, SID_B, cmd);
      expect(r.code).toBe(0);
      expect(r.decision).toBe("deny");
      expect(r.reason).toMatch(re);
      expect(r.reason).toContain(ME_A);
    });
  }

  test("the sweep refusal names B's own files as the way out", () => {
    const r = bash(repo, SID_B, "git add -A");
    expect(r.reason).toContain('git commit -m "<message>" -- src/lib.ts');
  });

  const allowed = ["git add src/lib.ts && git commit -m mine", "echo x > src/lib.ts", "git status && git diff", "git stash list", "cat src/app.ts | grep app > /dev/null", "rm -f /tmp/coord-elsewhere.txt"];
  for (const cmd of allowed) {
    test(`allows ${cmd}`, () => {
      expect(bash(repo, SID_B, cmd).decision).toBe("allow");
    });
  }

  test("A itself may do what B may not", () => {
    expect(bash(repo, SID_A, "echo y > src/app.ts").decision).toBe("allow");
    expect(bash(repo, SID_A, "git add src/app.ts src/new.ts").decision).toBe("allow");
  });
});

describe("claims apply to shell writes as to Write", () => {
  let repo!: Repo;
  let id!: string;
  beforeAll(() => {
    repo = committedRepo();
    id = repo.bead("Rework the app", "Files: src/app.ts");
    repo.claim(id, ME_A);
  });

  test("sed -i on A's claimed file is refused for B, with the bead in the card", () => {
    const r = bash(repo, SID_B, "sed -i 's/v1/v2/' src/app.ts");
    expect(r.decision).toBe("deny");
    expect(r.reason).toContain(id);
    expect(r.reason).toContain("Rework the app");
  });

  test("and allowed for A", () => {
    expect(bash(repo, SID_A, "sed -i 's/v1/v2/' src/app.ts").decision).toBe("allow");
  });
});

describe("without another live session", () => {
  let repo!: Repo;
  beforeAll(() => {
    repo = committedRepo(false);
    edit(repo, SID_A, "src/app.ts", "A's change\n");
  });

  test("git stash is refused while A is live, and allowed once A's session ended", () => {
    expect(bash(repo, SID_B, "git stash").decision).toBe("deny");
    repo.hook({ session_id: SID_A, hook_event_name: "SessionEnd", cwd: repo.dir, reason: "other" });
    expect(bash(repo, SID_B, "git stash").decision).toBe("allow");
  });
});

describe("shell writes are journaled like Write", () => {
  let repo!: Repo;
  beforeAll(() => {
    repo = committedRepo(false);
  });

  test("after A's successful `echo > file`, B's Write of that file is refused", () => {
    repo.write("out.txt", "from A's shell\n");
    repo.hook({ session_id: SID_A, hook_event_name: "PostToolUse", cwd: repo.dir, tool_name: "Bash", tool_input: { command: "echo 'from A' > out.txt" }, tool_response: {} });
    const r = repo.write_(SID_B, "out.txt");
    expect(r.decision).toBe("deny");
    expect(r.reason).toContain(ME_A);
  });
});

describe("what cannot be parsed", () => {
  let repo!: Repo;
  beforeAll(() => {
    repo = committedRepo(false);
  });

  test("runs, and the model is told in one line that it was not checked", () => {
    const r = bash(repo, SID_B, "echo 'unterminated");
    expect(r.decision).toBe("allow");
    const context = String((r.json?.hookSpecificOutput as { additionalContext?: string })?.additionalContext ?? "");
    expect(context.split("\n").filter((l) => l.includes("not checked"))).toHaveLength(1);
  });
});

describe("a plain git commit while another session's files are staged", () => {
  let repo!: Repo;
  beforeAll(() => {
    repo = committedRepo(false);
    edit(repo, SID_A, "src/app.ts", "A staged this\n");
    repo.git("add", "src/app.ts");
  });

  test("is refused for B, which is told how to unstage them", () => {
    const r = bash(repo, SID_B, "git commit -m 'B: something'");
    expect(r.decision).toBe("deny");
    expect(r.reason).toContain("git restore --staged src/app.ts");
  });

  test("is allowed for A", () => {
    expect(bash(repo, SID_A, "git commit -m 'A: app'").decision).toBe("allow");
  });
});
