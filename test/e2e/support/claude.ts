// Runs the real Claude Code CLI headless against the scripted API, in a project directory, with an
// isolated HOME and a known session id, and registers coord's hooks the way a user would.
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { COORD, ROOT, cleanEnv, tempDir } from "../../support/world";
import { type MessagesRequest, type ScriptTurn, type ScriptedApi, type ApiOptions, startApi } from "./api";

/** The pinned Claude Code binary (npm @anthropic-ai/claude-code, see package.json). */
export const CLAUDE_BIN = process.env.CLAUDE_BIN ?? join(ROOT, "node_modules/.bin/claude");

/** True when the Claude Code binary is installed; e2e suites skip (with a message) only when it is not. */
export const haveClaude = existsSync(CLAUDE_BIN);

/** The version of that binary ("" when there is none): what the scenarios meet depends on it. */
export const CLAUDE_VERSION = haveClaude ? (/(\d+\.\d+\.\d+)/.exec(Bun.spawnSync([CLAUDE_BIN, "--version"], { stdout: "pipe", stderr: "pipe" }).stdout.toString())?.[1] ?? "") : "";
export const claudeAtLeast = (v: string) => CLAUDE_VERSION !== "" && CLAUDE_VERSION.localeCompare(v, undefined, { numeric: true }) >= 0;

/** Prints why the e2e suites are skipped, once per file. Call at the top of each e2e test file. */
export function announceSkip(file: string): void {
  if (!haveClaude) console.warn(`${file}: SKIPPED: Claude Code binary not found at ${CLAUDE_BIN} (run scripts/setup)`);
}

/** The coord identity Claude Code session `sessionId` gets: "claude-" + its first 8 characters. */
export const identityFor = (sessionId: string) => `claude-${sessionId.slice(0, 8)}`;

/** A session id (uuid v4 shape) starting with `prefix` (8 hex characters), so its identity is known. */
export function sessionIdFor(prefix: string): string {
  if (!/^[0-9a-f]{8}$/.test(prefix)) throw new Error(`session id prefix must be 8 hex characters: ${prefix}`);
  const rnd = crypto.randomUUID();
  return `${prefix}${rnd.slice(8)}`;
}

/** One hook command entry of a settings file. */
export interface HookCommand {
  type: "command";
  command: string;
  timeout?: number;
}

/** `hooks` of a settings file: event name → matcher groups. */
export type HookSettings = Record<string, { matcher?: string; hooks: HookCommand[] }[]>;

/** The `coord hook` registration: SessionStart, PreToolUse (file tools and Bash), PostToolUse, SessionEnd. */
export function coordHooks(coordBin = COORD): HookSettings {
  const cmd = (): HookCommand[] => [{ type: "command", command: `"${coordBin}" hook`, timeout: 10 }];
  return {
    SessionStart: [{ hooks: cmd() }],
    PreToolUse: [
      { matcher: "Write|Edit|MultiEdit|NotebookEdit", hooks: cmd() },
      { matcher: "Bash", hooks: cmd() },
    ],
    PostToolUse: [{ matcher: "Write|Edit|MultiEdit|NotebookEdit|Bash", hooks: cmd() }],
    PostToolUseFailure: [{ matcher: "Bash", hooks: cmd() }],
    SessionEnd: [{ hooks: cmd() }],
  };
}

/**
 * Writes `<projectDir>/.claude/settings.local.json` with `hooks` (merged over the hooks already
 * there, event by event, replacing an event's groups). Claude Code reads it in -p mode with no
 * trust prompt, only from the directory it is launched in.
 */
export function writeHooks(projectDir: string, hooks: HookSettings): string {
  const file = join(projectDir, ".claude", "settings.local.json");
  let doc: Record<string, unknown> = {};
  if (existsSync(file)) doc = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  doc.hooks = { ...((doc.hooks as HookSettings | undefined) ?? {}), ...hooks };
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(doc, null, 2)}\n`);
  return file;
}

/**
 * Adds permission rules (e.g. "Bash(bd update:*)") to `permissions.allow` in
 * `<projectDir>/.claude/settings.local.json`. Under acceptEdits, -p mode refuses Bash commands
 * it has no rule for ("This command requires approval"), as a user's own settings would allow them.
 */
export function allowTools(projectDir: string, rules: string[]): string {
  const file = join(projectDir, ".claude", "settings.local.json");
  let doc: Record<string, unknown> = {};
  if (existsSync(file)) doc = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  const perms = (doc.permissions as { allow?: string[] } | undefined) ?? {};
  doc.permissions = { ...perms, allow: [...new Set([...(perms.allow ?? []), ...rules])] };
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(doc, null, 2)}\n`);
  return file;
}

/** Registers `"<coordBin>" hook` for every coord event in `<projectDir>/.claude/settings.local.json`. */
export function registerCoord(projectDir: string, coordBin = COORD): string {
  // A missing binary would only make every hook fail open, so the tests would fail obscurely.
  if (!existsSync(coordBin)) throw new Error(`coord binary not found at ${coordBin}: build it (scripts/build) or set COORD_BIN`);
  return writeHooks(projectDir, coordHooks(coordBin));
}

/** Options for `runClaude`. */
export interface RunOptions {
  /** The directory Claude Code is launched in (its project dir; hooks are read from its .claude/). */
  cwd: string;
  /** `--session-id`; the coord identity is `identityFor(sessionId)`. */
  sessionId: string;
  /** What the model does, turn by turn (see api.ts). */
  script: ScriptTurn[];
  /** The prompt (default "go"). */
  prompt?: string;
  /** HOME for Claude Code (default: a fresh temp dir). Sessions sharing a HOME share ~/.claude. */
  home?: string;
  /** Extra environment; `undefined` removes a variable. Applied after the defaults. */
  env?: Record<string, string | undefined>;
  /** Kill Claude Code after this long (default 25 s). */
  timeoutMs?: number;
  /** Extra CLI arguments (e.g. ["--resume", id]). */
  args?: string[];
  /** Permission mode (default "acceptEdits"). */
  permissionMode?: string;
  api?: ApiOptions;
}

/** What one Claude Code run did. */
export interface RunResult {
  /** Exit code (null when killed). */
  code: number | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  /** The `--output-format json` result (type "result", `permission_denials`, `session_id`, ...), or null. */
  json: Record<string, unknown> | null;
  /** Every HTTP request the scripted API received during the run. */
  api: ScriptedApi;
  /** The main-loop /v1/messages bodies, in order: `requests[0]` is the first thing the model saw. */
  requests: MessagesRequest[];
  /** The HOME the run used (its ~/.claude holds transcripts and session-env files). */
  home: string;
  /** Milliseconds the run took. */
  ms: number;
}

/** The environment Claude Code runs with: nothing of the developer's, the scripted API, bd on PATH. */
export function claudeEnv(home: string, apiUrl: string, extra: Record<string, string | undefined> = {}): Record<string, string> {
  const bd = Bun.which("bd");
  const path = [bd ? dirname(bd) : null, process.env.PATH ?? "/usr/bin:/bin"].filter(Boolean).join(":");
  return cleanEnv(home, {
    PATH: path,
    ANTHROPIC_BASE_URL: apiUrl,
    ANTHROPIC_API_KEY: "sk-ant-e2e-offline",
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
    DISABLE_AUTOUPDATER: "1",
    ...extra,
  });
}

/**
 * Runs `claude -p <prompt> --permission-mode acceptEdits --output-format json --session-id <id>`
 * in `cwd` against a fresh scripted API serving `script`, and returns what happened. Must be
 * awaited (the API runs on this process's event loop), so never use a sync spawn around it.
 */
export async function runClaude(o: RunOptions): Promise<RunResult> {
  const api = startApi(o.script, o.api);
  const home = o.home ?? tempDir("coord-e2e-home-");
  const started = Date.now();
  try {
    const argv = [
      CLAUDE_BIN,
      "-p",
      o.prompt ?? "go",
      "--permission-mode",
      o.permissionMode ?? "acceptEdits",
      "--output-format",
      "json",
      // A resumed session keeps the id it had (--resume <id>); --session-id would ask for a new one.
      ...(o.args?.includes("--resume") ? [] : ["--session-id", o.sessionId]),
      ...(o.args ?? []),
    ];
    const proc = Bun.spawn(argv, { cwd: o.cwd, env: claudeEnv(home, api.url, o.env), stdin: "ignore", stdout: "pipe", stderr: "pipe" });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      proc.kill("SIGKILL");
    }, o.timeoutMs ?? 90_000);
    const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
    clearTimeout(timer);
    let json: Record<string, unknown> | null = null;
    try {
      json = JSON.parse(stdout.trim().split("\n").pop() ?? "") as Record<string, unknown>;
    } catch {
      json = null;
    }
    return { code: timedOut ? null : code, timedOut, stdout, stderr, json, api, requests: api.modelRequests(), home, ms: Date.now() - started };
  } finally {
    api.stop();
  }
}

/** A short account of a run for assertion messages: exit, result, last stderr lines. */
export function describeRun(r: RunResult): string {
  return `exit ${r.code}${r.timedOut ? " (timed out)" : ""} in ${r.ms} ms, ${r.requests.length} model requests\nresult: ${JSON.stringify(r.json?.result ?? null)}\nstderr: ${r.stderr.slice(-800)}`;
}

/** One line of a session transcript (~/.claude/projects/<dir>/<sid>.jsonl), loosely typed. */
export interface TranscriptEntry {
  type?: string;
  attachment?: { type?: string; content?: string; hookName?: string; hookEvent?: string; stdout?: string; stderr?: string; exitCode?: number };
  [key: string]: unknown;
}

/**
 * The transcript Claude Code wrote for `sessionId` under `home` (what the person would see:
 * hook_success / hook_system_message / hook_non_blocking_error attachments, ...); [] if none.
 */
export function transcriptOf(home: string, sessionId: string): TranscriptEntry[] {
  const projects = join(home, ".claude", "projects");
  if (!existsSync(projects)) return [];
  for (const d of readdirSync(projects)) {
    const f = join(projects, d, `${sessionId}.jsonl`);
    if (!existsSync(f)) continue;
    return readFileSync(f, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as TranscriptEntry);
  }
  return [];
}
