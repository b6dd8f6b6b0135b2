// The edit journal: who last wrote which file, kept in the git common dir.
//
// Two structures. `journal/edits.log` is the history: one JSON line per edit, appended with a
// single write() on an O_APPEND descriptor. Lines stay under PIPE_BUF (4096 bytes) and Linux
// serialises appends to a regular file, so concurrent sessions never interleave or tear a line.
// The log is rotated at MAX_LOG bytes (one previous generation kept), so it stays bounded.
// `journal/last/<key>.json` is the compact index the hooks read: one small file per (checkout,
// file) holding its last writer, replaced atomically. A check reads exactly the files it asks
// about, so it costs the same after 10,000 recorded edits as after none. Compaction (at
// SessionEnd) drops the entries of sessions that are gone.
import { createHash } from "node:crypto";
import { closeSync, fstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import type { Bead } from "../core/claims";
import { type EditRecord, type Me, type PendingEdit, type SessionLike, isMine, parseStatusZ, type StatusEntry, stillTheirs } from "../core/live";
import { readText, tryLock, writeAtomic } from "./fs";
import { runSync } from "./proc";
import { readSession } from "./sessions";

export const JOURNAL_VERSION = 1;
const MAX_LOG = 1024 * 1024;
const MAX_LINE = 4000;

const jdir = (state: string) => join(state, "journal");
export const logPath = (state: string) => join(jdir(state), "edits.log");
const lastDir = (state: string) => join(jdir(state), "last");
const keyOf = (root: string, file: string) => createHash("sha1").update(`${root}\0${file}`).digest("hex");
const lastPath = (state: string, root: string, file: string) => join(lastDir(state), `${keyOf(root, file)}.json`);

export function hashFile(abs: string): string | null {
  try {
    return createHash("sha256").update(readFileSync(abs)).digest("hex");
  } catch {
    return null;
  }
}

/** Records one edit: a line in the log and the file's last-writer entry. */
export function recordEdit(state: string, rec: Omit<EditRecord, "v">): void {
  const full: EditRecord = { v: JOURNAL_VERSION, ...rec };
  const text = JSON.stringify(full);
  mkdirSync(lastDir(state), { recursive: true });
  if (Buffer.byteLength(text) < MAX_LINE) {
    const fd = openSync(logPath(state), "a");
    let size = 0;
    try {
      writeSync(fd, `${text}\n`);
      size = fstatSync(fd).size;
    } finally {
      closeSync(fd);
    }
    if (size > MAX_LOG) rotate(state, rec.at);
  }
  writeAtomic(lastPath(state, rec.root, rec.file), text);
}

function rotate(state: string, now: number): void {
  const release = tryLock(join(jdir(state), "rotate.lock"), 10_000, now);
  if (!release) return;
  try {
    // A session still holding the old descriptor appends to the renamed file: its line lands in
    // the previous generation, whole.
    renameSync(logPath(state), join(jdir(state), "edits.1.log"));
  } catch {
    // Someone rotated first.
  } finally {
    release();
  }
}

function parseRecord(text: string | null): EditRecord | null {
  if (!text) return null;
  try {
    const r = JSON.parse(text) as EditRecord;
    // An unknown version is ignored (and compacted away), never trusted.
    return r?.v === JOURNAL_VERSION && typeof r.file === "string" && typeof r.sessionId === "string" ? r : null;
  } catch {
    return null;
  }
}

export function lastEdit(state: string, root: string, file: string): EditRecord | null {
  return parseRecord(readText(lastPath(state, root, file)));
}

/**
 * Drops the entries whose work no longer counts as anyone's (stillTheirs), or that are unreadable.
 * `claims` null (not known) keeps every ended session's entries: dropping them could hand an
 * ended owner's claimed work to the next sweeping command. Returns how many were kept and dropped.
 */
export function compactJournal(state: string, now: number, idleMs: number, claims: readonly Bead[] | null): { kept: number; dropped: number } {
  const release = tryLock(join(jdir(state), "compact.lock"), 30_000, now);
  if (!release) return { kept: 0, dropped: 0 };
  let kept = 0;
  let dropped = 0;
  try {
    let names: string[] = [];
    try {
      names = readdirSync(lastDir(state)).filter((n) => n.endsWith(".json"));
    } catch {
      return { kept, dropped };
    }
    const sessions = new Map<string, SessionLike | null>();
    for (const n of names) {
      const p = join(lastDir(state), n);
      const r = parseRecord(readText(p));
      if (r && !sessions.has(r.sessionId)) sessions.set(r.sessionId, readSession(state, r.sessionId));
      if (r && (claims === null || stillTheirs(r, sessions.get(r.sessionId) ?? null, claims, now, idleMs))) kept++;
      else {
        rmSync(p, { force: true });
        dropped++;
      }
    }
  } finally {
    release();
  }
  return { kept, dropped };
}

/** `git status` of some paths (or the whole checkout when `paths` is empty); null when git failed. */
export function gitStatus(root: string, paths: readonly string[], env: Record<string, string | undefined>, opts: { ignored?: boolean } = {}): StatusEntry[] | null {
  // --no-optional-locks: a status run by a hook must never take index.lock from the session's own git command.
  const r = runSync(["git", "--no-optional-locks", "status", "--porcelain=v1", "-z", "--untracked-files=all", ...(opts.ignored ? ["--ignored"] : []), "--", ...(paths.length ? paths : [":/"])], {
    cwd: root,
    env: { ...env, GIT_OPTIONAL_LOCKS: "0" },
    timeoutMs: 3000,
  });
  if (r.code !== 0) return null;
  return parseStatusZ(r.stdout);
}

export interface PendingQuery {
  state: string;
  root: string;
  files: readonly string[];
  me: Me;
  now: number;
  idleMs: number;
  env: Record<string, string | undefined>;
  /** Absolute path of a repository-relative file, for the content hash. */
  abs: (file: string) => string;
  /** Known `git status` of the checkout, when the caller already ran it. */
  status?: StatusEntry[] | null;
  /** The in-progress claims: an ended session's edits still count while its identity holds one. */
  claims?: readonly Bead[];
}

/**
 * The edits among `files` that are another's uncommitted work (a live session's, or an ended
 * session's whose identity still holds an in-progress claim). Cheap in the common case: one
 * failed open per file; git runs only when such an edit exists.
 */
export function pendingEdits(q: PendingQuery): PendingEdit[] {
  const candidates: { rec: EditRecord; held: Bead | null }[] = [];
  const sessions = new Map<string, SessionLike | null>();
  for (const file of new Set(q.files)) {
    const rec = lastEdit(q.state, q.root, file);
    if (!rec || isMine(rec, q.me)) continue;
    if (!sessions.has(rec.sessionId)) sessions.set(rec.sessionId, readSession(q.state, rec.sessionId));
    const theirs = stillTheirs(rec, sessions.get(rec.sessionId) ?? null, q.claims ?? [], q.now, q.idleMs);
    if (theirs) candidates.push({ rec, held: theirs === true ? null : theirs });
  }
  if (candidates.length === 0) return [];
  const status = q.status ?? gitStatus(q.root, candidates.map((c) => c.rec.file), q.env);
  // When git cannot tell, the edit counts as uncommitted: refusing is the side that loses nothing.
  const dirty = status ? new Set(status.flatMap((e) => (e.from ? [e.path, e.from] : [e.path]))) : null;
  return candidates
    .filter((c) => dirty === null || dirty.has(c.rec.file))
    .map((c) => {
      const now = hashFile(q.abs(c.rec.file));
      return {
        file: c.rec.file,
        sessionId: c.rec.sessionId,
        identity: c.rec.identity,
        at: c.rec.at,
        unchangedSince: c.rec.sha256 === null ? null : now === c.rec.sha256,
        heldBy: c.held ? { id: c.held.id, title: c.held.title } : null,
      };
    });
}

/** Among `files`, those whose last recorded writer is this session (or identity): its own to sweep. */
export function writtenByMe(state: string, root: string, files: readonly string[], me: Me): Set<string> {
  return new Set(
    files.filter((f) => {
      const rec = lastEdit(state, root, f);
      return !!rec && isMine(rec, me);
    }),
  );
}
