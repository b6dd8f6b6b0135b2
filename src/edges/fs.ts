// Files several sessions write at once: atomic replace, exclusive locks with stale-lock recovery.
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from "node:fs";
import { dirname } from "node:path";

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

/**
 * Takes an exclusive lock file, or returns null when someone else holds it. A lock older than
 * `staleMs` belonged to a process that died or hung, and is taken over.
 */
export function tryLock(path: string, staleMs: number, now = Date.now()): (() => void) | null {
  mkdirSync(dirname(path), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, "wx");
      writeSync(fd, `${process.pid} ${now}\n`);
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") return null;
      try {
        if (now - statSync(path).mtimeMs < staleMs) return null;
        rmSync(path, { force: true });
      } catch {
        // Gone between the two calls: try again.
      }
    }
  }
  return null;
}
