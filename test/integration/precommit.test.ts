// The commit gate: the pre-commit hook coord installs, run by real `git commit`.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { installGitHooks } from "../../src/edges/githooks";
import { findRepo } from "../../src/edges/repo";
import { COORD, ME_A, ME_B, SID_A, type Repo, cleanupAll, sh, tempDir, tempRepo } from "../support/world";

afterAll(cleanupAll);

function edit(repo: Repo, sid: string, file: string, content: string) {
  repo.write(file, content);
  return repo.hook({ session_id: sid, hook_event_name: "PostToolUse", cwd: repo.dir, tool_name: "Write", tool_input: { file_path: repo.path(file), content }, tool_response: {} });
}
const commit = (repo: Repo, env: Record<string, string> = {}, ...extra: string[]) => sh(["git", "commit", "-qm", "change", ...extra], repo.dir, { ...repo.env, ...env });
const headHas = (repo: Repo, file: string) => sh(["git", "cat-file", "-e", `HEAD:${file}`], repo.dir, repo.env).code === 0;

function gatedRepo(beads = false): Repo {
  const repo = tempRepo({ beads });
  repo.write("README.md", "base\n");
  repo.git("add", "README.md");
  repo.git("commit", "-qm", "base");
  const r = findRepo(repo.dir);
  if (!r) throw new Error("no repo");
  installGitHooks(r, [COORD]);
  return repo;
}

describe("a commit of a file another live session is editing", () => {
  let repo!: Repo;
  beforeAll(() => {
    repo = gatedRepo();
    edit(repo, SID_A, "a.ts", "A's work\n");
    repo.git("add", "a.ts");
  });

  test("is refused with the card, and nothing is committed", () => {
    const r = commit(repo);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("refused commit of a.ts");
    expect(r.stderr).toContain(ME_A);
    expect(r.stderr).toContain("git commit --no-verify");
    expect(headHas(repo, "a.ts")).toBe(false);
  });

  test("is allowed for the session itself (its Bash commands carry its session id)", () => {
    const r = commit(repo, { CLAUDE_CODE_SESSION_ID: SID_A });
    expect(r.code).toBe(0);
    expect(headHas(repo, "a.ts")).toBe(true);
  });

  test("can be bypassed deliberately with COORD_SKIP=1 or --no-verify", () => {
    edit(repo, SID_A, "a.ts", "A's work, v2\n");
    repo.git("add", "a.ts");
    expect(commit(repo).code).not.toBe(0);
    expect(commit(repo, { COORD_SKIP: "1" }).code).toBe(0);
    edit(repo, SID_A, "a.ts", "A's work, v3\n");
    repo.git("add", "a.ts");
    expect(commit(repo, {}, "--no-verify").code).toBe(0);
  });
});

describe("a commit of a file claimed by another session", () => {
  let repo!: Repo;
  let id!: string;
  beforeAll(() => {
    repo = gatedRepo(true);
    id = repo.bead("Own the API", "Files: api/");
    repo.claim(id, ME_A);
    repo.write("api/x.ts", "x\n");
    repo.git("add", "api/x.ts");
  });

  test("is refused for B, naming the bead", () => {
    const r = commit(repo, { COORD_IDENTITY: ME_B });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(id);
  });

  test("is allowed for the claim's owner", () => {
    expect(commit(repo, { COORD_IDENTITY: ME_A }).code).toBe(0);
  });
});

describe("installing the hook", () => {
  test("chains an existing pre-commit hook, which still runs first and can still refuse", () => {
    const repo = tempRepo({ beads: false });
    repo.write("README.md", "x\n");
    const hooks = join(repo.dir, ".git", "hooks");
    const marker = join(repo.dir, "..", "chained-ran");
    writeFileSync(join(hooks, "pre-commit"), `#!/bin/sh\necho ran > '${marker}'\n[ -e '${join(repo.dir, "..", "block")}' ] && exit 3\nexit 0\n`, { mode: 0o755 });
    const r = findRepo(repo.dir);
    if (!r) throw new Error("no repo");
    const res = installGitHooks(r, [COORD]);
    expect(res).toEqual({ path: join(hooks, "pre-commit"), chained: true });
    expect(readFileSync(join(hooks, "pre-commit"), "utf8")).toContain("coord pre-commit hook");
    repo.git("add", "README.md");
    expect(commit(repo).code).toBe(0);
    expect(existsSync(marker)).toBe(true);
    writeFileSync(join(repo.dir, "..", "block"), "");
    repo.write("README.md", "y\n");
    repo.git("add", "README.md");
    expect(commit(repo).code).not.toBe(0);
    expect(repo.git("show", "HEAD:README.md")).toBe("x");
    // Installing again keeps one chained hook and one coord hook.
    expect(installGitHooks(r, [COORD]).chained).toBe(true);
    expect(readFileSync(join(hooks, "pre-commit.coord-chained"), "utf8")).toContain("echo ran");
  });

  test("respects core.hooksPath", () => {
    const repo = tempRepo({ beads: false });
    repo.git("config", "core.hooksPath", ".githooks");
    const r = findRepo(repo.dir);
    if (!r) throw new Error("no repo");
    const res = installGitHooks(r, [COORD]);
    expect(res.path).toBe(join(repo.dir, ".githooks", "pre-commit"));
    expect(res.chained).toBe(false);
    expect(statSync(res.path).mode & 0o111).not.toBe(0);
    edit(repo, SID_A, "a.ts", "A\n");
    repo.git("add", "a.ts");
    expect(commit(repo).code).not.toBe(0);
  });
});

describe("a repository where bd installed its own git hooks", () => {
  test("gets the gate in bd's hooks folder, with bd's pre-commit chained before it", () => {
    const repo = tempRepo({ beads: false });
    // A plain `bd init` (no --skip-hooks) points core.hooksPath at .beads/hooks.
    const init = sh(["bd", "init", "--prefix", "h", "--quiet", "--skip-agents", "--non-interactive"], repo.dir, repo.env);
    expect(init.code, init.stderr).toBe(0);
    expect(repo.git("config", "--get", "core.hooksPath")).toEndWith(".beads/hooks");
    const bdHook = readFileSync(repo.path(".beads/hooks/pre-commit"), "utf8");
    const r = sh([COORD, "init", "--git-hooks", "--skip-hooks"], repo.dir, repo.env);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(repo.path(".beads/hooks/pre-commit"), "utf8")).toContain("# coord pre-commit hook");
    expect(readFileSync(repo.path(".beads/hooks/pre-commit.coord-chained"), "utf8")).toBe(bdHook);
    repo.write("a.txt", "x\n");
    repo.git("add", "a.txt");
    expect(commit(repo).code).toBe(0);
    expect(headHas(repo, "a.txt")).toBe(true);
  });
});

describe("committing side by side through the gate", () => {
  const repo = gatedRepo();
  edit(repo, SID_A, "a.ts", "A's work\n");
  repo.git("add", "a.ts"); // A staged its file and has not committed yet
  repo.write("b.ts", "B's work\n");
  repo.git("add", "b.ts");

  test("B's plain commit would take A's staged file: refused", () => {
    const r = commit(repo, { COORD_IDENTITY: ME_B });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("refused commit of a.ts");
  }, 30_000);

  test("B's commit of its own paths (git commit -- b.ts) is judged by what it takes: allowed, and a.ts stays staged for A", () => {
    const r = commit(repo, { COORD_IDENTITY: ME_B }, "--", "b.ts");
    expect(r.code).toBe(0);
    expect(sh(["git", "show", "--name-only", "--format=", "HEAD"], repo.dir, repo.env).stdout.trim()).toBe("b.ts");
    expect(sh(["git", "diff", "--cached", "--name-only"], repo.dir, repo.env).stdout.trim()).toBe("a.ts");
  }, 30_000);

  test("and A's own commit of its paths goes through too", () => {
    expect(commit(repo, { CLAUDE_CODE_SESSION_ID: SID_A }, "--", "a.ts").code).toBe(0);
    expect(headHas(repo, "a.ts")).toBe(true);
  }, 30_000);
});

// bd as a busy machine runs it: the real bd, answering `seconds` late (test/integration/load.test.ts
// plays the same machine for the edit guards).
function slowBd(seconds: number): string {
  const path = join(tempDir("coord-slowbd-"), "bd");
  writeFileSync(path, `#!/bin/sh\nsleep ${seconds}\nexec '${Bun.which("bd", { PATH: process.env.PATH ?? "" })}' "$@"\n`);
  chmodSync(path, 0o755);
  return path;
}

describe("a commit while bd answers after the gate's budget and the database changed", () => {
  /** A holds api/; the gate read the claims once; then B claimed db/schema.sql. */
  function claimedBehindTheSnapshot() {
    const repo = gatedRepo(true);
    const api = repo.bead("Own the API", "Files: api/");
    repo.claim(api, ME_A);
    repo.write("warm.txt", "x\n");
    repo.git("add", "warm.txt");
    expect(commit(repo, { COORD_IDENTITY: ME_A, COORD_REFRESH_BUDGET_MS: "30000" }).code).toBe(0);
    expect(readFileSync(join(repo.dir, ".git", "coord", "claims.json"), "utf8")).toContain(api);
    const schema = repo.bead("Schema", "Files: db/schema.sql");
    repo.claim(schema, ME_B);
    const busy = { COORD_BD: slowBd(3), COORD_REFRESH_BUDGET_MS: "400" };
    return { repo, api, schema, busy };
  }
  const refreshEnds = async (repo: Repo) => {
    const lock = join(repo.dir, ".git", "coord", "refresh.lock");
    for (const t0 = Date.now(); existsSync(lock) && Date.now() - t0 < 30_000; ) await Bun.sleep(50);
    expect(existsSync(lock)).toBe(false);
  };

  test("a file the old claims do not show claimed is refused with the retry card; the retry decides on the current claims", async () => {
    const { repo, schema, busy } = claimedBehindTheSnapshot();
    repo.write("db/schema.sql", "create table x;\n");
    repo.git("add", "db/schema.sql");
    const r = commit(repo, { COORD_IDENTITY: ME_A, ...busy });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("refused commit of db/schema.sql until the current claims are known");
    expect(r.stderr).toContain("the beads database changed");
    expect(r.stderr).toContain("retry the commit in a few seconds");
    expect(r.stderr).toContain("git commit --no-verify");
    expect(headHas(repo, "db/schema.sql")).toBe(false);

    // The refresh the gate started finishes on its own: the retry sees B's claim and names it.
    await refreshEnds(repo);
    const again = commit(repo, { COORD_IDENTITY: ME_A, ...busy });
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain(schema);
    expect(again.stderr).toContain(ME_B);
    expect(again.stderr).not.toContain("until the current claims are known");
    expect(headHas(repo, "db/schema.sql")).toBe(false);
  }, 120_000);

  test("a file the old claims show claimed keeps its decision: refused for another, committed by its owner", () => {
    const { repo, api, busy } = claimedBehindTheSnapshot();
    repo.write("api/x.ts", "x\n");
    repo.git("add", "api/x.ts");
    const theirs = commit(repo, { COORD_IDENTITY: ME_B, ...busy });
    expect(theirs.code).not.toBe(0);
    expect(theirs.stderr).toContain(api);
    expect(theirs.stderr).not.toContain("until the current claims are known");
    const own = commit(repo, { COORD_IDENTITY: ME_A, ...busy });
    expect(own.code, own.stderr).toBe(0);
    expect(headHas(repo, "api/x.ts")).toBe(true);
  }, 120_000);
});
