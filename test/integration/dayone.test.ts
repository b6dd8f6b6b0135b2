// A real repository on day one (issue 16): a Go service with a hand-written coordination section,
// an older conflict-check hook and a dev server on a fixed port. coord init adopts what is there,
// proposes zones from the layout, names what is dead or foreign, and two worktrees get servers that
// do not collide. Real bd, real git, the compiled binary.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { COORD, type Repo, cleanEnv, cleanupAll, must, sh, tempDir, tempRepo } from "../support/world";

afterAll(cleanupAll);

/** Every file under `dir`, .git included, hashed with its path: any write shows. */
function treeHash(dir: string): string {
  const h = createHash("sha256");
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else h.update(`${p}\0${st.size}\0`).update(readFileSync(p));
    }
  };
  walk(dir);
  return h.digest("hex");
}

const HAND_SECTION = `# Orders service

How we work here.

## Multi-Session Coordination

We coordinate through locks.txt: write your name next to the package you change.

### Packages

- internal/http: the HTTP layer
- internal/storage: the database

## Build

go build ./...
`;

// The older guard, 4-space indented as the team writes JSON.
const OLD_HOOK = `{
    "model": "opus",
    "hooks": {
        "PreToolUse": [
            {
                "matcher": "Edit|Write",
                "hooks": [{ "type": "command", "command": "./scripts/check-conflicts.sh" }]
            }
        ]
    }
}
`;

// The dev server: listens on $PORT, 8080 when unset (here a free base port stands in for 8080).
const SERVER = `const port = Number(process.env.PORT ?? "8080");
Bun.serve({ port, hostname: "127.0.0.1", fetch: () => new Response(process.cwd()) });
console.log("listening " + port);
`;

const BASE = 20000 + Math.floor(Math.random() * 20000);

function goService() {
  const repo = tempRepo();
  for (const f of ["cmd/server/main.go", "internal/http/router.go", "internal/http/handlers/orders.go", "internal/http/middleware/auth.go", "internal/storage/db.go", "internal/ws/hub.go", "internal/domain/order.go"])
    repo.write(f, "package x\n");
  repo.write("go.mod", "module example.com/orders\n");
  repo.write("docs/architecture.md", "# arch\n");
  repo.write("scripts/check-conflicts.sh", "#!/bin/sh\nexit 0\n");
  repo.write("scripts/serve.ts", SERVER);
  repo.write("CLAUDE.md", HAND_SECTION);
  repo.write(".claude/settings.json", OLD_HOOK);
  repo.git("add", "-A");
  repo.git("commit", "-qm", "the service");
  return repo;
}

/** The commands a section tells a session to run: code spans and code-block lines that start with bd or coord. */
function sectionCommands(section: string): string[] {
  const noComments = section.replace(/<!--[\s\S]*?-->/g, "");
  const spans = [...noComments.matchAll(/`([^`\n]+)`/g)].map((m) => m[1] as string);
  const blocks = [...noComments.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) => (m[1] as string).split("\n"));
  return [...new Set([...spans, ...blocks].map((c) => c.trim()).filter((c) => /^(bd|coord|git) /.test(c)))];
}

function allowed(rules: string[], command: string): boolean {
  return rules.some((r) => {
    const m = /^Bash\((.*)\)$/.exec(r);
    if (!m) return false;
    const body = m[1] as string;
    return body.endsWith(":*") ? command === body.slice(0, -2) || command.startsWith(`${body.slice(0, -2)} `) : command === body;
  });
}

describe("coord init on a Go service with a hand-written section, an older hook and a fixed-port server", () => {
  let repo!: Repo;
  beforeAll(() => {
    repo = goService();
  }, 60_000);

  test("--dry-run prints every change as a diff and changes nothing", () => {
    const before = treeHash(repo.dir);
    const r = repo.coord(["init", "--dry-run"]);
    expect(r.code).toBe(0);
    expect(treeHash(repo.dir)).toBe(before);
    for (const f of ["coord.toml", "CLAUDE.md", "AGENTS.md", ".claude/settings.local.json", ".git/info/exclude"]) expect(r.stdout).toContain(`+++ b/${f}`);
    expect(r.stdout).toContain("--- /dev/null\n+++ b/coord.toml");
    expect(r.stdout).toContain("--- a/CLAUDE.md\n+++ b/CLAUDE.md");
    expect(r.stdout).toContain("-We coordinate through locks.txt");
    expect(r.stdout).toContain("+<!-- coord:begin -->");
    expect(r.stderr).toContain("nothing was written");
  }, 60_000);

  test("init: one section, in place of the hand-written one; zones shaped like the layout; the old hook named", () => {
    const r = repo.coord(["init"]);
    expect(r.code).toBe(0);
    const claude = readFileSync(repo.path("CLAUDE.md"), "utf8");
    expect(claude.split("## Multi-Session Coordination").length).toBe(2);
    expect(claude.startsWith("# Orders service\n\nHow we work here.\n\n<!-- coord:begin -->\n## Multi-Session Coordination")).toBe(true);
    expect(claude.endsWith("<!-- coord:end -->\n\n## Build\n\ngo build ./...\n")).toBe(true);
    expect(claude).not.toContain("locks.txt");
    // The diff of what was replaced is shown, since coord did not write it.
    expect(r.stdout).toContain("-We coordinate through locks.txt");
    expect(r.stdout + r.stderr).toContain("replaced the section headed Multi-Session Coordination in place");

    const toml = readFileSync(repo.path("coord.toml"), "utf8");
    const cfg = Bun.TOML.parse(toml) as { zone: { name: string; kind: string; paths: string[] }[] };
    const zones = Object.fromEntries(cfg.zone.map((z) => [z.paths[0], z.kind]));
    expect(zones).toEqual({
      "cmd/server/": "stable",
      "docs/": "owned",
      "internal/domain/": "shared",
      "internal/http/": "owned",
      "internal/storage/": "owned",
      "internal/ws/": "owned",
      "scripts/": "stable",
    });

    expect(r.stderr).toContain("warning: .claude/settings.json hooks.PreToolUse[0].hooks[0] runs `./scripts/check-conflicts.sh` before Write, Edit too");
    // The section's example names this repository's folders, and AGENTS.md says who enforces what.
    expect(claude).toContain('--description "Files: internal/http/, internal/storage/"');
    const agents = readFileSync(repo.path("AGENTS.md"), "utf8");
    expect(agents).toContain("| Claude Code | coord's hooks |");
    expect(agents).toContain("| convention |");
    // A second run is quiet and changes nothing.
    const hash = treeHash(repo.dir);
    const again = repo.coord(["init"]);
    expect(again.code).toBe(0);
    expect(treeHash(repo.dir)).toBe(hash);
  }, 60_000);

  test("every command the section tells a session to run is allowed by what init wrote", () => {
    const rules: string[] = JSON.parse(readFileSync(repo.path(".claude/settings.local.json"), "utf8")).permissions.allow;
    for (const file of ["CLAUDE.md", "AGENTS.md"]) {
      const text = readFileSync(repo.path(file), "utf8");
      const section = text.slice(text.indexOf("<!-- coord:begin -->"), text.indexOf("<!-- coord:end -->"));
      const commands = sectionCommands(section);
      expect(commands).toContain("bd close <id>");
      expect(commands).toContain("bd update <id> --claim");
      const refused = commands.filter((c) => !allowed(rules, c));
      expect(refused).toEqual([]);
    }
  });

  test("--shared keeps settings.json's 4-space indentation and key order", () => {
    const r = repo.coord(["init", "--shared"]);
    expect(r.code).toBe(0);
    const text = readFileSync(repo.path(".claude/settings.json"), "utf8");
    expect(text.startsWith('{\n    "model": "opus",\n    "hooks": {\n        "PreToolUse": [\n            {\n                "matcher": "Edit|Write"')).toBe(true);
    expect(text).not.toMatch(/\n {2}"/);
    expect(Object.keys(JSON.parse(text))).toEqual(["model", "hooks", "permissions"]);
    // Now coord is registered in both files: init and doctor say every hook would run twice.
    expect(r.stderr).toContain("coord is registered in .claude/settings.local.json and .claude/settings.json: every hook runs twice");
    const d = repo.coord(["doctor"]);
    expect(d.stdout).toContain("every hook runs twice");
    expect(d.stdout).toContain("./scripts/check-conflicts.sh");
    // Back to one registration for the rest of the scenario.
    repo.write(".claude/settings.json", OLD_HOOK);
  }, 60_000);

  test("a zone path that matches no file is warned by init, --check and doctor", () => {
    const toml = readFileSync(repo.path("coord.toml"), "utf8");
    repo.write("coord.toml", `${toml}\n[[zone]]\nname = "billing"\nkind = "owned"\npaths = ["internal/billing/"]\n`);
    const line = "zone billing: internal/billing/ matches no file in the repository";
    expect(repo.coord(["init"]).stderr).toContain(line);
    const check = repo.coord(["init", "--check"]);
    expect(check.stderr).toContain(line);
    expect(check.code).toBe(0);
    expect(repo.coord(["doctor"]).stdout).toContain(`warn ${line}`);
    repo.write("coord.toml", toml);
    expect(repo.coord(["init"]).code).toBe(0);
  }, 60_000);

  test("the banner names the free folders of a partly claimed zone, and the ready work differs per session", () => {
    repo.claim(repo.bead("Router", "Files: internal/http/router.go"), "alice");
    for (let i = 0; i < 5; i++) repo.bead(`Ready ${i}`, `Files: docs/r${i}.md`);
    // A loaded machine must not turn this into a test of bd's speed.
    const patient = { COORD_REFRESH_BUDGET_MS: "60000", COORD_HOOK_DEADLINE_MS: "90000" };
    expect(repo.coord(["snapshot", "--refresh"], patient).code).toBe(0);
    const firsts = new Set<string>();
    for (const sid of ["11111111-a", "22222222-b", "33333333-c", "44444444-d"]) {
      const r = repo.hook({ session_id: sid, hook_event_name: "SessionStart", cwd: repo.dir, source: "startup" }, patient);
      const banner = String((r.json?.hookSpecificOutput as { additionalContext?: string })?.additionalContext ?? "");
      expect(banner).toContain("partly free: http (internal/http/handlers/ internal/http/middleware/)");
      expect(banner).not.toContain("free zones: none\n");
      firsts.add(/ready, no overlap: (\S+)/.exec(banner)?.[1] ?? "");
    }
    expect(firsts.size).toBeGreaterThan(1);
    const status = repo.coord(["status"], patient).stdout;
    expect(status).toMatch(/http\s+owned\s+internal\/http\/\s+partly claimed by alice \(t-\w+\); free: internal\/http\/handlers\/ internal\/http\/middleware\//);
  }, 60_000);

  test("two worktrees each get their own PORT; their dev servers both listen", async () => {
    const toml = readFileSync(repo.path("coord.toml"), "utf8").replace("backups_kept = 5", "backups_kept = 1");
    repo.write("coord.toml", `${toml}\n[worktree]\nPORT = "{{ ${BASE} + index }}"\nCOMPOSE_PROJECT_NAME = "{{ repo }}-{{ name }}"\n`);
    repo.git("add", "coord.toml");
    repo.git("commit", "-qm", "per-worktree ports");
    expect(repo.coord(["wt", "new", "a"]).code).toBe(0);
    expect(repo.coord(["wt", "new", "b"]).code).toBe(0);
    const dirs = { main: repo.dir, a: `${repo.dir}-a`, b: `${repo.dir}-b` };
    const envOf = (cwd: string) => {
      const out = must(repo.coord(["wt", "env"], {}, cwd), "coord wt env");
      return Object.fromEntries([...out.matchAll(/^export (\w+)=(.*)$/gm)].map((m) => [m[1], (m[2] as string).replace(/^'|'$/g, "")]));
    };
    const ports = { main: envOf(dirs.main).PORT, a: envOf(dirs.a).PORT, b: envOf(dirs.b).PORT };
    expect(ports).toEqual({ main: String(BASE), a: String(BASE + 1), b: String(BASE + 2) });
    expect(envOf(dirs.a).COMPOSE_PROJECT_NAME).toBe("repo-a");
    // A worktree made by plain git gets a number after coord's, and is told it may move.
    const plain = join(tempDir(), "plain");
    repo.git("worktree", "add", "-q", "-b", "plain", plain);
    const p = repo.coord(["wt", "env"], {}, plain);
    expect(p.stdout).toContain(`export PORT=${BASE + 101}`);
    expect(p.stderr).toContain("was not made by coord wt new: its number (101) comes from git's worktree list and may change");
    repo.git("worktree", "remove", "--force", plain);
    expect(envOf(dirs.a).COORD_DB_DIR).toBe(join(dirs.a, ".coord/db"));

    // SessionStart exports the same variables to the worktree's session.
    const envFile = join(tempDir(), "session-env", "cccccccc-3333", "sessionstart-hook-1.sh");
    must(sh(["mkdir", "-p", join(envFile, "..")], repo.dir, repo.env), "mkdir");
    writeFileSync(envFile, "");
    repo.hook({ session_id: "cccccccc-3333", hook_event_name: "SessionStart", cwd: dirs.b, source: "startup" }, { CLAUDE_ENV_FILE: envFile }, dirs.b);
    expect(readFileSync(envFile, "utf8")).toContain(`export PORT='${BASE + 2}'\n`);

    // The servers: one per worktree, started with that worktree's environment.
    const servers = (["a", "b"] as const).map((w) =>
      Bun.spawn(["bun", "scripts/serve.ts"], { cwd: dirs[w], env: cleanEnv(repo.home, { ...repo.env, ...envOf(dirs[w]) }), stdout: "pipe", stderr: "pipe" }),
    );
    try {
      const answer = async (port: string) => {
        for (let i = 0; i < 100; i++) {
          try {
            return await (await fetch(`http://127.0.0.1:${port}/`)).text();
          } catch {
            await Bun.sleep(100);
          }
        }
        return "no answer";
      };
      expect(await answer(ports.a as string)).toBe(dirs.a);
      expect(await answer(ports.b as string)).toBe(dirs.b);
    } finally {
      for (const s of servers) s.kill();
    }
  }, 120_000);

  test("wt done keeps only the newest backup refs, and wt list says how many", () => {
    for (const w of ["a", "b"]) {
      const dir = `${repo.dir}-${w}`;
      must(sh(["git", "commit", "-q", "--allow-empty", "-m", `work ${w}`], dir, repo.env), "commit");
      const r = repo.coord(["wt", "done", w]);
      expect(r.code).toBe(0);
    }
    const refs = repo.git("for-each-ref", "--format=%(refname)", "refs/coord/");
    expect(refs.split("\n").filter(Boolean)).toEqual(["refs/coord/backup/b"]);
    expect(repo.coord(["wt", "list"]).stdout).toContain("backup refs: 1 (refs/coord/backup*); coord wt done keeps the newest 1");
  }, 120_000);
});

describe("bd's own Claude Code integration beside coord's", () => {
  // A repository set up the way bd 1.3.0 sets one up: bd init writes CLAUDE.md, AGENTS.md and a
  // SessionStart hook (bd prime); bd setup claude refreshes them.
  let dir = "";
  let env: Record<string, string> = {};
  beforeAll(() => {
    const home = tempDir("coord-home-");
    dir = join(tempDir(), "repo");
    env = cleanEnv(home);
    must(sh(["mkdir", "-p", dir], home, env), "mkdir");
    must(sh(["git", "init", "-q", "-b", "main"], dir, env), "git init");
    must(sh(["bd", "init", "--prefix", "t", "--quiet", "--skip-hooks", "--non-interactive"], dir, env), "bd init");
    must(sh(["bd", "setup", "claude"], dir, env), "bd setup claude");
  }, 60_000);
  const coord = (args: string[]) => sh([COORD, ...args], dir, env);
  const read = (f: string) => (existsSync(join(dir, f)) ? readFileSync(join(dir, f), "utf8") : "");
  const count = (text: string, s: string) => text.split(s).length - 1;

  test("coord init adds its section and hooks once; bd's block and bd prime stay as they were", () => {
    const bdClaude = read("CLAUDE.md");
    expect(bdClaude).toContain("<!-- BEGIN BEADS INTEGRATION");
    const r = coord(["init"]);
    expect(r.code).toBe(0);
    expect(r.stdout + r.stderr).toContain("bd's own Claude Code hook (bd prime, SessionStart) is in .claude/settings.json");
    for (const f of ["CLAUDE.md", "AGENTS.md"]) {
      const t = read(f);
      expect(count(t, "<!-- BEGIN BEADS INTEGRATION")).toBe(1);
      expect(count(t, "## Multi-Session Coordination")).toBe(1);
    }
    expect(read("CLAUDE.md").startsWith(bdClaude)).toBe(true);
    expect(count(read(".claude/settings.json"), "bd prime")).toBe(1);
    expect(read(".claude/settings.json")).not.toContain("coord");
  }, 60_000);

  test("bd setup claude and coord init again: still one of each, and coord changes nothing", () => {
    must(sh(["bd", "setup", "claude"], dir, env), "bd setup claude");
    const before = ["CLAUDE.md", "AGENTS.md", ".claude/settings.json", ".claude/settings.local.json"].map(read);
    const r = coord(["init"]);
    expect(r.code).toBe(0);
    expect(r.stdout + r.stderr).toContain("nothing to change");
    expect(["CLAUDE.md", "AGENTS.md", ".claude/settings.json", ".claude/settings.local.json"].map(read)).toEqual(before);
    for (const f of ["CLAUDE.md", "AGENTS.md"]) {
      expect(count(read(f), "<!-- BEGIN BEADS INTEGRATION")).toBe(1);
      expect(count(read(f), "<!-- coord:begin -->")).toBe(1);
    }
  }, 60_000);

  test("at SessionStart each hook speaks once: bd prime its workflow, coord its banner", () => {
    const merged = [read(".claude/settings.json"), read(".claude/settings.local.json")].map((t) => JSON.parse(t).hooks.SessionStart as { hooks: { command: string }[] }[]);
    const commands = merged.flat().flatMap((g) => g.hooks.map((h) => h.command));
    expect(commands.filter((c) => c.includes("bd prime"))).toHaveLength(1);
    expect(commands.filter((c) => c.endsWith("coord hook"))).toHaveLength(1);
    const event = JSON.stringify({ session_id: "dddddddd-4444", hook_event_name: "SessionStart", cwd: dir, source: "startup" });
    const contexts = commands.map((c) => {
      const r = Bun.spawnSync(["/bin/sh", "-c", c], { cwd: dir, env, stdin: new TextEncoder().encode(event), timeout: 60_000 });
      expect(r.exitCode).toBe(0);
      return String(JSON.parse(r.stdout.toString()).hookSpecificOutput?.additionalContext ?? "");
    });
    const all = contexts.join("\n");
    expect(count(all, "coord: you are claude-dddddddd")).toBe(1);
    expect(count(all, "# Beads Workflow Context")).toBe(1);
    const d = sh([COORD, "doctor"], dir, env);
    expect(d.stdout).not.toContain("runs twice");
  }, 60_000);
});

describe("keeping a hand-written section, and the plugin beside the settings", () => {
  let repo!: Repo;
  beforeAll(() => {
    repo = goService();
  }, 60_000);

  test("--check names the unmarked section; --keep-section leaves it and adds no second one", () => {
    const check = repo.coord(["init", "--check", "--skip-hooks"]);
    expect(check.code).not.toBe(0);
    expect(check.stderr).toContain("CLAUDE.md has a Multi-Session Coordination section coord did not write");
    const r = repo.coord(["init", "--keep-section"]);
    expect(r.code).toBe(0);
    expect(readFileSync(repo.path("CLAUDE.md"), "utf8")).toBe(HAND_SECTION);
    expect(r.stdout + r.stderr).toContain("CLAUDE.md: kept its own Multi-Session Coordination section (--keep-section)");
    // AGENTS.md had none: it gets coord's.
    expect(readFileSync(repo.path("AGENTS.md"), "utf8")).toContain("<!-- coord:begin -->");
  }, 60_000);

  test("the plugin enabled in the user's settings and coord in the project's: doctor says every hook runs twice", () => {
    const home = tempDir("coord-home-");
    must(sh(["mkdir", "-p", join(home, ".claude")], repo.dir, repo.env), "mkdir");
    writeFileSync(join(home, ".claude", "settings.json"), JSON.stringify({ enabledPlugins: { "coord@coord": true } }));
    const d = repo.coord(["doctor"], { HOME: home });
    expect(d.stdout).toContain("the coord plugin is enabled (~/.claude/settings.json) and .claude/settings.local.json registers coord too: every hook runs twice");
  }, 60_000);
});
