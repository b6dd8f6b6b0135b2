// Sessions seen in this repository: one small file per session, so concurrent sessions never
// write the same file and no lock is needed.
import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { SessionRecord } from "../core/live";
import { readText, writeAtomic } from "./fs";

export type { SessionRecord };

const dir = (stateDir: string) => join(stateDir, "sessions");
const safe = (sid: string) => sid.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 80) || "unknown";

export function readSession(stateDir: string, sessionId: string): SessionRecord | null {
  const t = readText(join(dir(stateDir), `${safe(sessionId)}.json`));
  if (!t) return null;
  try {
    return JSON.parse(t) as SessionRecord;
  } catch {
    return null;
  }
}

export function writeSession(stateDir: string, rec: SessionRecord): void {
  writeAtomic(join(dir(stateDir), `${safe(rec.sessionId)}.json`), JSON.stringify(rec));
}

/** Marks the session seen now (creating its record if needed). */
/**
 * A heartbeat younger than this is not rewritten: liveness is judged in minutes, and skipping the
 * write keeps it off the path of every edit.
 */
export const HEARTBEAT_MS = 10_000;

export function touchSession(
  stateDir: string,
  base: Omit<SessionRecord, "startedAt" | "lastSeen" | "endedAt">,
  now: number,
  ended: false | { reason: string } = false,
  /** The record as the caller already read it (undefined: read it here). */
  known?: SessionRecord | null,
): SessionRecord {
  const prev = known === undefined ? readSession(stateDir, base.sessionId) : known;
  if (prev && !ended && prev.endedAt === null && prev.root === base.root && prev.cwd === base.cwd && prev.identity === base.identity && now - prev.lastSeen < HEARTBEAT_MS) return prev;
  const rec: SessionRecord = {
    ...base,
    inheritedFrom: base.inheritedFrom ?? prev?.inheritedFrom ?? null,
    startedAt: prev?.startedAt ?? now,
    lastSeen: now,
    endedAt: ended ? now : null,
    endReason: ended ? ended.reason : null,
  };
  writeSession(stateDir, rec);
  return rec;
}

/** Every recorded session; records older than `forgetMs` are deleted on the way. */
export function listSessions(stateDir: string, now: number, forgetMs = 7 * 24 * 3600_000): SessionRecord[] {
  let names: string[] = [];
  try {
    names = readdirSync(dir(stateDir)).filter((n) => n.endsWith(".json"));
  } catch {
    return [];
  }
  const out: SessionRecord[] = [];
  for (const n of names) {
    const t = readText(join(dir(stateDir), n));
    try {
      const r = JSON.parse(t ?? "") as SessionRecord;
      if (now - r.lastSeen > forgetMs) rmSync(join(dir(stateDir), n), { force: true });
      else out.push(r);
    } catch {
      rmSync(join(dir(stateDir), n), { force: true });
    }
  }
  return out.sort((a, b) => b.lastSeen - a.lastSeen);
}

/**
 * Notes an allowed tool call got where its host shows them to the person only (Gemini CLI's
 * BeforeTool), kept per session until that tool's post-tool event says them to the model. `key`
 * names the call (tool and target); what no post-tool event takes is dropped after LATE_NOTE_MS.
 */
interface LateNote {
  key: string;
  lines: string[];
  at: number;
}
const LATE_NOTE_MS = 10 * 60_000;
const lateFile = (stateDir: string, sid: string) => join(stateDir, "late-notes", `${safe(sid)}.json`);

function readLate(stateDir: string, sid: string, now: number): LateNote[] {
  try {
    const all = JSON.parse(readText(lateFile(stateDir, sid)) ?? "[]") as LateNote[];
    return Array.isArray(all) ? all.filter((n) => n && typeof n.key === "string" && Array.isArray(n.lines) && now - n.at < LATE_NOTE_MS) : [];
  } catch {
    return [];
  }
}

export function keepLateNotes(stateDir: string, sid: string, key: string, lines: readonly string[], now: number): void {
  writeAtomic(lateFile(stateDir, sid), JSON.stringify([...readLate(stateDir, sid, now).filter((n) => n.key !== key), { key, lines, at: now }]));
}

export function takeLateNotes(stateDir: string, sid: string, key: string, now: number): string[] {
  const all = readLate(stateDir, sid, now);
  const mine = all.filter((n) => n.key === key);
  if (!mine.length) return [];
  const rest = all.filter((n) => n.key !== key);
  if (rest.length) writeAtomic(lateFile(stateDir, sid), JSON.stringify(rest));
  else rmSync(lateFile(stateDir, sid), { force: true });
  return mine.flatMap((n) => n.lines);
}
