// Everything coord asks of the beads database: where it is, whether it changed, and `bd` calls.
import { createHash } from "node:crypto";
import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { type Bead, parseBdList } from "../core/claims";
import type { JournalMark } from "../core/lease";
import { type RunResult, run } from "./proc";
import type { Repo } from "./repo";

export interface BeadsLocation {
  dir: string;
  /** The file whose (mtime, size, inode) changes on every write and on no read; null when unknown. */
  journal: string | null;
  manifest: string | null;
}

const JOURNAL = "vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv";

function hasDb(dir: string): boolean {
  return existsSync(join(dir, "embeddeddolt")) || existsSync(join(dir, "dolt")) || existsSync(join(dir, "metadata.json"));
}

function followRedirect(dir: string): string {
  try {
    const line = readFileSync(join(dir, "redirect"), "utf8")
      .split("\n")
      .map((l) => l.trim())
      .find((l) => l && !l.startsWith("#"));
    if (line) return isAbsolute(line) ? line : resolve(dir, "..", line);
  } catch {
    // No redirect: the folder is the database.
  }
  return dir;
}

/** Mirrors bd's own search: BEADS_DIR, the checkout's .beads (a redirect, or a database of its
 * own in a linked worktree), then the main checkout's .beads, which every worktree shares. */
export function locateBeads(repo: Repo, env: Record<string, string | undefined>): BeadsLocation | null {
  const at = (dir: string) => (hasDb(dir) ? { dir, ...dbFiles(dir) } : null);
  if (env.BEADS_DIR) return at(followRedirect(env.BEADS_DIR));
  const local = join(repo.root, ".beads");
  if (existsSync(join(local, "redirect"))) return at(followRedirect(local));
  if (existsSync(join(local, "embeddeddolt")) || existsSync(join(local, "dolt"))) return at(local);
  return at(followRedirect(join(repo.mainRoot, ".beads")));
}

function dbFiles(dir: string): { journal: string | null; manifest: string | null } {
  let meta: Record<string, unknown> = {};
  try {
    meta = JSON.parse(readFileSync(join(dir, "metadata.json"), "utf8")) as Record<string, unknown>;
  } catch {
    // Older or hand-made layouts: assume the defaults.
  }
  const db = typeof meta.dolt_database === "string" && meta.dolt_database ? meta.dolt_database : "beads";
  const dataDir = meta.dolt_mode === "server" ? join(dir, "dolt") : join(dir, "embeddeddolt");
  const noms = join(dataDir, db, ".dolt", "noms");
  return { journal: join(noms, JOURNAL), manifest: join(noms, "manifest") };
}

/**
 * The root hash of the journal's last record when that record is a root record (Dolt's
 * journal_record.go: length 40, kind tag 1 = root, timestamp tag 4 + 8 bytes, address tag 2 +
 * 20 bytes, CRC). Measured with bd 1.3.0: a `bd dolt pull` that brings nothing appends such a
 * record with a new timestamp and the same root, so the root, not the bytes, says whether the
 * database changed.
 */
function lastRootHash(tail: Buffer): string | null {
  if (tail.length < 40) return null;
  const r = tail.subarray(tail.length - 40);
  if (r.readUInt32BE(0) !== 40 || r[4] !== 1 || r[5] !== 1 || r[6] !== 4 || r[15] !== 2) return null;
  return r.subarray(16, 36).toString("hex");
}

/**
 * A value that changes exactly when the database is written. Every commit appends to Dolt's
 * chunk journal, so its size and its last bytes change. Its mtime is useless: measured with
 * bd 1.0.5, a read-only `bd list` bumps the journal's mtime without changing a byte, so an
 * mtime key would throw the snapshot away after every refresh. Nor is every append a change: a
 * pull that brings nothing appends the same root again, so the key is the last root hash when
 * the journal ends with one. When the journal is missing
 * (after a gc) the manifest's text, which names the root hash, stands in. null means no local
 * signal (a remote server): callers fall back to a short TTL.
 */
export function databaseKey(loc: BeadsLocation): string | null {
  return databaseState(loc).key;
}

/** The key and, when it came from the journal, the journal's inode and size: both from one fstat. */
export interface DatabaseState {
  key: string | null;
  journal: JournalMark | null;
}

export function databaseState(loc: BeadsLocation): DatabaseState {
  if (loc.journal) {
    let fd: number | null = null;
    try {
      fd = openSync(loc.journal, "r");
      const s = fstatSync(fd, { bigint: true });
      const n = Number(s.size < 64n ? s.size : 64n);
      const tail = Buffer.alloc(n);
      // Appends never rewrite earlier bytes: the tail at the size fstat gave belongs to that size
      // even when a write lands meanwhile, so the key and the size name one state.
      readSync(fd, tail, 0, n, Number(s.size) - n);
      const root = lastRootHash(tail);
      const journal = { ino: Number(s.ino), size: Number(s.size) };
      return { key: root ? `r:${s.ino}:${root}` : `j:${s.ino}:${s.size}:${tail.toString("base64")}`, journal };
    } catch {
      // fall through to the manifest
    } finally {
      if (fd !== null) closeSync(fd);
    }
  }
  if (loc.manifest) {
    try {
      return { key: `m:${createHash("sha1").update(readFileSync(loc.manifest)).digest("hex")}`, journal: null };
    } catch {
      return { key: null, journal: null };
    }
  }
  return { key: null, journal: null };
}

/**
 * The bd program: COORD_BD, else bd on PATH, else where `go install` puts it ($GOPATH/bin or
 * ~/go/bin), which scripts/setup uses and which is often missing from the PATH hooks run with.
 */
export function bdBinary(env: Record<string, string | undefined>): string {
  if (env.COORD_BD) return env.COORD_BD;
  const onPath = Bun.which("bd", { PATH: env.PATH ?? "" });
  if (onPath) return onPath;
  for (const dir of [env.GOPATH?.split(":")[0], env.HOME && join(env.HOME, "go")]) {
    if (dir && existsSync(join(dir, "bin", "bd"))) return join(dir, "bin", "bd");
  }
  return "bd";
}

export function bdEnv(env: Record<string, string | undefined>): Record<string, string | undefined> {
  // bd picks a shorter default list limit and prints hints in agent mode; coord passes --limit 0
  // and wants its plain JSON, whatever the session's environment says.
  return { ...env, BD_NON_INTERACTIVE: "1", BD_JSON_ENVELOPE: undefined, BD_NO_PAGER: "1" };
}

export type ListOutcome = { ok: true; beads: Bead[] } | { ok: false; reason: string };

export function describeFailure(r: RunResult, what: string): string {
  if (r.spawnError) return `bd could not be started (${r.spawnError.includes("ENOENT") || r.spawnError.includes("not found") ? "not found on PATH" : r.spawnError})`;
  if (r.timedOut) return `${what} ran out of time`;
  const err = r.stderr.trim().split("\n").filter(Boolean).pop() ?? "";
  return `${what} failed (exit ${r.code}${err ? `: ${err.slice(0, 160)}` : ""})`;
}

/**
 * One `bd list`: the in-progress beads (the claims, all an edit check needs), or with `open`
 * every issue that is not closed (ready work for the banner and status).
 */
export async function listBeads(cwd: string, env: Record<string, string | undefined>, timeoutMs: number, open = false): Promise<ListOutcome> {
  const bin = bdBinary(env);
  const args = open ? ["list", "--json", "--limit", "0"] : ["list", "--status", "in_progress", "--json", "--limit", "0"];
  const r = await run([bin, ...args], { cwd, env: bdEnv(env), timeoutMs });
  if (r.code !== 0) return { ok: false, reason: describeFailure(r, "bd list") };
  try {
    return { ok: true, beads: parseBdList(r.stdout) };
  } catch (e) {
    return { ok: false, reason: `bd list printed something that is not its JSON (${(e as Error).message.slice(0, 120)})` };
  }
}

/** Any other bd command, for coord's own commands (claim, demo). */
export function bd(args: readonly string[], cwd: string, env: Record<string, string | undefined>, timeoutMs = 30_000): Promise<RunResult> {
  return run([bdBinary(env), ...args], { cwd, env: bdEnv(env), timeoutMs });
}
