// The one way coord starts a process: an argument array, a working folder and a deadline.
// Never a shell string.
import { closeSync, openSync, readFileSync } from "node:fs";

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

/**
 * How long the pipes may stay open after the program exited. A wrapper script that leaves a
 * child behind (`bd "$@"; sleep 60 &`) keeps stdout open long after bd answered: waiting for the
 * pipe to close would spend the hook's whole deadline on an answer already in hand.
 */
const PIPE_GRACE_MS = 100;

/** Reads a stream into `chunks` until it ends or is cancelled. */
async function drain(stream: ReadableStream<Uint8Array>, chunks: Uint8Array[]): Promise<void> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      chunks.push(value);
    }
  } catch {
    // Cancelled after the grace period: what arrived is the answer.
  }
}

export async function run(argv: readonly string[], opts: RunOptions): Promise<RunResult> {
  let proc: Bun.Subprocess<"ignore" | Uint8Array, "pipe", "pipe">;
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
  const out: Uint8Array[] = [];
  const err: Uint8Array[] = [];
  const reading = Promise.all([drain(proc.stdout, out), drain(proc.stderr, err)]);
  const code = await proc.exited;
  clearTimeout(timer);
  let grace: ReturnType<typeof setTimeout> | undefined;
  const closed = await Promise.race([reading.then(() => true), new Promise<false>((r) => (grace = setTimeout(() => r(false), PIPE_GRACE_MS)))]);
  clearTimeout(grace);
  if (!closed) {
    // Someone else holds the pipes: stop reading so this process can exit.
    void proc.stdout.cancel().catch(() => {});
    void proc.stderr.cancel().catch(() => {});
  }
  const text = (chunks: Uint8Array[]) => Buffer.concat(chunks).toString("utf8");
  return { code: timedOut ? null : code, stdout: text(out), stderr: text(err), timedOut };
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
 * Starts a process that outlives this one: its own process group (a hook cancelled by its host
 * takes its group down, not this child), no pipes back, not waited for. Returns its pid, or null
 * when it could not be started.
 */
export function spawnDetached(argv: readonly string[], opts: { cwd?: string; env?: Record<string, string | undefined>; logFile?: string }): number | null {
  try {
    // With a log file, its output is appended there (a background coord sync says what it did).
    const out = opts.logFile ? openSync(opts.logFile, "a") : "ignore";
    const proc = Bun.spawn([...argv], {
      cwd: opts.cwd,
      env: opts.env ?? (process.env as Record<string, string | undefined>),
      stdin: "ignore",
      stdout: out,
      stderr: out,
      detached: true,
    });
    proc.unref();
    // The child holds its own copy of the log's descriptor.
    if (typeof out === "number") closeSync(out);
    return proc.pid;
  } catch {
    return null;
  }
}

/**
 * When the process `pid` started, as the kernel counts it (clock ticks since boot, /proc/<pid>/stat
 * field 22): with the pid, it names one process even after the pid is reused. null where there
 * is no /proc (macOS) or no such process.
 */
export function processStart(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may hold spaces and parentheses: count from the last ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

/** Is the process that recorded (pid, start) still running? Without /proc, the pid alone decides. */
export function processAlive(pid: number, start: string | null): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (e) {
    // EPERM: it exists, under another user.
    if ((e as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  if (start === null) return true;
  const now = processStart(pid);
  // A zombie or a reused pid does not hold the lock.
  return now === null ? !existsProc() : now === start && !isZombie(pid);
}

function existsProc(): boolean {
  try {
    readFileSync("/proc/self/stat");
    return true;
  } catch {
    return false;
  }
}

function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) === "Z";
  } catch {
    return false;
  }
}
