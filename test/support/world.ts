// Test worlds: temporary git repositories with a real beads database, and the compiled coord
// binary run in them exactly as Claude Code runs it. Git reads the local config only.
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";

export const ROOT = resolve(import.meta.dir, "../..");
export const COORD = process.env.COORD_BIN ?? join(ROOT, "dist/coord");

const made: string[] = [];

/** The version of the bd on PATH, which the suite runs against (scripts/test runs it once per supported bd). */
export const BD_VERSION: string = (() => {
  const r = Bun.spawnSync(["bd", "version"], { stdout: "pipe", stderr: "pipe", env: { ...process.env, DO_NOT_TRACK: "1" } as Record<string, string> });
  return /(\d+\.\d+\.\d+)/.exec(r.stdout.toString())?.[1] ?? "unknown";
})();
/** bd 1.3.0 and later give claims a lease. */
export const BD_LEASES = BD_VERSION !== "unknown" && !BD_VERSION.startsWith("1.0.");

/**
 * Both supported bd binaries, for the tests of mixed versions (a database one made, the other
 * opens): where scripts/setup builds them. null when one is missing; those tests then skip.
 */
export const BD_PAIR: { old: string; new: string } | null = (() => {
  const realHome = process.env.HOME ?? "";
  const old = process.env.COORD_TEST_BD_OLD ?? join(realHome, ".cache/coord/bd-1.0.5/bd");
  const gopath = process.env.GOPATH?.split(":")[0] || join(realHome, "go");
  const neu = process.env.COORD_TEST_BD_NEW ?? join(gopath, "bin/bd");
  return existsSync(old) && existsSync(neu) ? { old, new: neu } : null;
})();

/** An environment with nothing of the developer's: no identity, no global git config. */
export function cleanEnv(home: string, extra: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined) continue;
    if (/^(BEADS_|BD_|CLAUDE|COORD_|GIT_|ANTHROPIC_)/.test(k) && k !== "COORD_BIN") continue;
    env[k] = v;
  }
  Object.assign(env, { HOME: home, GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1", BEADS_DOLT_AUTO_START: "0", NO_COLOR: "1", DO_NOT_TRACK: "1" });
  // DO_NOT_TRACK: bd 1.3.0 sends anonymous usage metrics otherwise.
  // On a loaded machine bd can take longer than the 2 s budget, and a check then (rightly) asks for
  // a retry: scenarios about decisions wait for bd; the ones about budgets set their own.
  Object.assign(env, { COORD_REFRESH_BUDGET_MS: "15000", COORD_HOOK_DEADLINE_MS: "20000" });
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

export function sh(argv: string[], cwd: string, env: Record<string, string>, stdin?: string) {
  const r = Bun.spawnSync(argv, { cwd, env, stdin: stdin === undefined ? "ignore" : new TextEncoder().encode(stdin), stdout: "pipe", stderr: "pipe", timeout: 120_000 });
  return { code: r.exitCode, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

export function must(r: { code: number | null; stdout: string; stderr: string }, what: string) {
  if (r.code !== 0) throw new Error(`${what} failed (${r.code}): ${r.stderr || r.stdout}`);
  return r.stdout;
}

export function tempDir(prefix = "coord-test-"): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  made.push(d);
  return d;
}

let template: string | null = null;

export function cleanupAll(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
  // Test files share one process: the next file builds its own template.
  template = null;
}

/** A repo with `bd init` done once per test process and copied after (bd init costs a second). */
function beadsTemplate(): string {
  if (template) return template;
  const d = mkdtempSync(join(tmpdir(), "coord-tpl-"));
  made.push(d);
  const env = cleanEnv(d);
  const repo = join(d, "repo");
  mkdirSync(repo);
  must(sh(["git", "init", "-q", "-b", "main"], repo, env), "git init");
  must(sh(["bd", "init", "--prefix", "t", "--quiet", "--skip-hooks", "--skip-agents", "--non-interactive"], repo, env), "bd init");
  template = repo;
  return repo;
}

export interface HookRun {
  code: number | null;
  stdout: string;
  stderr: string;
  decision: "deny" | "ask" | "allow";
  reason: string;
  json: Record<string, unknown> | null;
}

export class Repo {
  readonly env: Record<string, string>;
  constructor(
    readonly dir: string,
    readonly home: string,
  ) {
    this.env = cleanEnv(home);
  }

  path(rel: string): string {
    return join(this.dir, rel);
  }

  write(rel: string, content: string): void {
    mkdirSync(dirname(this.path(rel)), { recursive: true });
    writeFileSync(this.path(rel), content);
  }

  git(...args: string[]): string {
    return must(sh(["git", ...args], this.dir, this.env), `git ${args.join(" ")}`).trim();
  }

  bd(args: string[], actor = "tester"): string {
    return must(sh(["bd", ...args, "--actor", actor], this.dir, this.env), `bd ${args.join(" ")}`).trim();
  }

  /** Creates a task bead and returns its id. */
  bead(title: string, description: string, actor = "tester"): string {
    return this.bd(["create", title, "-t", "task", "--description", description, "--silent"], actor);
  }

  claim(id: string, actor: string): void {
    this.bd(["update", id, "--claim"], actor);
  }

  coord(args: string[], env: Record<string, string | undefined> = {}, cwd = this.dir) {
    return sh([COORD, ...args], cwd, cleanEnv(this.home, { ...this.env, ...env }));
  }

  /** Runs `coord hook` with one event, as Claude Code would. */
  hook(event: Record<string, unknown>, env: Record<string, string | undefined> = {}, cwd = this.dir): HookRun {
    const r = sh([COORD, "hook"], cwd, cleanEnv(this.home, { ...this.env, ...env }), JSON.stringify(event));
    return interpret(r);
  }

  /** A Write as session `sid` would send it. */
  write_(sid: string, file: string, extra: Record<string, unknown> = {}, env: Record<string, string | undefined> = {}): HookRun {
    return this.hook({ session_id: sid, hook_event_name: "PreToolUse", cwd: this.dir, tool_name: "Write", tool_input: { file_path: file.startsWith("/") ? file : this.path(file), content: "x\n" }, ...extra }, env);
  }
}

export function interpret(r: { code: number | null; stdout: string; stderr: string }): HookRun {
  let json: Record<string, unknown> | null = null;
  try {
    json = r.stdout.trim() ? (JSON.parse(r.stdout) as Record<string, unknown>) : null;
  } catch {
    json = null;
  }
  const hso = (json?.hookSpecificOutput ?? {}) as { permissionDecision?: string; permissionDecisionReason?: string };
  const decision = hso.permissionDecision === "deny" ? "deny" : hso.permissionDecision === "ask" ? "ask" : "allow";
  return { ...r, decision, reason: hso.permissionDecisionReason ?? "", json };
}

/** A fresh git repository; with `beads`, a real beads database in it (prefix `t`). */
export function tempRepo(opts: { beads?: boolean } = {}): Repo {
  const home = tempDir("coord-home-");
  const dir = join(tempDir(), "repo");
  if (opts.beads === false) {
    mkdirSync(dir);
    must(sh(["git", "init", "-q", "-b", "main"], dir, cleanEnv(home)), "git init");
  } else {
    cpSync(beadsTemplate(), dir, { recursive: true });
  }
  const r = new Repo(dir, home);
  r.git("config", "user.name", "Test");
  r.git("config", "user.email", "test@coord.invalid");
  r.git("config", "commit.gpgsign", "false");
  return r;
}

export const SID_A = "aaaaaaaa-1111-4111-8111-111111111111";
export const SID_B = "bbbbbbbb-2222-4222-8222-222222222222";
export const ME_A = "claude-aaaaaaaa";
export const ME_B = "claude-bbbbbbbb";
