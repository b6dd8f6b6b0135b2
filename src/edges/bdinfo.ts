// Which bd coord runs, and what the beads database says about the bd that used it last: enough to
// see a migration coming before it happens inside a hook.
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { BD_INSTALLED, compareVersions, migratesFrom, newestUser, parseBdVersion } from "../core/bdversions";
import { type BeadsLocation, bd, bdBinary } from "./bd";
import { readText, writeAtomic } from "./fs";

/** Where bdBinary() found bd, in words for doctor. */
export function bdSource(env: Record<string, string | undefined>): { bin: string; found: string } {
  const bin = bdBinary(env);
  if (env.COORD_BD) return { bin, found: "COORD_BD" };
  if (Bun.which("bd", { PATH: env.PATH ?? "" }) === bin) return { bin, found: "PATH" };
  if (bin.includes("/")) return { bin, found: "go install's folder (not on PATH)" };
  return { bin, found: "nowhere" };
}

function stamp(bin: string): string | null {
  try {
    const s = statSync(bin);
    return `${s.ino}:${s.size}:${s.mtimeMs}`;
  } catch {
    return null;
  }
}

/**
 * The version of the bd at `bin`, asked once per binary: the answer is kept in the state folder
 * under the binary's inode, size and mtime, so a hook on the stale path pays a stat, not a process.
 */
export async function bdVersionOf(bin: string, env: Record<string, string | undefined>, stateDir: string | null, cwd: string): Promise<string | null> {
  const key = stamp(bin);
  const cache = stateDir ? join(stateDir, "bd-version.json") : null;
  if (key && cache) {
    try {
      const c = JSON.parse(readText(cache) ?? "") as { bin?: string; key?: string; version?: string };
      if (c.bin === bin && c.key === key && c.version) return c.version;
    } catch {
      // No cache yet: ask bd.
    }
  }
  const r = await bd(["version"], cwd, { ...env, COORD_BD: bin }, 10_000);
  const version = r.code === 0 ? parseBdVersion(r.stdout) : null;
  if (version && key && cache) {
    try {
      writeAtomic(cache, JSON.stringify({ bin, key, version }));
    } catch {
      // A read-only state folder costs one `bd version` per stale hook, nothing else.
    }
  }
  return version;
}

/**
 * The newest bd that has opened the database: `.beads/.local_version` (rewritten by every bd that
 * runs, older ones included) or the files only a newer bd leaves behind, whichever is newer.
 */
export function lastUsedVersion(loc: BeadsLocation): string | null {
  return newestUser(parseBdVersion(readText(join(loc.dir, ".local_version")) ?? ""), (f) => existsSync(join(loc.dir, f)));
}

export interface Migration {
  from: string;
  to: string;
}

/** The migration coord's bd would run on its next command here, or null. */
export async function pendingMigration(loc: BeadsLocation, env: Record<string, string | undefined>, stateDir: string | null, cwd: string): Promise<Migration | null> {
  const last = lastUsedVersion(loc);
  // Last used by the newest bd coord knows: nothing coord supports migrates from there, so bd's
  // own version need not be asked (a process, on the path of every stale hook).
  if (!last || compareVersions(last, BD_INSTALLED) >= 0) return null;
  const runner = await bdVersionOf(bdBinary(env), env, stateDir, cwd);
  return runner && migratesFrom(runner, last) ? { from: last, to: runner } : null;
}

