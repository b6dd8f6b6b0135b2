// Issue 12's forms through the compiled binary, with the real bd and git. The state the issue
// describes: A holds a claim on src/api/ and has an uncommitted, journaled f.txt; B is another
// live session with its own dirty b.txt; C works in a linked worktree with an uncommitted w.txt.
import { afterAll, describe, expect, test } from "bun:test";
import { linkSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { ME_A, SID_A, SID_B, type HookRun, type Repo, cleanupAll, tempRepo } from "../support/world";

afterAll(cleanupAll);

const SID_C = "cccccccc-3333-4333-8333-333333333333";

function edit(repo: Repo, sid: string, file: string, content: string, cwd = repo.dir) {
  const abs = join(cwd, file);
  mkdirSync(dirname(abs), { recursive: true });
  writeFileSync(abs, content);
  return repo.hook({ session_id: sid, hook_event_name: "PostToolUse", cwd, tool_name: "Write", tool_input: { file_path: abs, content }, tool_response: {} }, {}, cwd);
}
const bash = (repo: Repo, sid: string, command: string, cwd = repo.dir) =>
  repo.hook({ session_id: sid, hook_event_name: "PreToolUse", cwd, tool_name: "Bash", tool_input: { command } }, {}, cwd);
const contextOf = (r: HookRun) => String((r.json?.hookSpecificOutput as { additionalContext?: string } | undefined)?.additionalContext ?? "");

/** The state, in a repository with a linked worktree next to it. */
function world(): { repo: Repo; wt: string } {
  const repo = tempRepo();
  repo.write("src/api/x.ts", "x v1\n");
  repo.write("src/lib.ts", "lib v1\n");
  repo.write("f.txt", "f v1\n");
  repo.write("b.txt", "b v1\n");
  repo.write("w.txt", "w v1\n");
  repo.git("add", "-A");
  repo.git("commit", "-qm", "base");
  const wt = join(dirname(repo.dir), "repo-wt");
  repo.git("worktree", "add", "-q", "-b", "wt", wt);
  const id = repo.bead("API rework", "Files: src/api/");
  repo.claim(id, ME_A);
  edit(repo, SID_A, "f.txt", "f v2 by A\n");
  edit(repo, SID_B, "b.txt", "b v2 by B\n");
  edit(repo, SID_C, "w.txt", "w v2 by C in the worktree\n", wt);
  return { repo, wt };
}

describe("B's commands that would change others' work are refused", () => {
  const { repo, wt } = world();
  symlinkSync("src/api/new.ts", join(repo.dir, "dangling"));
  writeFileSync(join(repo.dir, "api.patch"), "diff --git a/src/api/x.ts b/src/api/x.ts\n--- a/src/api/x.ts\n+++ b/src/api/x.ts\n@@ -1 +1 @@\n-x v1\n+x v2\n");
  const refused: [string, RegExp, string?][] = [
    // Other checkouts of the same repository.
    ["echo x > ../repo-wt/src/api/x.ts", /src\/api\/x\.ts/],
    ["rm -rf ../repo-wt", /repo-wt holds another's uncommitted work/],
    ["git -C ../repo-wt reset --hard", /refused git reset --hard/],
    ["cd ../repo-wt && git stash", /refused git stash/],
    ["git -C ../repo-wt checkout -- .", /w\.txt/],
    ["git worktree remove --force ../repo-wt", /refused git worktree remove --force/],
    ["git --work-tree=../repo-wt --git-dir=.git/worktrees/repo-wt checkout -- .", /w\.txt/],
    ["rm -f ../repo/src/api/x.ts", /src\/api\/x\.ts/, "wt"],
    // Quoting and expansion.
    ["echo x > $'src/api/x\\x2ets'", /src\/api\/x\.ts/],
    ["tee src/api/{w..y}.ts < /dev/null", /src\/api\/[wxy]\.ts/],
    ["echo x > dangling", /src\/api\/new\.ts/],
    // Shell option parsing and nesting.
    ['bash -c -- "echo x > src/api/x.ts"', /src\/api\/x\.ts/],
    ['bash -c -e "rm src/api/x.ts"', /src\/api\/x\.ts/],
    ['bash -O extglob -c "rm src/api/x.ts"', /src\/api\/x\.ts/],
    ['bash --rcfile /dev/null -c "rm src/api/x.ts"', /src\/api\/x\.ts/],
    ["((rm src/api/x.ts) )", /src\/api\/x\.ts/],
    // Writers.
    ["git read-tree -u --reset HEAD", /refused git read-tree -u --reset/],
    ["git checkout-index -f -a", /f\.txt/],
    ["patch src/api/x.ts fix.diff", /src\/api\/x\.ts/],
    ["git apply api.patch", /refused Bash \(git apply\) of src\/api\/x\.ts/],
    ["patch -p1 < api.patch", /refused Bash \(patch\) of src\/api\/x\.ts/],
    ["patch -p1 <<'EOF'\n--- a/src/api/x.ts\n+++ b/src/api/x.ts\n@@ -1 +1 @@\n-x v1\n+x v2\nEOF", /refused Bash \(patch\) of src\/api\/x\.ts/],
    ["rsync -a /tmp/ src/api/", /src\/api/],
    ["awk -i inplace '{print}' src/api/x.ts", /src\/api\/x\.ts/],
    ["sort -o src/api/x.ts src/api/x.ts", /src\/api\/x\.ts/],
    ["gzip src/api/x.ts", /src\/api\/x\.ts/],
    ["ed -s src/api/x.ts < /dev/null", /src\/api\/x\.ts/],
    ["ex -sc wq src/api/x.ts", /src\/api\/x\.ts/],
    ["vim -es -c wq src/api/x.ts", /src\/api\/x\.ts/],
    ["install -m 644 /etc/hostname src/api/x.ts", /src\/api\/x\.ts/],
    // Wrappers.
    ["setsid rm src/api/x.ts", /src\/api\/x\.ts/],
    ["ionice -c3 rm src/api/x.ts", /src\/api\/x\.ts/],
    ["flock /tmp/coord-lock rm src/api/x.ts", /src\/api\/x\.ts/],
    ["script -qc 'rm src/api/x.ts' /dev/null", /src\/api\/x\.ts/],
    ["busybox rm src/api/x.ts", /src\/api\/x\.ts/],
    ["ls | xargs sh -c 'rm src/api/x.ts'", /src\/api\/x\.ts/],
    ["find . -name x.ts -exec sh -c 'rm src/api/x.ts' \\;", /src\/api\/x\.ts/],
    // Sweeps with globs and pathspecs.
    ["git add *.txt && git commit -m all", /refused git add \*\.txt/],
    ["git commit -m x *.txt", /refused git commit \*\.txt/],
    ["git add '*.txt'", /f\.txt/],
    // One function or case no longer switches the check off.
    ["f() { :; }; git stash", /refused git stash/],
    ["case x in y) ;; esac; git reset --hard", /refused git reset --hard/],
    ["git reset --hard", /refused git reset --hard/],
  ];
  for (const [cmd, re, where] of refused) {
    test(`refuses ${cmd}${where ? " (from the worktree)" : ""}`, () => {
      const r = bash(repo, SID_B, cmd, where ? wt : repo.dir);
      expect(r.decision).toBe("deny");
      expect(r.reason).toMatch(re);
    }, 30_000);
  }

  test("a write through a hard link to a claimed file is refused, wherever the link is", () => {
    const outside = join(dirname(repo.dir), "x-hardlink.ts");
    linkSync(join(repo.dir, "src/api/x.ts"), outside);
    linkSync(join(repo.dir, "src/api/x.ts"), join(repo.dir, "x-inside.ts"));
    for (const cmd of [`echo x > ${outside}`, "sed -i s/x/y/ x-inside.ts"]) {
      const r = bash(repo, SID_B, cmd);
      expect(r.decision).toBe("deny");
      expect(r.reason).toMatch(/through a hard link\) of src\/api\/x\.ts/);
    }
  }, 30_000);
});

describe("what cannot be followed runs, and the model is told what to do", () => {
  const { repo } = world();
  const rows: [string, RegExp][] = [
    ["python3 -c 'import os; os.remove(\"src/api/x.ts\")'", /python3 -c/],
    ["node -e 'require(\"fs\").rmSync(\"src/api/x.ts\")'", /node -e/],
    ["bash ./tools/cleanup.sh", /bash \.\/tools\/cleanup\.sh/],
    ["echo x > $OUT", /\$OUT/],
    ["echo src/api/x.ts | xargs rm -f", /xargs rm/],
    ["git apply missing.patch", /git apply missing\.patch: the patch could not be read/],
    ["cat fix.patch | patch -p1", /patch: the files it changes are named inside the patch/],
    ["unzip -o a.zip", /unzip -o/],
    ["tar -xf a.tar", /tar -x/],
  ];
  test("a shell glob is expanded within bounds; past them the model is told how many files were checked", () => {
    for (let i = 0; i < 600; i++) repo.write(`gen/f${i}.txt`, "x\n");
    const r = bash(repo, SID_B, "rm gen/*.txt");
    expect(r.decision).toBe("allow");
    expect(contextOf(r)).toMatch(/gen\/\*\.txt \(rm\) reaches more of the file system than coord expands before it decides \(500 files checked\)/);
  }, 30_000);
  for (const [cmd, re] of rows) {
    test(cmd, () => {
      const r = bash(repo, SID_B, cmd);
      expect(r.decision).toBe("allow");
      const c = contextOf(r);
      expect(c).toMatch(re);
      expect(c).toContain("not checked");
      expect(c).toContain("claim them first");
      expect(c).toContain("ask their owner");
    }, 30_000);
  }
});

describe("a shell write into another checkout is journaled there", () => {
  test("A's echo into the worktree makes that file A's uncommitted work: B's Write of it is refused", () => {
    const { repo, wt } = world();
    writeFileSync(join(wt, "w2.txt"), "by A through the shell\n");
    repo.hook({ session_id: SID_A, hook_event_name: "PostToolUse", cwd: repo.dir, tool_name: "Bash", tool_input: { command: "echo 'by A through the shell' > ../repo-wt/w2.txt" }, tool_response: {} });
    const r = repo.hook({ session_id: SID_B, hook_event_name: "PreToolUse", cwd: wt, tool_name: "Write", tool_input: { file_path: join(wt, "w2.txt"), content: "B\n" } }, {}, wt);
    expect(r.decision).toBe("deny");
    expect(r.reason).toContain(ME_A);
  }, 60_000);
});

describe("no false refusals", () => {
  test("with nothing changed under A's claim and only B's own file dirty, B may restore, clean and reset its own", () => {
    const repo = tempRepo();
    repo.write("src/api/x.ts", "x v1\n");
    repo.write("b.txt", "b v1\n");
    repo.write(".gitignore", "*.log\n");
    repo.git("add", "-A");
    repo.git("commit", "-qm", "base");
    repo.claim(repo.bead("API rework", "Files: src/api/"), ME_A);
    edit(repo, SID_A, "notes/plan.md", "A's plan, outside git's view? no: untracked\n");
    repo.git("add", "notes/plan.md");
    repo.git("commit", "-qm", "A's plan");
    edit(repo, SID_A, "src/api/x.ts", "x v1\n"); // A is live; nothing changed under the claim
    edit(repo, SID_B, "b.txt", "b v2 by B\n");
    for (const cmd of ["git restore .", "git checkout -- .", "git clean -fd", "git clean -fdX", "git restore src", "git checkout -b topic", "git switch -c topic2"]) {
      const r = bash(repo, SID_B, cmd);
      expect({ cmd, decision: r.decision, reason: r.reason }).toEqual({ cmd, decision: "allow", reason: "" });
    }
  }, 60_000);

  const { repo } = world();
  // Harmless commands while A holds a claim and A, B and C have uncommitted work.
  const harmless = [
    "git status", "git status --short", "git diff", "git diff --cached", "git diff HEAD~0 -- src", "git log --oneline -5", "git log -p -1 -- f.txt",
    "git show HEAD", "git show HEAD:src/api/x.ts", "git branch -a", "git branch --show-current", "git stash list", "git stash show -p stash@{0} || true",
    "git remote -v", "git rev-parse HEAD", "git ls-files", "git blame src/api/x.ts", "git grep x", "git fetch --dry-run || true", "git tag -l",
    "git worktree list", "git add b.txt", "git add -- b.txt", "git commit -m 'B: b' -- b.txt", "git checkout -b feature", "git switch -c feature2",
    "git restore --staged b.txt", "git diff --stat", "git shortlog -s -n", "git config --get user.name", "git cat-file -p HEAD",
    "ls", "ls -la src/api", "cat src/api/x.ts", "head -5 f.txt", "tail -n 3 f.txt", "wc -l src/api/x.ts", "grep -rn x src", "rg x src || true",
    "find . -name '*.ts'", "find src -type f | sort", "tree -L 2 || true", "stat f.txt", "file f.txt", "du -sh src", "pwd", "whoami", "date", "env | sort",
    "echo hello", "printf '%s\\n' a b", "echo x > /tmp/coord-harmless.txt", "echo x >> /tmp/coord-harmless.log 2>&1", "bun test > /tmp/coord-test-out.txt 2>&1 || true",
    "npm test 2>&1 | tee /tmp/coord-npm.log", "cp src/api/x.ts /tmp/x-copy.ts", "cp -r src/api /tmp/api-copy", "rsync -a src/api/ /tmp/api-rsync/",
    "tar -czf /tmp/api.tgz src/api", "zip -r /tmp/api.zip src", "diff src/api/x.ts /tmp/x-copy.ts || true", "sort f.txt | uniq -c", "awk '{print $1}' f.txt",
    "sed -n 1p f.txt", "sed 's/x/y/' src/api/x.ts > /tmp/x-sed.ts", "jq . package.json || true", "python3 -m json.tool package.json || true",
    "mkdir -p /tmp/coord-h && touch /tmp/coord-h/a", "rm -rf /tmp/coord-h", "echo b v3 > b.txt", "sed -i s/b/B/ b.txt", "touch new-by-b.txt",
    "which git", "type git", "command -v bd", "bd list --status=in_progress || true", "bd ready || true", "coord status || true",
    "(cd src && ls)", "cd src && cat api/x.ts", "for f in src/api/*.ts; do wc -l $f; done", "if [ -f f.txt ]; then echo yes; fi",
    "test -d src && echo dir", "[[ -n x ]] && echo y", "x=$(git rev-parse HEAD); echo $x", "echo $(( 1 + 2 ))", "true && false || true",
    "git log --format=%H -1 > /tmp/coord-head.txt", "gzip -c f.txt > /tmp/f.gz", "curl -s -o /tmp/coord-page.html http://127.0.0.1:9 || true",
  ];
  test(`${harmless.length} harmless commands are allowed while others hold claims and uncommitted work`, () => {
    expect(harmless.length).toBeGreaterThanOrEqual(70);
    const refused = harmless.map((cmd) => ({ cmd, r: bash(repo, SID_B, cmd) })).filter((x) => x.r.decision !== "allow").map((x) => `${x.cmd}: ${x.r.reason.split("\n")[0]}`);
    expect(refused).toEqual([]);
  }, 300_000);
});

describe("committing side by side", () => {
  const repo = tempRepo();
  repo.write("a.txt", "a v1\n");
  repo.write("b.txt", "b v1\n");
  repo.git("add", "-A");
  repo.git("commit", "-qm", "base");
  edit(repo, SID_A, "a.txt", "a v2 by A\n");
  repo.git("add", "a.txt"); // A staged its file, not committed yet
  edit(repo, SID_B, "b.txt", "b v2 by B\n");

  test("B's plain git commit would take A's staged file: refused, with the commit that takes only B's paths", () => {
    const r = bash(repo, SID_B, "git add b.txt && git commit -m 'B: b'");
    expect(r.decision).toBe("deny");
    expect(r.reason).toContain("a.txt");
    expect(r.reason).toContain('git commit -m "<message>" -- b.txt');
  }, 30_000);

  test("git commit -- <own paths> is judged by what it takes: allowed, and A's staged file stays out of it", () => {
    expect(bash(repo, SID_B, "git commit -m 'B: b' -- b.txt").decision).toBe("allow");
    repo.git("commit", "-qm", "B: b", "--", "b.txt");
    expect(repo.git("show", "--name-only", "--format=", "HEAD")).toBe("b.txt");
    expect(repo.git("diff", "--cached", "--name-only")).toBe("a.txt");
  }, 30_000);

  test("naming another session's file in the commit is refused", () => {
    const r = bash(repo, SID_B, "git commit -m 'B: more' -- a.txt");
    expect(r.decision).toBe("deny");
    expect(r.reason).toContain(ME_A);
  }, 30_000);
});
