// coord init in real repositories: what it writes, that it writes it once, and --check.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { COORD, cleanupAll, tempRepo, type Repo } from "../support/world";

afterAll(cleanupAll);

const USER_SETTINGS = `{
    "permissions": {"allow": ["Bash(npm test)"]},
    "hooks": {"PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "./my-guard.sh"}]}]}
}
`;

function snapshotFiles(dir: string, files: string[]): Record<string, string | null> {
  return Object.fromEntries(files.map((f) => [f, existsSync(`${dir}/${f}`) ? readFileSync(`${dir}/${f}`, "utf8") : null]));
}
const ALL = ["coord.toml", ".claude/settings.local.json", ".claude/settings.json", "CLAUDE.md", "AGENTS.md"];

describe("coord init in a fresh repository", () => {
  let repo!: Repo;
  let first!: ReturnType<Repo["coord"]>;
  let after!: Record<string, string | null>;
  beforeAll(() => {
    repo = tempRepo();
    repo.write("src/api/routes.ts", "export {};\n");
    repo.write("lib/util.ts", "export {};\n");
    repo.write("node_modules/x/index.js", "\n");
    repo.write(".github/workflows/ci.yml", "\n");
    repo.write("CLAUDE.md", "# Our project\n\nHouse rules stay.\n");
    repo.write(".claude/settings.local.json", USER_SETTINGS);
    first = repo.coord(["init"]);
    after = snapshotFiles(repo.dir, ALL);
  });

  test("succeeds and says what it created", () => {
    expect(first.code).toBe(0);
    expect(first.stdout + first.stderr).toContain("created coord.toml");
  });

  test("keeps the local settings, which name this machine's binary, out of commits", () => {
    expect(readFileSync(join(repo.dir, ".git", "info", "exclude"), "utf8")).toContain("/.claude/settings.local.json");
    expect(repo.git("status", "--porcelain", "--", ".claude")).toBe("");
  });

  test("proposes zones from the layout: src/<dir>/, other top-level folders, no dependencies or dot-folders", () => {
    const toml = after["coord.toml"] ?? "";
    expect(toml).toContain('paths = ["src/api/"]');
    expect(toml).toContain('paths = ["lib/"]');
    expect(toml).not.toContain("node_modules");
    expect(toml).not.toContain(".github");
  });

  test("registers this binary's hook next to the user's own, keeping their keys", () => {
    const s = JSON.parse(after[".claude/settings.local.json"] ?? "{}");
    // The user's rule first, then the commands the coordination section asks sessions to run.
    expect(s.permissions.allow[0]).toBe("Bash(npm test)");
    expect(s.permissions.allow).toContain("Bash(coord claim:*)");
    const pre = s.hooks.PreToolUse as { matcher: string; hooks: { command: string; timeout: number }[] }[];
    expect(pre[0]).toEqual({ matcher: "Bash", hooks: [{ type: "command", command: "./my-guard.sh" } as never] });
    expect(pre.map((g) => g.matcher)).toEqual(["Bash", "Write|Edit|MultiEdit|NotebookEdit", "Bash"]);
    for (const ev of ["SessionStart", "PreToolUse", "PostToolUse", "SessionEnd"]) {
      expect(JSON.stringify(s.hooks[ev])).toContain(JSON.stringify(`${COORD} hook`));
    }
    expect(pre[1]?.hooks[0]?.timeout).toBe(10);
  });

  test("writes the section into CLAUDE.md below the user's text and creates AGENTS.md", () => {
    expect(after["CLAUDE.md"]?.startsWith("# Our project\n\nHouse rules stay.\n\n<!-- coord:begin -->\n## Multi-Session Coordination")).toBe(true);
    expect(after["AGENTS.md"]).toContain("| api | owned | `src/api/` |");
    expect(after["AGENTS.md"]).toContain("coord wt new <name>");
  });

  test("a second run changes nothing, byte for byte", () => {
    const again = repo.coord(["init"]);
    expect(again.code).toBe(0);
    expect(snapshotFiles(repo.dir, ALL)).toEqual(after);
  });

  test("--check passes right after init", () => {
    const r = repo.coord(["init", "--check"]);
    expect(r.code).toBe(0);
  });

  test("--check fails after a zone edit, names the stale sections, and changes nothing", () => {
    repo.write("coord.toml", (after["coord.toml"] ?? "").replace('name = "lib"', 'name = "library"'));
    const before = snapshotFiles(repo.dir, ALL);
    const r = repo.coord(["init", "--check"]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("CLAUDE.md: the Multi-Session Coordination section is out of date with coord.toml");
    expect(r.stderr).toContain("AGENTS.md");
    expect(snapshotFiles(repo.dir, ALL)).toEqual(before);
    expect(repo.coord(["init"]).code).toBe(0);
    expect(readFileSync(repo.path("CLAUDE.md"), "utf8")).toContain("| library | owned |");
    expect(repo.coord(["init", "--check"]).code).toBe(0);
  });

  test("the registered hook works: SessionStart answers with the banner", () => {
    const s = JSON.parse(readFileSync(repo.path(".claude/settings.local.json"), "utf8"));
    const command: string = s.hooks.SessionStart[0].hooks[0].command;
    const r = Bun.spawnSync(["/bin/sh", "-c", command], {
      cwd: repo.dir,
      env: repo.env,
      stdin: new TextEncoder().encode(JSON.stringify({ session_id: "cccccccc-3333", hook_event_name: "SessionStart", cwd: repo.dir, source: "startup" })),
    });
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout.toString()).hookSpecificOutput.additionalContext).toContain("coord: you are claude-cccccccc");
  });
});

describe("coord init --check in a repository never set up", () => {
  let repo!: Repo;
  beforeAll(() => {
    repo = tempRepo({ beads: false });
  });

  test("fails naming the config, the hooks and both sections, and writes nothing", () => {
    const r = repo.coord(["init", "--check"]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("coord.toml is missing");
    expect(r.stderr).toContain("hooks not registered");
    expect(r.stderr).toContain("CLAUDE.md has no Multi-Session Coordination section");
    expect(r.stderr).toContain("AGENTS.md has no Multi-Session Coordination section");
    expect(snapshotFiles(repo.dir, ALL)).toEqual(Object.fromEntries(ALL.map((f) => [f, null])));
  });
});

describe("malformed settings JSON", () => {
  const bad = '{\n  "model": "opus",\n  "hooks": {,}\n}\n';
  let repo!: Repo;
  let r!: ReturnType<Repo["coord"]>;
  beforeAll(() => {
    repo = tempRepo({ beads: false });
    repo.write(".claude/settings.local.json", bad);
    r = repo.coord(["init"]);
  });

  test("is reported with its line and column, exit non-zero", () => {
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(".claude/settings.local.json:3:13:");
  });

  test("is left untouched, and nothing else is written either", () => {
    expect(readFileSync(repo.path(".claude/settings.local.json"), "utf8")).toBe(bad);
    expect(existsSync(repo.path("coord.toml"))).toBe(false);
    expect(existsSync(repo.path("CLAUDE.md"))).toBe(false);
  });
});

describe("hooks of an earlier install", () => {
  let repo!: Repo;
  beforeAll(() => {
    repo = tempRepo({ beads: false });
    repo.write(".claude/settings.json", JSON.stringify({ hooks: { SessionStart: [{ hooks: [{ type: "command", command: "/gone/away/coord hook", timeout: 10 }] }] } }));
  });

  test("pointing at a missing binary fail --check", () => {
    const r = repo.coord(["init", "--check", "--shared"]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("/gone/away/coord, which does not exist");
  });

  test("are updated in place by init --shared, not duplicated", () => {
    expect(repo.coord(["init", "--shared"]).code).toBe(0);
    const s = JSON.parse(readFileSync(repo.path(".claude/settings.json"), "utf8"));
    expect(s.hooks.SessionStart).toEqual([{ hooks: [{ type: "command", command: `${COORD} hook`, timeout: 10 }] }]);
    expect(existsSync(repo.path(".claude/settings.local.json"))).toBe(false);
    expect(repo.coord(["init", "--check", "--shared"]).code).toBe(0);
  });
});

describe("coord init --check --skip-hooks, as CI runs it", () => {
  let repo!: Repo;
  beforeAll(() => {
    repo = tempRepo({ beads: false });
    repo.write("src/a.ts", "\n");
  });

  test("passes on a checkout with a current config and sections but no hooks", () => {
    expect(repo.coord(["init", "--skip-hooks"]).code).toBe(0);
    expect(existsSync(repo.path(".claude/settings.local.json"))).toBe(false);
    expect(repo.coord(["init", "--check"]).code).not.toBe(0);
    expect(repo.coord(["init", "--check", "--skip-hooks"]).code).toBe(0);
  });

  test("still fails when a section is out of date", () => {
    repo.write("AGENTS.md", readFileSync(repo.path("AGENTS.md"), "utf8").replace("| src | owned |", "| src | shared |"));
    const r = repo.coord(["init", "--check", "--skip-hooks"]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("AGENTS.md: the Multi-Session Coordination section is out of date");
    expect(r.stderr).not.toContain("CLAUDE.md");
  });
});

describe("coord init --git-hooks", () => {
  let repo!: Repo;
  beforeAll(() => {
    repo = tempRepo({ beads: false });
    repo.write(".git/hooks/pre-commit", "#!/bin/sh\necho mine\n");
  });

  test("--check --git-hooks fails before the hook is installed", () => {
    expect(repo.coord(["init"]).code).toBe(0);
    const r = repo.coord(["init", "--check", "--git-hooks"]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("pre-commit) is not coord's");
  });

  test("installs coord's pre-commit hook and keeps the user's, which runs first", () => {
    const r = repo.coord(["init", "--git-hooks"]);
    expect(r.code).toBe(0);
    expect(readFileSync(repo.path(".git/hooks/pre-commit"), "utf8")).toContain("# coord pre-commit hook");
    expect(readFileSync(repo.path(".git/hooks/pre-commit.coord-chained"), "utf8")).toBe("#!/bin/sh\necho mine\n");
    expect(repo.coord(["init", "--check", "--git-hooks"]).code).toBe(0);
  });
});
