// The one way coord starts a process: an argument array, a working folder and a deadline.
// Never a shell string.

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** Set when the program could not be started at all (not found, not executable). */
  spawnError?: string;
}

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  timeoutMs: number;
  stdin?: string;
}

export async function run(argv: readonly string[], opts: RunOptions): Promise<RunResult> {
  let proc: ReturnType<typeof Bun.spawn>;
  try {
    proc = Bun.spawn([...argv], {
      cwd: opts.cwd,
      env: opts.env ?? (process.env as Record<string, string | undefined>),
      stdin: opts.stdin === undefined ? "ignore" : new TextEncoder().encode(opts.stdin),
      stdout: "pipe",
      stderr: "pipe",
    });
  } catch (e) {
    return { code: null, stdout: "", stderr: "", timedOut: false, spawnError: (e as Error).message };
  }
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    proc.kill("SIGKILL");
  }, opts.timeoutMs);
  const [stdout, stderr, code] = await Promise.all([
    new Response(proc.stdout as ReadableStream).text(),
    new Response(proc.stderr as ReadableStream).text(),
    proc.exited,
  ]);
  clearTimeout(timer);
  return { code: timedOut ? null : code, stdout, stderr, timedOut };
}

/** Synchronous variant for plans that must finish before anything else happens (git plumbing). */
export function runSync(argv: readonly string[], opts: RunOptions): RunResult {
  try {
    const r = Bun.spawnSync([...argv], {
      cwd: opts.cwd,
      env: opts.env ?? (process.env as Record<string, string | undefined>),
      stdin: opts.stdin === undefined ? "ignore" : new TextEncoder().encode(opts.stdin),
      stdout: "pipe",
      stderr: "pipe",
      timeout: opts.timeoutMs,
    });
    const timedOut = r.exitCode === null || (r as { exitedDueToTimeout?: boolean }).exitedDueToTimeout === true;
    return { code: timedOut ? null : r.exitCode, stdout: r.stdout.toString(), stderr: r.stderr.toString(), timedOut };
  } catch (e) {
    return { code: null, stdout: "", stderr: "", timedOut: false, spawnError: (e as Error).message };
  }
}

/**
 * Starts a process that outlives this one (its own process group, no pipes back), for work the
 * caller must not wait for: a push after a claim. Returns its pid, or null when it could not start.
 */
export function spawnDetached(argv: readonly string[], opts: { cwd?: string; env?: Record<string, string | undefined>; logFile?: string }): number | null {
  try {
    const { spawn } = require("node:child_process") as typeof import("node:child_process");
    const { openSync } = require("node:fs") as typeof import("node:fs");
    const out = opts.logFile ? openSync(opts.logFile, "a") : "ignore";
    const child = spawn(argv[0] ?? "", argv.slice(1), { cwd: opts.cwd, env: opts.env as NodeJS.ProcessEnv, detached: true, stdio: ["ignore", out, out] });
    child.on("error", () => {});
    child.unref();
    return child.pid ?? null;
  } catch {
    return null;
  }
}
