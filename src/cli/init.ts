// `coord init`: the zones config, the hook registration and the CLAUDE.md/AGENTS.md section.
// Everything is read and planned first; a problem anywhere writes nothing.
import { existsSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { defineCommand } from "citty";
import { consola } from "consola";
import { SECTION_FILES, renderSection, sectionState, upsertSection } from "../core/section";
import { type JsonObject, checkHooks, describeGroup, hookCommand, mergeHooks, mergePermissions, parseSettings, renderSettings } from "../core/settings";
import { CONFIG_FILE, type Config, proposeConfig, validateConfig } from "../core/zones";
import { locateBeads } from "../edges/bd";
import { loadConfig } from "../edges/config";
import { readText, writeAtomic } from "../edges/fs";
import { MARKER as GIT_HOOK_MARKER, hooksDir, installGitHooks } from "../edges/githooks";
import { runSync } from "../edges/proc";
import { excludeFile, findRepo, withExcludes } from "../edges/repo";
import { selfCommand } from "../edges/self";
import { fail } from "./context";

export const SETTINGS_LOCAL = join(".claude", "settings.local.json");
export const SETTINGS_SHARED = join(".claude", "settings.json");
const NOT_SOURCE = new Set(["node_modules", "dist", "build", "vendor"]);

/** Top-level folders worth a zone: dot-folders and build output left out. */
export function topLevelSourceDirs(paths: readonly string[]): string[] {
  const dirs = new Set<string>();
  for (const p of paths) {
    const i = p.indexOf("/");
    if (i <= 0) continue;
    const d = p.slice(0, i);
    if (!d.startsWith(".") && !NOT_SOURCE.has(d)) dirs.add(d);
  }
  return [...dirs].sort();
}

/** Tracked files plus untracked, not ignored ones (a fresh repository has nothing tracked yet). */
function repoPaths(root: string): string[] {
  const r = runSync(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--directory", "--no-empty-directory"], { cwd: root, timeoutMs: 20_000 });
  return r.code === 0 ? r.stdout.split("\0").filter(Boolean) : [];
}

/** The command Claude Code should run: this very binary (or `bun src/main.ts` in development). */
export function ownHookCommand(): string {
  return hookCommand(selfCommand());
}

export function programExists(p: string): boolean {
  return p.includes("/") ? existsSync(p) : Bun.which(p) !== null;
}

export interface HookInspection {
  /** Problems, each naming the file(s) and the fix; empty when the hooks are in place. */
  problems: string[];
  programs: string[];
}

/** Reads the settings files Claude Code merges and says whether coord's hooks are all there. */
export function inspectHooks(root: string, files: readonly string[]): HookInspection {
  const docs: JsonObject[] = [];
  const problems: string[] = [];
  for (const f of files) {
    const text = readText(join(root, f));
    if (text === null) continue;
    const p = parseSettings(text);
    if (!p.ok) problems.push(`${f}:${p.error} (not valid settings JSON)`);
    else docs.push(p.doc);
  }
  const r = checkHooks(docs, programExists, ownHookCommand());
  if (r.missing.length) problems.push(`hooks not registered in ${files.join(" or ")}: ${r.missing.map(describeGroup).join(", ")}`);
  for (const p of r.brokenPrograms) problems.push(`a hook runs ${p}, which does not exist`);
  return { problems, programs: r.programs };
}

/** For each of CLAUDE.md and AGENTS.md: null when current, else what is wrong. */
export function inspectSections(root: string, cfg: Config): { file: string; problem: string | null }[] {
  const section = renderSection(cfg);
  return SECTION_FILES.map((file) => {
    const state = sectionState(readText(join(root, file)), section);
    const problem =
      state === "current"
        ? null
        : state === "missing"
          ? `${file} has no Multi-Session Coordination section`
          : state === "stale"
            ? `${file}: the Multi-Session Coordination section is out of date with ${CONFIG_FILE}`
            : `${file}: the coord:begin/coord:end markers are broken`;
    return { file, problem };
  });
}

interface Write {
  /** Relative to the checkout, or absolute (the git dir's exclude file). */
  file: string;
  text: string;
  what: string;
}

export default defineCommand({
  meta: { name: "init", description: "Set up coord in this repository: coord.toml, Claude Code hooks, the CLAUDE.md/AGENTS.md section" },
  args: {
    shared: { type: "boolean", description: "register the hooks in .claude/settings.json (committed) instead of settings.local.json" },
    check: { type: "boolean", description: "change nothing; exit non-zero naming what is missing or out of date" },
    "git-hooks": { type: "boolean", description: "also install the git pre-commit hook that runs coord precommit (an existing hook is kept and runs first)" },
    "skip-hooks": { type: "boolean", description: "leave the Claude Code settings alone (CI: check only coord.toml and the sections)" },
  },
  async run({ args }) {
    const repo = findRepo(process.cwd());
    if (!repo) fail(`${process.cwd()} is not inside a git repository`);
    const root = repo.root;
    const writes: Write[] = [];
    const problems: string[] = [];
    const errors: string[] = [];

    // 1. The zones config.
    const loaded = loadConfig(root);
    let cfg: Config | null = null;
    if (!loaded.present) {
      const dirs = topLevelSourceDirs(repoPaths(root));
      const text = proposeConfig(dirs);
      cfg = validateConfig(Bun.TOML.parse(text), CONFIG_FILE);
      problems.push(`${CONFIG_FILE} is missing`);
      writes.push({ file: CONFIG_FILE, text, what: `created ${CONFIG_FILE} with ${dirs.length} owned zone(s)${dirs.length ? ` (${dirs.join(", ")})` : ""}: edit it, then run coord init again` });
    } else if (loaded.error) {
      errors.push(loaded.error);
    } else cfg = loaded.config;

    // 2. The hooks.
    const target = args.shared ? SETTINGS_SHARED : SETTINGS_LOCAL;
    if (args["skip-hooks"]) {
      // Hooks are per machine; a CI checkout has none to check.
    } else if (args.check) {
      problems.push(...inspectHooks(root, args.shared ? [SETTINGS_SHARED] : [SETTINGS_LOCAL, SETTINGS_SHARED]).problems);
    } else {
      const before = readText(join(root, target));
      const parsed = parseSettings(before ?? "");
      if (!parsed.ok) errors.push(`${target}:${parsed.error}; the file was left untouched, fix it and run coord init again`);
      else {
        const command = ownHookCommand();
        const m = mergeHooks(parsed.doc, command);
        const p = mergePermissions(m.doc);
        const changes = [...m.changes, ...(p.added.length ? [`allowed ${p.added.join(" ")}`] : [])];
        if (m.changed || p.added.length || before === null) writes.push({ file: target, text: renderSettings(p.doc), what: `${before === null ? "created" : "updated"} ${target}: ${changes.join(", ") || "hooks registered"} (${command})` });
        // The local settings name this machine's coord binary: keep them out of commits.
        const ex = excludeFile(repo);
        const excluded = target === SETTINGS_LOCAL ? withExcludes(readText(ex) ?? "", [`/${SETTINGS_LOCAL}`], "this machine's Claude Code settings") : null;
        if (excluded !== null) writes.push({ file: ex, text: excluded, what: `git ignores /${SETTINGS_LOCAL} (${ex})` });
        else consola.info(`${target}: hooks already registered (${command})`);
      }
    }

    // 3. The git pre-commit hook, on request.
    if (args["git-hooks"] && args.check) {
      const hook = join(hooksDir(repo), "pre-commit");
      if (!(readText(hook) ?? "").includes(GIT_HOOK_MARKER)) problems.push(`the git pre-commit hook (${hook}) is not coord's`);
    }

    // 4. The section in CLAUDE.md and AGENTS.md.
    if (cfg) {
      const section = renderSection(cfg);
      if (args.check) problems.push(...inspectSections(root, cfg).flatMap((s) => (s.problem ? [s.problem] : [])));
      else
        for (const file of SECTION_FILES) {
          const before = readText(join(root, file));
          const u = upsertSection(before, section);
          if (!u.ok) errors.push(`${file}: ${u.error}`);
          else if (u.changed) writes.push({ file, text: u.text, what: `${before === null ? "created" : "updated"} ${file} (Multi-Session Coordination section)` });
          else consola.info(`${file}: section current`);
        }
    }

    // Plain lines: --check runs in CI and pre-commit hooks, where they are read and grepped.
    const say = (lines: string[]) => process.stderr.write(lines.map((l) => `coord init: ${l}\n`).join(""));
    if (errors.length) {
      say([...errors, `nothing was changed${args.check ? "" : "; fix the above and run coord init again"}`]);
      process.exit(1);
    }
    if (args.check) {
      if (problems.length) {
        say([...problems, `--check found ${problems.length} problem(s); run coord init to fix them`]);
        process.exit(1);
      }
      consola.success(`coord init --check: coord.toml${args["skip-hooks"] ? "" : ", hooks"} and sections are current`);
      return;
    }
    for (const w of writes) {
      writeAtomic(isAbsolute(w.file) ? w.file : join(root, w.file), w.text);
      consola.success(w.what);
    }
    if (!writes.length) consola.success("coord init: nothing to change");
    if (args["git-hooks"]) {
      try {
        const g = installGitHooks(repo);
        consola.success(`git pre-commit hook at ${g.path}${g.chained ? " (the earlier hook is kept and runs first)" : ""}`);
      } catch (e) {
        fail(`git pre-commit hook not installed: ${(e as Error).message}`);
      }
    }
    if (!locateBeads(repo, process.env as Record<string, string | undefined>)) consola.info("no beads database yet: run bd init (claims come from it)");
  },
});
