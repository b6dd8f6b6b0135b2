// coord wt against real git (and the real bd for claims), through the compiled binary.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { existsSync, lstatSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { ME_A, type Repo, SID_A, SID_B, cleanupAll, must, sh, tempDir, tempRepo } from "../support/world";

afterAll(cleanupAll);

/** A repository with one commit: two text files and what bd init staged. */
function world(): Repo {
  const repo = tempRepo();
  repo.write("a.txt", "one\ntwo\nthree\nfour\nfive\n");
  repo.write("b.txt", "bee\n");
  repo.git("add", "-A");
  repo.git("commit", "-qm", "initial");
  return repo;
}

const wtPath = (repo: Repo, name: string) => `${repo.dir}-${name}`;
const inWt = (repo: Repo, name: string, ...args: string[]) => must(sh(["git", ...args], wtPath(repo, name), repo.env), `git ${args.join(" ")}`).trim();
const writeIn = (dir: string, rel: string, text: string) => writeFileSync(join(dir, rel), text);

function newWt(repo: Repo, name: string, extra: string[] = []) {
  const r = repo.coord(["wt", "new", name, ...extra]);
  if (r.code !== 0) throw new Error(`wt new ${name}: ${r.stderr}${r.stdout}`);
  return r;
}

/** Every ref, every checkout's index entries and every working file (outside .git and .beads), hashed with its mtime. */
function fingerprint(repo: Repo): Record<string, string> {
  const out: Record<string, string> = {};
  out.refs = repo.git("for-each-ref", "--format=%(objectname) %(refname)");
  const list = repo.git("worktree", "list", "--porcelain");
  out.worktrees = list;
  const roots = list
    .split("\n")
    .filter((l) => l.startsWith("worktree "))
    .map((l) => l.slice(9));
  for (const root of roots) {
    out[`index:${root}`] = must(sh(["git", "ls-files", "-s"], root, repo.env), "ls-files");
    out[`head:${root}`] = must(sh(["git", "rev-parse", "HEAD"], root, repo.env), "rev-parse");
    const walk = (dir: string) => {
      for (const n of readdirSync(dir)) {
        const p = join(dir, n);
        // bd's own database changes when wt list reads the claims: not work anyone could lose.
        if (n === ".git" || (n === ".beads" && dir === root)) continue;
        const st = lstatSync(p);
        if (st.isDirectory()) walk(p);
        else out[`${root}:${relative(root, p)}`] = `${st.mode} ${st.mtimeMs} ${createHash("sha1").update(readFileSync(p)).digest("hex")}`;
      }
    };
    walk(root);
  }
  return out;
}

describe("wt new", () => {
  let repo!: Repo;
  let r!: ReturnType<typeof newWt>;
  let dir!: string;
  beforeAll(() => {
    repo = world();
    repo.write(".gitignore", ".env\n*.local\n");
    repo.write(".worktreeinclude", ".env\nconfig/*.local\n");
    repo.git("add", ".gitignore", ".worktreeinclude");
    repo.git("commit", "-qm", "ignore rules");
    repo.write(".env", "SECRET=1\n");
    repo.write("config/dev.local", "x\n");
    repo.write("notes.txt", "untracked, not ignored, not included\n");
    repo.write(".claude/settings.local.json", '{"permissions":{}}\n');
    r = newWt(repo, "api");
    dir = wtPath(repo, "api");
  });

  test("makes ../<repo>-<name> on branch work/<name> from the main branch and prints the next commands", () => {
    expect(inWt(repo, "api", "symbolic-ref", "HEAD")).toBe("refs/heads/work/api");
    expect(inWt(repo, "api", "rev-parse", "HEAD")).toBe(repo.git("rev-parse", "main"));
    expect(r.stdout).toContain(`cd ${dir}`);
    expect(r.stdout.trim().endsWith("claude")).toBe(true);
  });

  test("copies the local settings and the ignored files .worktreeinclude names, nothing else", () => {
    expect(readFileSync(join(dir, ".env"), "utf8")).toBe("SECRET=1\n");
    expect(readFileSync(join(dir, "config/dev.local"), "utf8")).toBe("x\n");
    expect(readFileSync(join(dir, ".claude/settings.local.json"), "utf8")).toContain("permissions");
    expect(existsSync(join(dir, "notes.txt"))).toBe(false);
  });

  test("gives it a git-ignored test-database folder, so the new worktree is clean", () => {
    expect(statSync(join(dir, ".coord/db")).isDirectory()).toBe(true);
    writeFileSync(join(dir, ".coord/db/test.sqlite"), "db");
    expect(inWt(repo, "api", "status", "--porcelain", "--untracked-files=all")).toBe("");
    // No tracked file was changed to ignore it.
    expect(repo.git("status", "--porcelain", "--", ".gitignore")).toBe("");
  });

  test("wt env prints its COORD_DB_DIR", () => {
    const e = repo.coord(["wt", "env", "api"]);
    expect(e.code).toBe(0);
    expect(e.stdout.trim()).toBe(`export COORD_DB_DIR=${join(dir, ".coord/db")}`);
  });

  test("the SessionStart hook in the worktree exports that folder as COORD_DB_DIR", () => {
    const envFile = join(tempDir(), "claude-env");
    writeFileSync(envFile, "");
    repo.hook({ session_id: SID_A, hook_event_name: "SessionStart", cwd: dir, source: "startup" }, { CLAUDE_ENV_FILE: envFile }, dir);
    expect(readFileSync(envFile, "utf8")).toContain(`export COORD_DB_DIR='${join(dir, ".coord/db")}'`);
  });

  test("never overwrites an existing folder or branch", () => {
    const before = fingerprint(repo);
    const again = repo.coord(["wt", "new", "api"]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("already exists");
    repo.git("branch", "work/taken");
    const taken = repo.coord(["wt", "new", "taken"]);
    expect(taken.stderr).toContain("the branch work/taken already exists");
    expect(existsSync(wtPath(repo, "taken"))).toBe(false);
    repo.git("branch", "-D", "work/taken");
    expect(fingerprint(repo)).toEqual(before);
  });

  test("refuses names git or the filesystem would reject, with the reason", () => {
    for (const [bad, why] of [
      ["has space", "a space"],
      ["a/b", '"/"'],
      ["x.lock", ".lock"],
      ["..", '".."'],
    ] as const) {
      const b = repo.coord(["wt", "new", bad]);
      expect(b.code).toBe(1);
      expect(b.stderr).toContain(why);
    }
  });

  test("--from starts from another branch", () => {
    repo.git("branch", "release", "HEAD~1");
    newWt(repo, "fix", ["--from", "release"]);
    expect(inWt(repo, "fix", "rev-parse", "HEAD")).toBe(repo.git("rev-parse", "release"));
  });
});

describe("wt done refuses and changes nothing", () => {
  test("when the worktree has uncommitted changes, listing them", () => {
    const repo = world();
    newWt(repo, "api");
    writeIn(wtPath(repo, "api"), "a.txt", "changed\n");
    writeIn(wtPath(repo, "api"), "new.txt", "new\n");
    const before = fingerprint(repo);
    const r = repo.coord(["wt", "done", "api"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("uncommitted changes");
    expect(r.stderr).toContain("modified: a.txt");
    expect(r.stderr).toContain("untracked: new.txt");
    expect(fingerprint(repo)).toEqual(before);
  });

  test("when the merge would conflict: conflicting files listed, every ref and file as it was", () => {
    const repo = world();
    newWt(repo, "api");
    writeIn(wtPath(repo, "api"), "a.txt", "one\nTWO from api\nthree\nfour\nfive\n");
    inWt(repo, "api", "commit", "-qam", "api edits line 2");
    repo.write("a.txt", "one\nTWO from main\nthree\nfour\nfive\n");
    repo.git("commit", "-qam", "main edits line 2");
    repo.write("b.txt", "someone's uncommitted work\n");
    const before = fingerprint(repo);
    const r = repo.coord(["wt", "done", "api"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("would conflict");
    expect(r.stderr).toContain("conflict in a.txt");
    expect(r.stderr).toContain("nothing was changed");
    expect(fingerprint(repo)).toEqual(before);
    expect(repo.git("for-each-ref", "refs/coord")).toBe("");
  });

  test("when the main checkout has uncommitted changes in a file the merge changes", () => {
    const repo = world();
    newWt(repo, "api");
    writeIn(wtPath(repo, "api"), "a.txt", "api\n");
    inWt(repo, "api", "commit", "-qam", "api");
    repo.write("a.txt", "main session's unsaved work\n");
    const before = fingerprint(repo);
    const r = repo.coord(["wt", "done", "api"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("files the merge changes");
    expect(r.stderr).toContain("modified: a.txt");
    expect(fingerprint(repo)).toEqual(before);
  });

  test("when an untracked file in the main checkout sits where the merge adds one", () => {
    const repo = world();
    newWt(repo, "api");
    writeIn(wtPath(repo, "api"), "c.txt", "from api\n");
    inWt(repo, "api", "add", "c.txt");
    inWt(repo, "api", "commit", "-qm", "add c");
    repo.write("c.txt", "main's own untracked c\n");
    const before = fingerprint(repo);
    expect(repo.coord(["wt", "done", "api"]).code).toBe(1);
    expect(fingerprint(repo)).toEqual(before);
  });
});

describe("wt done merges", () => {
  test("fast-forward: main moves to the tip, the backup ref keeps it, worktree, branch and test databases go", () => {
    const repo = world();
    newWt(repo, "api");
    const dir = wtPath(repo, "api");
    writeIn(dir, "a.txt", "api\n");
    inWt(repo, "api", "commit", "-qam", "api");
    writeIn(dir, ".coord/db/test.db", "test data\n");
    writeIn(dir, "cache.db", "ignored by bd's *.db rule\n");
    const tip = inWt(repo, "api", "rev-parse", "HEAD");
    const r = repo.coord(["wt", "done", "api"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("fast-forward");
    // Ignored files go with the worktree, and are named; the test databases are expected to go.
    expect(r.stdout).toContain("with the files git ignores there: cache.db");
    expect(r.stdout).not.toContain("test.db");
    expect(repo.git("rev-parse", "main")).toBe(tip);
    expect(repo.git("rev-parse", "refs/coord/backup/api")).toBe(tip);
    expect(readFileSync(repo.path("a.txt"), "utf8")).toBe("api\n");
    expect(existsSync(dir)).toBe(false);
    expect(repo.git("branch", "--list", "work/api")).toBe("");
    expect(repo.git("worktree", "list", "--porcelain")).not.toContain(dir);
    expect(repo.git("status", "--porcelain", "--", "a.txt")).toBe("");
  });

  test("merge commit: both parents, both sides' work, and the main checkout's unrelated uncommitted work untouched", () => {
    const repo = world();
    newWt(repo, "api");
    writeIn(wtPath(repo, "api"), "a.txt", "one\ntwo\nthree\nfour\nFIVE from api\n");
    inWt(repo, "api", "commit", "-qam", "api edits line 5");
    const tip = inWt(repo, "api", "rev-parse", "HEAD");
    repo.write("a.txt", "ONE from main\ntwo\nthree\nfour\nfive\n");
    repo.git("commit", "-qam", "main edits line 1");
    const mainBefore = repo.git("rev-parse", "main");
    // Another session in the main checkout: unstaged, staged and untracked work in other files.
    repo.write("b.txt", "unstaged edit\n");
    repo.write("staged.txt", "staged\n");
    repo.git("add", "staged.txt");
    repo.write("scratch.txt", "untracked\n");
    const keep = ["b.txt", "staged.txt", "scratch.txt"].map((f) => [f, statSync(repo.path(f)).mtimeMs, readFileSync(repo.path(f), "utf8")]);
    const r = repo.coord(["wt", "done", "api"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("merged (merge)");
    expect(repo.git("rev-list", "--parents", "-n1", "main").split(" ").slice(1)).toEqual([mainBefore, tip]);
    expect(readFileSync(repo.path("a.txt"), "utf8")).toBe("ONE from main\ntwo\nthree\nfour\nFIVE from api\n");
    for (const [f, mtime, text] of keep) {
      expect(readFileSync(repo.path(f as string), "utf8")).toBe(text as string);
      expect(statSync(repo.path(f as string)).mtimeMs).toBe(mtime as number);
    }
    expect(repo.git("diff", "--cached", "--name-only")).toBe("staged.txt");
    expect(repo.git("status", "--porcelain", "--", "a.txt")).toBe("");
    expect(repo.git("rev-parse", "refs/coord/backup/api")).toBe(tip);
  });

  test("new, done, new, done with another session's uncommitted change in main kept all along", () => {
    const repo = world();
    repo.write("b.txt", "the other session's work in progress\n");
    for (const round of [1, 2]) {
      newWt(repo, "api");
      writeIn(wtPath(repo, "api"), `round${round}.txt`, `round ${round}\n`);
      inWt(repo, "api", "add", "-A");
      inWt(repo, "api", "commit", "-qm", `round ${round}`);
      // Main moves on meanwhile (round 2 takes the merge-commit path).
      if (round === 2) {
        repo.write("main2.txt", "main\n");
        repo.git("add", "main2.txt");
        repo.git("commit", "-qm", "main meanwhile");
      }
      const r = repo.coord(["wt", "done", "api"]);
      expect(r.code).toBe(0);
      expect(existsSync(wtPath(repo, "api"))).toBe(false);
    }
    expect(readFileSync(repo.path("b.txt"), "utf8")).toBe("the other session's work in progress\n");
    expect(repo.git("status", "--porcelain", "--untracked-files=no")).toBe("M b.txt");
    expect(repo.git("log", "--format=%s", "main")).toContain("round 1");
    expect(repo.git("log", "--format=%s", "main")).toContain("round 2");
    expect(readFileSync(repo.path("round1.txt"), "utf8")).toBe("round 1\n");
    expect(readFileSync(repo.path("round2.txt"), "utf8")).toBe("round 2\n");
    expect(readFileSync(repo.path("main2.txt"), "utf8")).toBe("main\n");
  });
});

describe("wt rm", () => {
  test("removes a worktree whose work is all in main", () => {
    const repo = world();
    newWt(repo, "spike");
    const r = repo.coord(["wt", "rm", "spike"]);
    expect(r.code).toBe(0);
    expect(existsSync(wtPath(repo, "spike"))).toBe(false);
    expect(repo.git("branch", "--list", "work/spike")).toBe("");
  });

  test("refuses when work would be lost; --force keeps it in the backup ref, restorable with wt new --from", () => {
    const repo = world();
    newWt(repo, "spike");
    const dir = wtPath(repo, "spike");
    writeIn(dir, "a.txt", "committed spike\n");
    inWt(repo, "spike", "commit", "-qam", "spike");
    writeIn(dir, "wip.txt", "uncommitted spike\n");
    const before = fingerprint(repo);
    const r = repo.coord(["wt", "rm", "spike"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("untracked: wip.txt");
    expect(r.stderr).toContain("not in main");
    expect(fingerprint(repo)).toEqual(before);

    const f = repo.coord(["wt", "rm", "spike", "--force"]);
    expect(f.code).toBe(0);
    expect(f.stdout).toContain("coord wt new spike --from refs/coord/backup/spike");
    expect(existsSync(dir)).toBe(false);
    newWt(repo, "spike", ["--from", "refs/coord/backup/spike"]);
    expect(readFileSync(join(dir, "a.txt"), "utf8")).toBe("committed spike\n");
    expect(readFileSync(join(dir, "wip.txt"), "utf8")).toBe("uncommitted spike\n");
  });
});

describe("conflicts before they happen", () => {
  let repo!: Repo;
  let before!: Record<string, string>;
  beforeAll(() => {
    repo = world();
    newWt(repo, "api");
    newWt(repo, "web");
    // api committed a change to line 2; web has the same line changed but not committed.
    writeIn(wtPath(repo, "api"), "a.txt", "one\nTWO api\nthree\nfour\nfive\n");
    inWt(repo, "api", "commit", "-qam", "api");
    writeIn(wtPath(repo, "web"), "a.txt", "one\nTWO web\nthree\nfour\nfive\n");
    // web also adds a file nobody else has.
    writeIn(wtPath(repo, "web"), "c.txt", "web\n");
    before = fingerprint(repo);
  });

  test("wt list --json predicts the conflict between two worktrees before either merges", () => {
    const r = repo.coord(["wt", "list", "--json"]);
    expect(r.code).toBe(0);
    const v = JSON.parse(r.stdout);
    const pair = v.conflicts.find((p: { a: string; b: string }) => p.a === "api" && p.b === "web");
    expect(pair).toEqual({ a: "api", b: "web", wouldConflict: ["a.txt"], bothTouched: [] });
    const web = v.worktrees.find((w: { name: string }) => w.name === "web");
    expect(web).toMatchObject({ branch: "refs/heads/work/web", ahead: 0, behind: 0, uncommitted: 2, coordMade: true });
    expect(v.worktrees.find((w: { name: string }) => w.name === "api")).toMatchObject({ ahead: 1, uncommitted: 0 });
  });

  test("coord status shows the same prediction, in text and in --json", () => {
    const j = JSON.parse(repo.coord(["status", "--json"]).stdout);
    expect(j.worktreeOverlaps).toContainEqual({ a: "api", b: "web", wouldConflict: ["a.txt"], bothTouched: [] });
    expect(repo.coord(["status"]).stdout).toContain("api <> web: WOULD CONFLICT in a.txt");
  });

  test("predicting touched nothing: no ref, index or file changed", () => {
    expect(fingerprint(repo)).toEqual(before);
  });

  test("a file both changed in ways that merge cleanly is 'both touched'", () => {
    writeIn(wtPath(repo, "web"), "a.txt", "one\ntwo\nthree\nfour\nFIVE web\n");
    const v = JSON.parse(repo.coord(["wt", "list", "--json"]).stdout);
    expect(v.conflicts.find((p: { a: string; b: string }) => p.a === "api" && p.b === "web")).toEqual({ a: "api", b: "web", wouldConflict: [], bothTouched: ["a.txt"] });
  });

  test("the text listing shows every worktree and the overlap", () => {
    writeIn(wtPath(repo, "web"), "a.txt", "one\nTWO web\nthree\nfour\nfive\n");
    const r = repo.coord(["wt", "list"]);
    expect(r.stdout).toContain("work/api");
    expect(r.stdout).toContain("api <> web: WOULD CONFLICT in a.txt");
  });

  test("the edit guard warns (does not refuse) when a session edits a file another worktree changed", () => {
    const h = repo.hook({ session_id: SID_B, hook_event_name: "PreToolUse", cwd: repo.dir, tool_name: "Edit", tool_input: { file_path: repo.path("a.txt") } });
    expect(h.decision).toBe("allow");
    const msg = String(h.json?.systemMessage ?? "");
    expect(msg).toContain("worktree api");
    expect(msg).toContain("worktree web");
    const quiet = repo.hook({ session_id: SID_B, hook_event_name: "PreToolUse", cwd: repo.dir, tool_name: "Edit", tool_input: { file_path: repo.path("b.txt") } });
    expect(quiet.stdout).toBe("");
  });

  test("an edit through Claude's tools in one worktree is seen by the next edit in another at once", () => {
    const api = wtPath(repo, "api");
    const first = repo.hook({ session_id: SID_A, hook_event_name: "PreToolUse", cwd: api, tool_name: "Write", tool_input: { file_path: join(api, "d.txt") } }, {}, api);
    expect(first.stdout).toBe("");
    const web = wtPath(repo, "web");
    const second = repo.hook({ session_id: SID_B, hook_event_name: "PreToolUse", cwd: web, tool_name: "Write", tool_input: { file_path: join(web, "d.txt") } }, {}, web);
    expect(second.decision).toBe("allow");
    expect(String(second.json?.systemMessage ?? "")).toContain("worktree api");
  });
});

describe("wt list", () => {
  test("lists worktrees made by plain git worktree add, with the claims of sessions working there", () => {
    const repo = world();
    const other = join(tempDir(), "elsewhere");
    repo.git("worktree", "add", "-q", "-b", "hotfix", other);
    const id = repo.bead("Fix the bug", "Files: a.txt");
    repo.claim(id, ME_A);
    repo.hook({ session_id: SID_A, hook_event_name: "SessionStart", cwd: other, source: "startup" }, {}, other);
    const v = JSON.parse(repo.coord(["wt", "list", "--json"]).stdout);
    const row = v.worktrees.find((w: { path: string }) => w.path === other);
    expect(row).toMatchObject({ name: "elsewhere", branch: "refs/heads/hotfix", sessions: [ME_A], coordMade: false });
    expect(row.claims.map((c: { id: string }) => c.id)).toEqual([id]);
    expect(v.worktrees[0]).toMatchObject({ name: "main", main: true });
  }, 60_000);
});
