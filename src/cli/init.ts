// `coord init`: the zones config, the hook registration and the CLAUDE.md/AGENTS.md section.
// Plan, then apply: every file is read and every change worked out first (`planInit`), as data;
// a problem anywhere writes nothing, `--dry-run` prints the plan as diffs, `--check` as problems.
import { existsSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { defineCommand } from "citty";
import { consola } from "consola";
import { entryExtras, wantedFor } from "../core/claude-versions";
import { unifiedDiff } from "../core/diff";
import { SECTION_FILES, renderSection, sectionState, upsertSection } from "../core/section";
import {
  type JsonObject,
  checkHooks,
  describeGroup,
  enablesPlugin,
  hookCommand,
  hookNeighbours,
  mergeHooks,
  mergePermissions,
  parseSettings,
  renderSettings,
} from "../core/settings";
import { proposeConfig } from "../core/layout";
import { CONFIG_FILE, type Config, deadZoneLine, deadZonePaths, validateConfig } from "../core/zones";
import { locateBeads } from "../edges/bd";
import { loadConfig } from "../edges/config";
import { readText, writeAtomic } from "../edges/fs";
import { MARKER as GIT_HOOK_MARKER, hooksDir, installGitHooks } from "../edges/githooks";
import { claudeVersion } from "../edges/claude";
import { repoPaths } from "../edges/files";
import { type Repo, excludeFile, findRepo, withExcludes } from "../edges/repo";
import type { OtherHost } from "../core/hostreg";
import { OTHER_HOSTS, planHosts } from "../edges/hosts";
import { selfCommand } from "../edges/self";
import { fail } from "./context";

export const SETTINGS_LOCAL = join(".claude", "settings.local.json");
export const SETTINGS_SHARED = join(".claude", "settings.json");
/** The user's own settings, which Claude Code merges with the project's: shown as this. */
export const SETTINGS_USER = "~/.claude/settings.json";
/** bd 1.3.0's own .gitignore pattern for the lock files it creates (`.beads.gate.lock` at the root). */
export const BD_LOCK_FILES = "*.gate.lock*";

/** The command Claude Code should run: this very binary (or `bun src/main.ts` in development). */
export function ownHookCommand(): string {
  return hookCommand(selfCommand());
}

export function programExists(p: string): boolean {
  return p.includes("/") ? existsSync(p) : Bun.which(p) !== null;
}

function userSettingsPath(env: Record<string, string | undefined>): string | null {
  return env.HOME ? join(env.HOME, ".claude", "settings.json") : null;
}

/** Every settings file Claude Code merges for this checkout that parses, by its display name. */
function settingsDocs(root: string, env: Record<string, string | undefined>, override: Map<string, string> = new Map()): { file: string; doc: JsonObject }[] {
  const out: { file: string; doc: JsonObject }[] = [];
  const user = userSettingsPath(env);
  const files: [string, string | null][] = [
    [SETTINGS_LOCAL, join(root, SETTINGS_LOCAL)],
    [SETTINGS_SHARED, join(root, SETTINGS_SHARED)],
    [SETTINGS_USER, user],
  ];
  for (const [name, path] of files) {
    const text = override.get(name) ?? (path ? readText(path) : null);
    if (text === null) continue;
    const p = parseSettings(text);
    if (p.ok) out.push({ file: name, doc: p.doc });
  }
  return out;
}

/**
 * What runs beside coord's hooks: other PreToolUse guards on the same tools, coord registered twice,
 * the plugin and the settings both, and bd's own SessionStart hook (which is fine beside coord's).
 */
export function neighbourLines(root: string, env: Record<string, string | undefined>, override?: Map<string, string>): { warnings: string[]; infos: string[] } {
  const docs = settingsDocs(root, env, override);
  const plugin = docs.find((d) => enablesPlugin(d.doc))?.file ?? null;
  const infos: string[] = [];
  const bdPrime = docs.find((d) => JSON.stringify(d.doc.hooks ?? {}).includes("bd prime"));
  if (bdPrime) infos.push(`bd's own Claude Code hook (bd prime, SessionStart) is in ${bdPrime.file}: it gives bd's workflow, coord's gives the claims; both stay`);
  return { warnings: hookNeighbours(docs, ownHookCommand(), plugin), infos };
}

export interface HookInspection {
  /** Problems, each naming the file(s) and the fix; empty when the hooks are in place. */
  problems: string[];
  programs: string[];
}

/** The groups to register for the Claude Code installed here (its version decides the newer events). */
export function wantedHere(env = process.env as Record<string, string | undefined>) {
  const version = claudeVersion(env)?.version ?? null;
  return { wanted: wantedFor(version), extras: entryExtras(version, env.COORD_FAIL_CLOSED === "1") };
}

/** Reads the settings files Claude Code merges and says whether coord's hooks are all there. */
export function inspectHooks(root: string, files: readonly string[], wanted = wantedHere().wanted): HookInspection {
  const docs: JsonObject[] = [];
  const problems: string[] = [];
  for (const f of files) {
    const text = readText(join(root, f));
    if (text === null) continue;
    const p = parseSettings(text);
    if (!p.ok) problems.push(`${f}:${p.error} (not valid settings JSON)`);
    else docs.push(p.doc);
  }
  const r = checkHooks(docs, programExists, ownHookCommand(), wanted);
  if (r.missing.length) problems.push(`hooks not registered in ${files.join(" or ")}: ${r.missing.map(describeGroup).join(", ")}`);
  for (const p of r.brokenPrograms) problems.push(`a hook runs ${p}, which does not exist`);
  return { problems, programs: r.programs };
}

/** For each of CLAUDE.md and AGENTS.md: null when current, else what is wrong. */
export function inspectSections(root: string, cfg: Config): { file: string; problem: string | null }[] {
  return SECTION_FILES.map((file) => {
    const state = sectionState(readText(join(root, file)), renderSection(cfg, file));
    const problem =
      state === "current"
        ? null
        : state === "missing"
          ? `${file} has no Multi-Session Coordination section`
          : state === "stale"
            ? `${file}: the Multi-Session Coordination section is out of date with ${CONFIG_FILE}`
            : state === "unmarked"
              ? `${file} has a Multi-Session Coordination section coord did not write (no coord:begin/coord:end markers); coord init adopts it, coord init --dry-run shows how`
              : `${file}: the coord:begin/coord:end markers are broken`;
    return { file, problem };
  });
}

/** Zone paths that match no file, as warning lines. */
export function deadZoneWarnings(root: string, cfg: Config): string[] {
  if (!cfg.zones.length) return [];
  return deadZonePaths(cfg.zones, repoPaths(root)).map(deadZoneLine);
}

/** One file coord init would write: its text before (null: absent) and after. */
export interface Change {
  /** Relative to the checkout, or absolute (the git dir's exclude file). */
  file: string;
  before: string | null;
  after: string;
  what: string;
  /** Print the diff even without --dry-run (a section coord adopts replaces text it did not write). */
  show?: boolean;
}

export interface InitOptions {
  shared: boolean;
  check: boolean;
  skipHooks: boolean;
  keepSection: boolean;
  gitHooks: boolean;
  /** The agent hosts to register with (`--host`, repeatable): claude, codex, gemini, opencode. */
  hosts: string[];
  /** Also write each host's trust entry into the person's own config (`--trust`). */
  trust: boolean;
}

export interface InitPlan {
  changes: Change[];
  /** What --check reports (missing or stale), each one line. */
  problems: string[];
  /** What stops init: nothing is written when there is one. */
  errors: string[];
  /** Said on every run, --check and --dry-run included; never fatal. */
  warnings: string[];
  infos: string[];
  cfg: Config | null;
}

function planConfig(root: string, plan: InitPlan, files: () => string[]): void {
  const loaded = loadConfig(root);
  if (!loaded.present) {
    const { text, zones } = proposeConfig(files());
    plan.cfg = validateConfig(Bun.TOML.parse(text), CONFIG_FILE);
    plan.problems.push(`${CONFIG_FILE} is missing`);
    const shown = zones.slice(0, 8).map((z) => z.paths[0]);
    plan.changes.push({
      file: CONFIG_FILE,
      before: null,
      after: text,
      what: `created ${CONFIG_FILE} with ${zones.length} zone(s) from the layout${shown.length ? ` (${shown.join(", ")}${zones.length > shown.length ? ", …" : ""})` : ""}: edit it, then run coord init again`,
    });
  } else if (loaded.error) plan.errors.push(loaded.error);
  else {
    plan.cfg = loaded.config;
    plan.warnings.push(...deadZonePaths(loaded.config.zones, files()).map(deadZoneLine));
  }
}

function planHooks(repo: Repo, opts: InitOptions, env: Record<string, string | undefined>, plan: InitPlan): void {
  const root = repo.root;
  const target = opts.shared ? SETTINGS_SHARED : SETTINGS_LOCAL;
  if (opts.skipHooks || !opts.hosts.includes("claude")) return; // Hooks are per machine; a CI checkout has none to check.
  if (opts.check) {
    plan.problems.push(...inspectHooks(root, opts.shared ? [SETTINGS_SHARED] : [SETTINGS_LOCAL, SETTINGS_SHARED], wantedHere(env).wanted).problems);
    plan.warnings.push(...neighbourLines(root, env).warnings);
    return;
  }
  const before = readText(join(root, target));
  const parsed = parseSettings(before ?? "");
  if (!parsed.ok) {
    plan.errors.push(`${target}:${parsed.error}; the file was left untouched, fix it and run coord init again`);
    return;
  }
  const command = ownHookCommand();
  const here = wantedHere(env);
  const m = mergeHooks(parsed.doc, command, here.wanted, here.extras);
  const p = mergePermissions(m.doc);
  const changes = [...m.changes, ...(p.added.length ? [`allowed ${p.added.join(" ")}`] : [])];
  const after = m.changed || p.added.length || before === null ? renderSettings(p.doc, before ?? "") : before;
  if (after !== before) plan.changes.push({ file: target, before, after, what: `${before === null ? "created" : "updated"} ${target}: ${changes.join(", ") || "hooks registered"} (${command})` });
  else plan.infos.push(`${target}: hooks already registered (${command})`);
  const n = neighbourLines(root, env, new Map([[target, after]]));
  plan.warnings.push(...n.warnings);
  plan.infos.push(...n.infos);
}

/**
 * The repository's own ignore file (.git/info/exclude, never committed): the local settings name
 * this machine's coord binary, and bd 1.3.0 leaves lock files in the checkout (`.beads.gate.lock`)
 * that a repository set up by bd 1.0.5 does not ignore. Both belong to this machine, so they stay
 * out of the committed .gitignore.
 */
function planExcludes(repo: Repo, opts: InitOptions, plan: InitPlan): void {
  if (opts.check) return;
  const ex = excludeFile(repo);
  const was = readText(ex);
  let text = was ?? "";
  const what: string[] = [];
  const exclude = (line: string, why: string) => {
    const t = withExcludes(text, [line], why);
    if (t === null) return;
    text = t;
    what.push(line);
  };
  if (!opts.skipHooks && !opts.shared) exclude(`/${SETTINGS_LOCAL}`, "this machine's Claude Code settings");
  exclude(BD_LOCK_FILES, "bd's lock files (bd 1.3.0 and later)");
  if (what.length) plan.changes.push({ file: ex, before: was, after: text, what: `git ignores ${what.join(" and ")} (${ex})` });
}

/** Codex, Gemini CLI and OpenCode (`--host`): their registration, and their trust with --trust. */
function planOtherHosts(repo: Repo, opts: InitOptions, env: Record<string, string | undefined>, plan: InitPlan): void {
  const others = opts.hosts.filter((h): h is OtherHost => h !== "claude");
  if (!others.length || opts.skipHooks) return;
  const hp = planHosts(repo.root, others, selfCommand(), env, opts.trust && !opts.check);
  plan.errors.push(...hp.errors);
  if (opts.check) {
    plan.problems.push(...hp.writes.filter((w) => w.file.startsWith(`${repo.root}/`)).map((w) => `${w.file.slice(repo.root.length + 1)} is missing or out of date`));
    return;
  }
  plan.changes.push(...hp.writes.map((w) => ({ file: w.file, before: w.before, after: w.text, what: w.what })));
  plan.infos.push(...hp.current);
  // What the person must still approve in each host: a guard the host skips is the worst failure.
  plan.warnings.push(...hp.approvals);
  // These files name this machine's coord binary, like the local Claude Code settings.
  const ex = excludeFile(repo);
  const prior = plan.changes.find((c) => c.file === ex);
  const lines = hp.local.map((f) => `/${f}`);
  const excluded = withExcludes(prior?.after ?? readText(ex) ?? "", lines, "this machine's agent host registrations (they name its coord binary)");
  if (excluded === null) return;
  if (prior) {
    prior.after = excluded;
    prior.what = prior.what.replace(" (", `, ${lines.join(", ")} (`);
  } else plan.changes.push({ file: ex, before: readText(ex), after: excluded, what: `git ignores ${lines.join(", ")} (${ex})` });
}

const HOST_CHOICES = ["claude", ...OTHER_HOSTS];

/** Every `--host X` / `--host=X` (repeatable, or comma-separated); Claude Code when there is none. */
export function hostsOf(argv: readonly string[]): string[] | string {
  const named: string[] = [];
  argv.forEach((a, i) => {
    if (a === "--host") named.push(argv[i + 1] ?? "");
    else if (a.startsWith("--host=")) named.push(a.slice(7));
  });
  const hosts = [...new Set(named.flatMap((n) => n.split(",")).map((n) => n.trim()))];
  const bad = hosts.filter((h) => !HOST_CHOICES.includes(h));
  if (bad.length) return `unknown host ${bad.map((b) => JSON.stringify(b)).join(", ")}: choose from ${HOST_CHOICES.join(", ")}`;
  return hosts.length ? hosts : ["claude"];
}

function planSections(root: string, opts: InitOptions, plan: InitPlan): void {
  const cfg = plan.cfg;
  if (!cfg) return;
  if (opts.check) {
    plan.problems.push(...inspectSections(root, cfg).flatMap((s) => (s.problem ? [s.problem] : [])));
    return;
  }
  for (const file of SECTION_FILES) {
    const before = readText(join(root, file));
    const u = upsertSection(before, renderSection(cfg, file), { keep: opts.keepSection });
    if (!u.ok) plan.errors.push(`${file}: ${u.error}`);
    else if (!u.changed && opts.keepSection && sectionState(before, renderSection(cfg, file)) === "unmarked")
      plan.infos.push(`${file}: kept its own Multi-Session Coordination section (--keep-section); coord's is not added`);
    else if (u.changed) {
      const adopted = u.adopted ? `: replaced the ${u.adopted === 1 ? "section" : `${u.adopted} sections`} headed Multi-Session Coordination in place (now inside coord's markers; --keep-section keeps yours)` : "";
      plan.changes.push({ file, before, after: u.text, what: `${before === null ? "created" : "updated"} ${file} (Multi-Session Coordination section)${adopted}`, show: u.adopted > 0 });
    } else plan.infos.push(`${file}: section current`);
  }
}

/** Reads everything and decides every change; writes nothing. */
export function planInit(repo: Repo, opts: InitOptions, env: Record<string, string | undefined>): InitPlan {
  const plan: InitPlan = { changes: [], problems: [], errors: [], warnings: [], infos: [], cfg: null };
  let files: string[] | null = null;
  const list = () => (files ??= repoPaths(repo.root));
  planConfig(repo.root, plan, list);
  planHooks(repo, opts, env, plan);
  planOtherHosts(repo, opts, env, plan);
  planExcludes(repo, opts, plan);
  if (opts.gitHooks && opts.check) {
    const hook = join(hooksDir(repo), "pre-commit");
    if (!(readText(hook) ?? "").includes(GIT_HOOK_MARKER)) plan.problems.push(`the git pre-commit hook (${hook}) is not coord's`);
  }
  planSections(repo.root, opts, plan);
  return plan;
}

export function applyPlan(root: string, plan: InitPlan): void {
  for (const c of plan.changes) writeAtomic(isAbsolute(c.file) ? c.file : join(root, c.file), c.after);
}

export default defineCommand({
  meta: { name: "init", description: "Set up coord in this repository: coord.toml, Claude Code hooks, the CLAUDE.md/AGENTS.md section" },
  args: {
    shared: { type: "boolean", description: "register the hooks in .claude/settings.json (committed) instead of settings.local.json" },
    check: { type: "boolean", description: "change nothing; exit non-zero naming what is missing or out of date" },
    "dry-run": { type: "boolean", description: "change nothing; print every change coord init would make, as a diff" },
    "keep-section": { type: "boolean", description: "leave a Multi-Session Coordination section coord did not write as it is, instead of replacing it" },
    "git-hooks": { type: "boolean", description: "also install the git pre-commit hook that runs coord precommit (an existing hook is kept and runs first)" },
    "skip-hooks": { type: "boolean", description: "leave the Claude Code settings alone (CI: check only coord.toml and the sections)" },
    host: { type: "string", description: "register with this agent host: claude (the default), codex, gemini, opencode; repeat for several" },
    trust: { type: "boolean", description: "with --host codex/gemini: also write the trust entries into your own Codex/Gemini CLI config, saying what was written" },
  },
  async run({ args }) {
    const repo = findRepo(process.cwd());
    if (!repo) fail(`${process.cwd()} is not inside a git repository`);
    const root = repo.root;
    const env = process.env as Record<string, string | undefined>;
    const hosts = hostsOf(process.argv);
    if (typeof hosts === "string") fail(hosts);
    const opts: InitOptions = {
      shared: !!args.shared,
      check: !!args.check,
      skipHooks: !!args["skip-hooks"],
      keepSection: !!args["keep-section"],
      gitHooks: !!args["git-hooks"],
      hosts,
      trust: !!args.trust,
    };
    const plan = planInit(repo, opts, env);
    const dry = !!args["dry-run"];

    // Plain lines: --check runs in CI and pre-commit hooks, where they are read and grepped.
    const say = (lines: string[]) => process.stderr.write(lines.map((l) => `coord init: ${l}\n`).join(""));
    say(plan.warnings.map((w) => `warning: ${w}`));
    if (plan.errors.length) {
      say([...plan.errors, `nothing was changed${args.check || dry ? "" : "; fix the above and run coord init again"}`]);
      process.exit(1);
    }
    if (args.check) {
      if (plan.problems.length) {
        say([...plan.problems, `--check found ${plan.problems.length} problem(s); run coord init to fix them`]);
        process.exit(1);
      }
      consola.success(`coord init --check: coord.toml${args["skip-hooks"] ? "" : ", hooks"} and sections are current`);
      return;
    }
    const display = (f: string) => (isAbsolute(f) && f.startsWith(`${root}/`) ? f.slice(root.length + 1) : f);
    if (dry) {
      for (const c of plan.changes) process.stdout.write(`${unifiedDiff(display(c.file), c.before, c.after)}\n`);
      say([...plan.infos, plan.changes.length ? `--dry-run: ${plan.changes.length} file(s) would change; nothing was written` : "--dry-run: nothing would change"]);
      if (args["git-hooks"]) say([`would install the git pre-commit hook in ${hooksDir(repo)}`]);
      return;
    }
    for (const c of plan.changes) if (c.show) process.stdout.write(`${unifiedDiff(display(c.file), c.before, c.after)}\n`);
    applyPlan(root, plan);
    for (const i of plan.infos) consola.info(i);
    for (const c of plan.changes) consola.success(c.what);
    if (!plan.changes.length) consola.success("coord init: nothing to change");
    if (args["git-hooks"]) {
      try {
        const g = installGitHooks(repo);
        consola.success(`git pre-commit hook at ${g.path}${g.chained ? " (the earlier hook is kept and runs first)" : ""}`);
      } catch (e) {
        fail(`git pre-commit hook not installed: ${(e as Error).message}`);
      }
    }
    if (!locateBeads(repo, env)) consola.info("no beads database yet: run bd init (claims come from it)");
  },
});
