// The plugin route, as a contributor takes it: the release binary installed by install.sh into a
// clean HOME, Claude Code started with the coord plugin (--plugin-dir plugin/) and no hooks in the
// project's settings. The plugin alone must register coord and refuse a claimed edit.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { accessSync, constants, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CLAUDE_FEATURES, wantedFor } from "../../src/core/claude-versions";
import { ME_A, ME_B, ROOT, cleanEnv, cleanupAll, must, sh, tempDir, tempRepo } from "../support/world";
import {
  CLAUDE_BIN,
  ROUTES_V1,
  announceSkip,
  apiClaimedByAWithoutHooks,
  claudeAtLeast,
  claudeEnv,
  coordHooks,
  describeRun,
  haveClaude,
  messagesText,
  read,
  runClaude,
  say,
  sessionIdFor,
  toolResult,
  write,
} from "./support";

announceSkip("plugin.e2e.test.ts");

const PLUGIN = join(ROOT, "plugin");
const WRAPPER = join(PLUGIN, "bin/coord-hook");
const T = 120_000;

/** PATH without any folder that holds a `coord`, so only the installed one can answer. */
function pathWithoutCoord(): string {
  return (process.env.PATH ?? "/usr/bin:/bin")
    .split(":")
    .filter((d) => {
      try {
        accessSync(join(d, "coord"), constants.X_OK);
        return false;
      } catch {
        return true;
      }
    })
    .join(":");
}
const PATH = pathWithoutCoord();

type PluginHooks = Record<string, { matcher?: string; hooks: { type: string; command: string; timeout?: number }[] }[]>;
const hooksFile = (rel: string) => (JSON.parse(readFileSync(join(PLUGIN, rel), "utf8")) as { hooks: PluginHooks }).hooks;
/** The plugin's hooks as Claude Code reads them, with ${CLAUDE_PLUGIN_ROOT} left as written. */
const hooksJson = hooksFile("hooks/hooks.json");
/** The further hook files plugin.json names: the events only newer Claude Code knows. */
const manifestHooks = (JSON.parse(readFileSync(join(PLUGIN, ".claude-plugin/plugin.json"), "utf8")) as { hooks?: string | string[] }).hooks ?? [];
const laterHooks = (Array.isArray(manifestHooks) ? manifestHooks : [manifestHooks]).map(hooksFile);
/** The Claude Code the e2e suite pins (package.json), which `coord init` registers every event for. */
const PINNED = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { devDependencies: Record<string, string> }).devDependencies["@anthropic-ai/claude-code"] ?? "";

afterAll(cleanupAll);

/** The attachments (hook outputs among them) of a session's transcript in ~/.claude/projects. */
function transcript(home: string, sessionId: string): { type: string; content?: string; hookEvent?: string }[] {
  const projects = join(home, ".claude/projects");
  const file = readdirSync(projects)
    .map((d) => join(projects, d, `${sessionId}.jsonl`))
    .find((f) => existsSync(f));
  if (!file) throw new Error(`no transcript for ${sessionId} under ${projects}`);
  return readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as { attachment?: { type: string } }).attachment)
    .filter((a): a is { type: string } => a !== undefined);
}

/** event → matchers, in order, of a set of hook files or of `coord init`'s registration. */
function matchers(files: PluginHooks[]): Record<string, (string | undefined)[]> {
  const out: Record<string, (string | undefined)[]> = {};
  for (const f of files) for (const [event, groups] of Object.entries(f)) out[event] = [...(out[event] ?? []), ...groups.map((g) => g.matcher)];
  return out;
}
function registeredFor(version: string | null): Record<string, (string | undefined)[]> {
  const out: Record<string, (string | undefined)[]> = {};
  for (const w of wantedFor(version)) out[w.event] = [...(out[w.event] ?? []), w.matcher ?? undefined];
  return out;
}

describe("the plugin's files", () => {
  test("register coord hook for the same events and matchers as a settings registration", () => {
    // hooks/hooks.json holds what every Claude Code knows: the harness's own registration.
    expect(matchers([hooksJson])).toEqual(matchers([coordHooks("X")]));
    // All files together: what coord init registers for the pinned Claude Code.
    expect(matchers([hooksJson, ...laterHooks])).toEqual(registeredFor(PINNED));
    for (const file of [hooksJson, ...laterHooks]) {
      for (const [event, groups] of Object.entries(file)) {
        for (const g of groups) expect(g.hooks).toEqual([{ type: "command", command: `sh "\${CLAUDE_PLUGIN_ROOT}/bin/coord-hook" ${event}`, timeout: 10 }]);
      }
    }
    accessSync(WRAPPER, constants.X_OK);
    expect(readFileSync(WRAPPER, "utf8")).toStartWith("#!/bin/sh\n");
  });

  test("keep events older Claude Code rejects out of hooks/hooks.json, each in a file of its own", () => {
    // 2.1.197 drops a whole hooks file that names an event it does not know (measured: every guard
    // in it silently off); a separate file costs it only that file.
    const everyVersion = registeredFor(null);
    expect(Object.keys(hooksJson).sort()).toEqual(Object.keys(everyVersion).sort());
    const later = Object.keys(registeredFor(PINNED)).filter((e) => !(e in everyVersion));
    expect(later).toContain("PreSkillShellCommand");
    expect(laterHooks.map((f) => Object.keys(f))).toEqual(later.map((e) => [e]));
  });

  test.skipIf(!haveClaude)("pass Claude Code's own validation, as a plugin and as a marketplace", () => {
    for (const dir of [PLUGIN, marketplace()]) {
      const r = sh([CLAUDE_BIN, "plugin", "validate", dir], ROOT, cleanEnv(tempDir()));
      expect(r.stdout + r.stderr).toContain("Validation passed");
      // 2.1.332 adds the plugin directory's own listing checks (an icon, for one), which "do not
      // change the result": only warnings about the plugin itself count here.
      const own = (r.stdout + r.stderr).replace(/Plugin directory checks for[\s\S]*?These plugin directory checks do not change the result below\./, "");
      expect(own).not.toContain("warning");
      expect(r.code).toBe(0);
    }
  });
});

describe("plugin/bin/coord-hook without coord installed", () => {
  const env = (home: string) => cleanEnv(home, { PATH, COORD_BIN: undefined });

  test("lets a PreToolUse event through silently", () => {
    const home = tempDir("coord-home-");
    const r = sh(["/bin/sh", WRAPPER, "PreToolUse"], home, env(home), JSON.stringify({ hook_event_name: "PreToolUse", tool_name: "Write" }));
    expect(r).toEqual({ code: 0, stdout: "", stderr: "" });
  });

  test("says once, at SessionStart, that edits are not checked", () => {
    const home = tempDir("coord-home-");
    const r = sh(["/bin/sh", WRAPPER, "SessionStart"], home, env(home), "{}");
    expect(r.code).toBe(0);
    const msg = (JSON.parse(r.stdout) as { systemMessage: string }).systemMessage;
    expect(msg).toContain("coord binary is not installed");
    expect(msg).toContain("edits are not checked");
  });

  test("runs the coord in ~/.local/bin when PATH lacks it", () => {
    const home = tempDir("coord-home-");
    must(sh(["mkdir", "-p", join(home, ".local/bin")], home, env(home)), "mkdir");
    must(sh(["sh", "-c", `printf '#!/bin/sh\\necho "fake coord $*"\\n' > .local/bin/coord && chmod +x .local/bin/coord`], home, env(home)), "fake coord");
    const r = sh(["/bin/sh", WRAPPER, "PreToolUse"], home, env(home), "{}");
    expect(r.stdout).toBe("fake coord hook\n");
  });
});

/**
 * The marketplace this repository offers (`claude plugin marketplace add <owner>/coord`): the repo's
 * own .claude-plugin/marketplace.json when it has one, else a folder with the same layout.
 */
function marketplace(): string {
  if (existsSync(join(ROOT, ".claude-plugin/marketplace.json"))) return ROOT;
  const dir = tempDir("coord-marketplace-");
  mkdirSync(join(dir, ".claude-plugin"));
  writeFileSync(join(dir, ".claude-plugin/marketplace.json"), JSON.stringify(MARKETPLACE, null, 2));
  cpSync(PLUGIN, join(dir, "plugin"), { recursive: true });
  return dir;
}
const MARKETPLACE = {
  name: "coord",
  owner: { name: "coord contributors" },
  description: "coord: guard rails for several Claude Code sessions on one git repository",
  plugins: [{ name: "coord", source: "./plugin", description: "Refuses edits to files another Claude Code session has claimed in Beads" }],
};

describe.skipIf(!haveClaude)("Claude Code with the coord plugin and coord installed by install.sh", () => {
  let release: string;

  beforeAll(() => {
    release = join(tempDir("coord-release-"), "release");
    const host = `${process.platform}-${process.arch}`;
    must(sh(["bash", join(ROOT, "scripts/release"), "--platform", host, "--out", release], ROOT, cleanEnv(tempDir())), "scripts/release");
  });

  /** A clean HOME with the release binary installed the way the README says. */
  function homeWithCoord(): string {
    const home = tempDir("coord-e2e-home-");
    must(sh(["/bin/sh", join(ROOT, "install.sh"), "--from", release], home, cleanEnv(home, { PATH })), "install.sh");
    expect(existsSync(join(home, ".local/bin/coord"))).toBe(true);
    return home;
  }

  /** Session B reads and overwrites a file session A has claimed, then writes a free file. */
  async function claimedEditScenario(home: string, args: string[]) {
    const { repo, id, routes } = apiClaimedByAWithoutHooks();
    const free = repo.path("src/db/schema.ts");

    const run = await runClaude({
      cwd: repo.dir,
      home,
      sessionId: sessionIdFor("bbbbbbbb"),
      args,
      env: { PATH, COORD_BIN: undefined },
      script: [[read(routes, "r1")], [write(routes, "hijacked\n", "w1")], [write(free, "create table t;\n", "w2")]],
      timeoutMs: 90_000,
    });
    expect(run.code, describeRun(run)).toBe(0);
    // Only the plugin registered hooks: the project has no Claude Code settings of its own.
    expect(existsSync(repo.path(".claude"))).toBe(false);

    expect(readFileSync(routes, "utf8")).toBe(ROUTES_V1);
    const refused = toolResult(run.requests, "w1");
    expect(refused?.isError).toBe(true);
    expect(refused?.text).toStartWith("coord: refused Write of src/api/routes.ts");
    expect(refused?.text).toContain(id);
    expect(refused?.text).toContain(`whose: ${ME_A} (you are ${ME_B})`);
    expect((run.json?.permission_denials as { tool_use_id: string }[]).map((d) => d.tool_use_id)).toEqual(["w1"]);

    expect(readFileSync(free, "utf8")).toBe("create table t;\n");
    expect(toolResult(run.requests, "w2")?.isError).toBe(false);

    // SessionStart went through the plugin too: the first request carries coord's banner.
    const first = messagesText(run.requests[0] ?? { model: "", messages: [] });
    expect(first).toContain(`SessionStart hook additional context: coord: you are ${ME_B}.`);
    expect(first).toContain(`${id} ${ME_A}: src/api/`);
  }

  test("loaded with --plugin-dir plugin/, refuses a claimed edit, shows the banner, lets a free file through", async () => {
    await claimedEditScenario(homeWithCoord(), ["--plugin-dir", PLUGIN]);
  }, T);

  test("installed from a marketplace with claude plugin install, does the same with no --plugin-dir", async () => {
    const home = homeWithCoord();
    const env = claudeEnv(home, "http://127.0.0.1:9", { PATH: `${PATH}:${join(ROOT, "node_modules/.bin")}`, COORD_BIN: undefined });
    must(sh([CLAUDE_BIN, "plugin", "marketplace", "add", marketplace()], home, env), "claude plugin marketplace add");
    must(sh([CLAUDE_BIN, "plugin", "install", "coord@coord"], home, env), "claude plugin install");
    // Its own entry of the listing (built-in plugins follow, each saying "enabled").
    const listed = sh([CLAUDE_BIN, "plugin", "list"], home, env).stdout.split("❯").find((e) => e.trim().startsWith("coord@coord")) ?? "";
    if (claudeAtLeast(CLAUDE_FEATURES.PreSkillShellCommand)) expect(listed).toContain("Status: ✔ enabled");
    // 2.1.197 lists the plugin as failed for hooks/pre-skill-shell.json alone; the scenario shows
    // that hooks/hooks.json's guards run all the same.
    else expect(listed).toMatch(/Status: ✘ failed to load[\s\S]*PreSkillShellCommand/);
    await claimedEditScenario(home, []);
  }, T);

  test.skipIf(!claudeAtLeast(CLAUDE_FEATURES.PreSkillShellCommand))(
    "refuses a command's inline shell that writes another session's claimed file, with the plugin alone",
    async () => {
      const { repo, id, routes } = apiClaimedByAWithoutHooks();
      mkdirSync(repo.path(".claude/commands"), { recursive: true });
      writeFileSync(repo.path(".claude/commands/reset-routes.md"), "---\nallowed-tools: Bash(echo:*)\n---\nReset: !`echo reset > src/api/routes.ts`\nThen say done.\n");

      const run = await runClaude({
        cwd: repo.dir,
        home: homeWithCoord(),
        sessionId: sessionIdFor("bbbbbbbb"),
        prompt: "/reset-routes",
        args: ["--plugin-dir", PLUGIN],
        env: { PATH, COORD_BIN: undefined },
        script: [[say("done")]],
      });
      expect(run.code, describeRun(run)).toBe(0);
      // The command is the project's only Claude Code file: no settings registered any hook.
      expect(readdirSync(repo.path(".claude"))).toEqual(["commands"]);
      expect(readFileSync(routes, "utf8")).toBe(ROUTES_V1);
      const seen = messagesText(run.requests[0] ?? { model: "", messages: [] });
      expect(seen).toContain("[not run: blocked by hook: coord: refused");
      expect(seen).toContain(id);
      expect(seen).toContain(`whose: ${ME_A} (you are ${ME_B})`);
    },
    T,
  );
});

describe.skipIf(!haveClaude)("Claude Code with the coord plugin but no coord on the machine", () => {
  test(
    "keeps working: the edit goes through, nothing is refused",
    async () => {
      const repo = tempRepo();
      const id = repo.bead("Add API routes", "Files: src/api/");
      repo.claim(id, ME_A);
      const fresh = repo.path("src/api/auth.ts");

      const run = await runClaude({
        cwd: repo.dir,
        sessionId: sessionIdFor("bbbbbbbb"),
        args: ["--plugin-dir", PLUGIN],
        env: { PATH, COORD_BIN: undefined },
        script: [[write(fresh, "new\n", "w1")]],
        timeoutMs: 90_000,
      });
      expect(run.code, describeRun(run)).toBe(0);
      expect(readFileSync(fresh, "utf8")).toBe("new\n");
      expect(run.json?.permission_denials).toEqual([]);
      // The user is told, once: Claude Code shows a SessionStart systemMessage and keeps it in the transcript.
      const shown = transcript(run.home, run.json?.session_id as string).filter((a) => a.type === "hook_system_message");
      expect(shown).toHaveLength(1);
      expect(shown[0]?.content).toStartWith("coord plugin: the coord binary is not installed");
    },
    T,
  );
});
