// Files several sessions write at once: atomic replace, exclusive locks with stale-lock recovery.
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { processAlive, processStart } from "./proc";

/** Writes through a unique temp file and a rename, so readers see the old or the new file, never half. */
export function writeAtomic(path: string, data: string, mode = 0o644): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    writeFileSync(tmp, data, { mode });
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

export function readText(path: string): string | null {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return null;
  }
}

export interface LockHolder {
  pid: number;
  /** The holder's start time (processStart), "-" where unknown. */
  start: string;
  at: number;
  token: string;
}

export type Lock =
  | { kind: "taken"; token: string; release: () => void; handTo: (pid: number) => void }
  | { kind: "held"; holder: LockHolder | null }
  /** The lock cannot be taken at all: the folder is read-only, full or not a folder, or an orphaned lock cannot be removed. */
  | { kind: "unusable"; reason: string };

function parseHolder(text: string | null): LockHolder | null {
  const m = text ? /^(\d+) (\S+) (\d+)(?: (\S+))?/.exec(text) : null;
  return m ? { pid: Number(m[1]), start: m[2] as string, at: Number(m[3]), token: m[4] ?? "" } : null;
}

const holderLine = (pid: number, at: number, token: string) => `${pid} ${processStart(pid) ?? "-"} ${at} ${token}\n`;

/** The current holder of a lock file, or null when there is none or it is gone (killed, crashed). */
export function liveHolder(path: string, now: number, maxAgeMs: number): LockHolder | null {
  let text: string | null;
  let mtime = 0;
  try {
    text = readFileSync(path, "utf8");
    mtime = statSync(path).mtimeMs;
  } catch {
    return null;
  }
  const h = parseHolder(text);
  // A lock without a holder line was left by a process killed between creating and writing it.
  if (!h) return now - mtime < 2000 ? { pid: 0, start: "-", at: mtime, token: "" } : null;
  if (now - h.at >= maxAgeMs) return null;
  return processAlive(h.pid, h.start === "-" ? null : h.start) ? h : null;
}

const errCode = (e: unknown) => (e as NodeJS.ErrnoException)?.code ?? String(e);

/**
 * An exclusive lock file holding `pid start-time at token`. A lock whose holder is no longer
 * running (pid gone, or reused by a process that started later) or older than `maxAgeMs` is an
 * orphan and is taken over; one that cannot be removed is reported as unusable, so the caller can
 * carry on without it instead of waiting for it forever.
 */
export function takeLock(path: string, now: number, maxAgeMs: number): Lock {
  const token = Math.random().toString(36).slice(2, 10);
  try {
    mkdirSync(dirname(path), { recursive: true });
  } catch (e) {
    return { kind: "unusable", reason: `cannot create ${dirname(path)} (${errCode(e)})` };
  }
  for (let attempt = 0; attempt < 2; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, "wx");
    } catch (e) {
      if (errCode(e) !== "EEXIST") return { kind: "unusable", reason: `cannot create ${path} (${errCode(e)})` };
      const holder = liveHolder(path, now, maxAgeMs);
      if (holder) return { kind: "held", holder };
      try {
        rmSync(path);
      } catch (r) {
        if (errCode(r) === "ENOENT") continue;
        return { kind: "unusable", reason: `the lock ${path} was left by a process that is gone and cannot be removed (${errCode(r)})` };
      }
      continue;
    }
    try {
      writeSync(fd, holderLine(process.pid, now, token));
    } catch (e) {
      closeSync(fd);
      rmSync(path, { force: true });
      return { kind: "unusable", reason: `cannot write ${path} (${errCode(e)})` };
    }
    closeSync(fd);
    const mine = () => parseHolder(readText(path))?.token === token;
    return {
      kind: "taken",
      token,
      // Only our own lock: after a takeover the file belongs to someone else.
      release: () => {
        if (mine()) rmSync(path, { force: true });
      },
      handTo: (pid: number) => {
        if (mine()) writeAtomic(path, holderLine(pid, now, token));
      },
    };
  }
  return { kind: "held", holder: null };
}

/** Releases a lock handed over by the process that took it (see Lock.handTo). */
export function releaseHanded(path: string, token: string): void {
  if (parseHolder(readText(path))?.token === token) rmSync(path, { force: true });
}

/** Takes a lock, or returns null when someone else holds it or it cannot be taken. */
export function tryLock(path: string, maxAgeMs: number, now = Date.now()): (() => void) | null {
  const l = takeLock(path, now, maxAgeMs);
  return l.kind === "taken" ? l.release : null;
}
