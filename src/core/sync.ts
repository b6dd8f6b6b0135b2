// Claims across machines: what bd's pull and push said, the record coord keeps of them
// (sync.json), the split brains they reveal, and the lines that say how fresh the remote view is.
// Pure: bd's output and the claims in, values and strings out.
import { bdEffect } from "./bdcmd";
import type { Bead } from "./claims";
import { analyze } from "./bash";
import { coversPlain, isGlob, patternsOverlap } from "./match";
import { ago } from "./time";

/** What a finished bd process left: the fields of edges/proc's RunResult that matter here. */
export interface ProcOutput {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  spawnError?: string;
}

export type PullKind = "ok" | "no-remote" | "unreachable" | "conflict" | "timeout" | "failed";
export type PushKind = "ok" | "no-remote" | "rejected" | "unreachable" | "timeout" | "failed";

export interface PullResult {
  kind: PullKind;
  /** bd's own line for a failure, shortened; "" on success. */
  detail: string;
  /** Beads bd 1.3.0 merged by last-write-wins ("Notice: auto-merged issue <id>; assignee, … settled"). */
  superseded: string[];
}

export interface PushResult {
  kind: PushKind;
  detail: string;
}

/**
 * bd's messages, by what they mean, as captured from bd 1.0.5 and 1.3.0 (test/fixtures/bd-sync/).
 * The first row that matches decides; the exit code only says whether to look.
 */
const FAILURES: readonly { kind: "conflict" | "rejected" | "unreachable" | "no-remote"; re: RegExp }[] = [
  // 1.0.5: "Merge conflict detected, @autocommit transaction rolled back";
  // 1.3.0: "merge conflicts in issues require operator resolution; merge aborted and working set restored".
  { kind: "conflict", re: /merge conflict/i },
  { kind: "rejected", re: /non-fast-forward|\[rejected\]|tip of your current branch is behind/i },
  {
    kind: "unreachable",
    re: /could not be accessed|could not read from remote|does not appear to be a git repository|could not resolve host|connection refused|connection timed out|network is unreachable|no such host|no route to host/i,
  },
  { kind: "no-remote", re: /no remote is configured|no remote configured|remote .* not found|unknown remote/i },
];

const NO_REMOTE_OK = /No remote is configured/;

/** bd's most telling line: the first "Error:" line, else the last line of stderr. */
function detailOf(r: ProcOutput): string {
  const lines = `${r.stderr}\n${r.stdout}`.split("\n").map((l) => l.trim()).filter((l) => l && !/^Warning: .* has permissions/.test(l));
  const line = lines.find((l) => /\[rejected\]/.test(l))?.replace(/^!\s*/, "") ?? lines.find((l) => /^error\b/i.test(l)) ?? lines.find((l) => /^fatal:/.test(l)) ?? lines.filter((l) => !/^hint:/.test(l)).pop() ?? "";
  const short = line.replace(/^(Error|fatal):\s*/i, "").replace(/Error 1105:\s*/, "");
  return short.length > 200 ? `${short.slice(0, 199)}…` : short;
}

function classify(r: ProcOutput, what: string): { kind: PullKind | PushKind; detail: string } {
  if (r.spawnError) return { kind: "failed", detail: `bd could not be started (${r.spawnError})` };
  if (r.timedOut) return { kind: "timeout", detail: `${what} ran out of time` };
  const text = `${r.stdout}\n${r.stderr}`;
  if (r.code === 0) return { kind: NO_REMOTE_OK.test(text) ? "no-remote" : "ok", detail: "" };
  const row = FAILURES.find((f) => f.re.test(text));
  return { kind: row?.kind ?? "failed", detail: detailOf(r) || `${what} exited ${r.code}` };
}

export function classifyPull(r: ProcOutput): PullResult {
  const c = classify(r, "bd dolt pull");
  const kind: PullKind = c.kind === "rejected" ? "failed" : (c.kind as PullKind);
  const superseded = [...`${r.stdout}\n${r.stderr}`.matchAll(/Notice: auto-merged issue (\S+?);[^\n]*\bassignee\b[^\n]*last-write-wins/g)].map((m) => m[1] ?? "");
  return { kind, detail: c.detail, superseded: superseded.filter(Boolean) };
}

export function classifyPush(r: ProcOutput): PushResult {
  const c = classify(r, "bd dolt push");
  const kind: PushKind = c.kind === "conflict" ? "failed" : (c.kind as PushKind);
  return { kind, detail: c.detail };
}

/** Two claims that cannot both hold: one bead, or overlapping files, claimed by two identities. */
export interface Contest {
  kind: "same-bead" | "overlap";
  id: string;
  title: string;
  files: string[];
  /** Who holds it in this clone's database (before the pull that found it). */
  here: string;
  /** Who holds it (or, for an overlap, `otherId`) on the remote. */
  there: string;
  /** For an overlap: the remote's bead whose files overlap `id`'s. */
  otherId: string | null;
  otherFiles: string[];
  /**
   * What the pull did with it: merged nothing (a conflict), replaced this clone's claim with the
   * remote's, or kept this clone's over the remote's (bd 1.3.0 keeps the later write); for an
   * overlap, "merged": both claims are now here.
   */
  how: "conflict" | "overwritten" | "kept" | "merged";
  /** When coord sync found it, and the newest updated_at of the beads involved then. */
  at: number;
  updatedAt: string;
}

export const SYNC_VERSION = 1;

export interface SyncRecord {
  version: number;
  /** The Dolt remote's URL, for display. */
  remote: string | null;
  lastPull: { at: number; kind: PullKind; detail: string; brought: boolean } | null;
  /** The last pull that worked: claims made elsewhere before it are in this clone's view. */
  lastGoodPull: number | null;
  lastPush: { at: number; kind: PushKind; detail: string } | null;
  /** The remote holds commits this clone lacks: a rejected push or a failed merge, until a pull works. */
  remoteAhead: boolean;
  /**
   * For a git remote: its `refs/dolt/data` as of this clone's last good pull or push. While
   * `git ls-remote` shows the same, the remote has nothing new and the pull is skipped.
   */
  remoteTip?: string | null;
  contests: Contest[];
  /** Claims the remote holds that this database does not, because the merge failed. */
  unmerged: Bead[];
}

export function emptyRecord(remote: string | null = null): SyncRecord {
  return { version: SYNC_VERSION, remote, lastPull: null, lastGoodPull: null, lastPush: null, remoteAhead: false, contests: [], unmerged: [] };
}

export function parseSyncRecord(text: string | null): SyncRecord | null {
  if (text === null) return null;
  try {
    const r = JSON.parse(text) as SyncRecord;
    if (r?.version !== SYNC_VERSION || !Array.isArray(r.contests) || !Array.isArray(r.unmerged)) return null;
    return r;
  } catch {
    return null;
  }
}

const claimed = (b: Bead | undefined): b is Bead => !!b && b.status === "in_progress" && b.assignee !== "";
const newest = (...ts: string[]) => ts.filter(Boolean).sort().pop() ?? "";

export interface ContestInput {
  /** This clone's beads before the pull. */
  before: readonly Bead[];
  /** This clone's beads after the pull (the same as `before` when it failed). */
  after: readonly Bead[];
  /** The remote's version of the beads that differ (bd show --as-of origin/main). */
  remote: readonly Bead[];
  /** The pull merged nothing (a conflict): the remote's claims are not in `after`. */
  mergeFailed: boolean;
  now: number;
}

/**
 * The split brains a pull revealed, and the remote's claims a failed merge kept out. A bead this
 * clone had claimed is contested when the remote (or the merged result) gives it to someone else;
 * claims on different beads whose files overlap are contested when one came from the remote.
 */
export function findContests(i: ContestInput): { contests: Contest[]; unmerged: Bead[] } {
  const remote = new Map(i.remote.map((b) => [b.id, b]));
  const after = new Map(i.after.map((b) => [b.id, b]));
  const before = new Map(i.before.map((b) => [b.id, b]));
  const contests: Contest[] = [];
  for (const b of i.before) {
    if (!claimed(b)) continue;
    const there = [remote.get(b.id), after.get(b.id)].find((x) => claimed(x) && x.assignee !== b.assignee);
    if (!there) continue;
    const now = after.get(b.id);
    const how = i.mergeFailed ? "conflict" : claimed(now) && now.assignee === b.assignee ? "kept" : "overwritten";
    contests.push({ kind: "same-bead", id: b.id, title: b.title, files: b.files, here: b.assignee, there: there.assignee, otherId: null, otherFiles: [], how, at: i.now, updatedAt: newest(b.updatedAt, there.updatedAt) });
  }
  // Claims that reached this clone from the remote (or that the failed merge kept out of it).
  const arrived = [...(i.mergeFailed ? i.remote : i.after)].filter(
    (b) => claimed(b) && !(claimed(before.get(b.id)) && before.get(b.id)?.assignee === b.assignee) && !contests.some((c) => c.id === b.id),
  );
  for (const mine of i.before) {
    if (!claimed(mine) || contests.some((c) => c.id === mine.id)) continue;
    for (const theirs of arrived) {
      if (theirs.id === mine.id || theirs.assignee === mine.assignee) continue;
      if (!mine.files.some((f) => theirs.files.some((t) => patternsOverlap(f, t)))) continue;
      contests.push({ kind: "overlap", id: mine.id, title: mine.title, files: mine.files, here: mine.assignee, there: theirs.assignee, otherId: theirs.id, otherFiles: theirs.files, how: i.mergeFailed ? "conflict" : "merged", at: i.now, updatedAt: newest(mine.updatedAt, theirs.updatedAt) });
    }
  }
  const unmerged = i.mergeFailed ? i.remote.filter((b) => claimed(b) && !(claimed(after.get(b.id)) && after.get(b.id)?.assignee === b.assignee)) : [];
  return { contests, unmerged };
}

/**
 * The contests that still stand against the current claims: a bead that was closed, released or
 * claimed again since (its updated_at moved past the contest's) has been dealt with by a person.
 */
export function liveContests(contests: readonly Contest[], claims: readonly Bead[]): Contest[] {
  const byId = new Map(claims.map((b) => [b.id, b]));
  return contests.filter((c) => {
    const b = byId.get(c.id);
    if (!claimed(b) || b.updatedAt > c.updatedAt) return false;
    if (c.kind === "same-bead") return true;
    const o = c.otherId ? byId.get(c.otherId) : undefined;
    // An overlap with a claim this clone never merged (a failed pull) stands until a pull settles it.
    return c.how === "conflict" ? !o || (claimed(o) && o.updatedAt <= c.updatedAt) : claimed(o) && o.updatedAt <= c.updatedAt;
  });
}

/** Merges a sync's findings into the record's: a contest found again keeps its first sighting. */
export function mergeContests(old: readonly Contest[], found: readonly Contest[]): Contest[] {
  const key = (c: Contest) => `${c.kind}:${c.id}:${c.otherId ?? ""}`;
  const out = new Map(old.map((c) => [key(c), c]));
  for (const c of found) if (!out.has(key(c))) out.set(key(c), c);
  return [...out.values()];
}

/**
 * The claims the guard decides on: this clone's, plus the other side of every live contest and
 * every claim the remote holds that a failed merge kept out. Each added bead says where it is held,
 * so the card names the split brain. Neither side then treats a contested bead as its own alone.
 */
export function claimsWithRemote(claims: readonly Bead[], rec: SyncRecord | null, now: number): Bead[] {
  if (!rec || (!rec.contests.length && !rec.unmerged.length)) return [...claims];
  const out = [...claims];
  const live = liveContests(rec.contests, claims);
  for (const c of live) {
    const settle = `coord sync --settle ${c.id} --keep ours|theirs`;
    const elsewhere = (who: string, id: string) =>
      `${id} is also claimed by ${who} on another machine (split brain found by coord sync ${ago(new Date(c.at).toISOString(), now)}; settle: ${settle})`;
    if (c.kind === "same-bead") {
      const base = claims.find((b) => b.id === c.id);
      if (!base) continue;
      for (const who of [c.here, c.there]) {
        if (who !== base.assignee) out.push({ ...base, assignee: who, elsewhere: elsewhere(who, c.id) });
      }
    } else {
      // Both claims are in this database, so the guard refuses the shared files to both owners
      // already; the other machine's bead says why, so the card names the split brain.
      const k = out.findIndex((b) => b.id === c.otherId && b.assignee === c.there && !b.elsewhere);
      const other = out[k];
      if (!other) continue;
      out[k] = {
        ...other,
        elsewhere: `${other.id} (${c.there}, claimed on another machine) and ${c.id} (${c.here}, claimed here) both claim ${sharedFiles(c).join(" ")}: a split brain found by coord sync ${ago(new Date(c.at).toISOString(), now)}, refused to both owners until one is released (settle: ${settle})`,
      };
    }
  }
  for (const b of rec.unmerged) {
    if (out.some((x) => x.id === b.id && x.assignee === b.assignee)) continue;
    out.push({ ...b, elsewhere: `${b.id} is claimed by ${b.assignee} on the remote; this clone's pull failed (${rec.lastPull?.kind ?? "unknown"}), so it is not merged here: coord sync` });
  }
  return out;
}

export type Remote = { configured: false } | { configured: true; url: string };

/** The git URL behind a Dolt git remote (`git+ssh://…` → `ssh://…`), or null for any other kind. */
export function gitUrlOf(doltUrl: string): string | null {
  return doltUrl.startsWith("git+") ? doltUrl.slice(4) : null;
}

/**
 * How fresh this clone's view of the other machines' claims is, in one line, or null when there is
 * no remote (one machine: the local database is the whole truth).
 */
export function remoteLine(remote: Remote, rec: SyncRecord | null, now: number): string | null {
  if (!remote.configured) return null;
  const when = (t: number) => ago(new Date(t).toISOString(), now);
  const pull = rec?.lastPull ?? null;
  const good = rec?.lastGoodPull ?? null;
  const since = good ? `claims made on other machines after the pull ${when(good)} are not shown` : "claims made on other machines are not shown";
  let line: string;
  if (!pull) line = `remote: never pulled on this machine; ${since}: coord sync`;
  else if (pull.kind === "ok") line = `remote: pulled ${when(pull.at)}${pull.brought ? "" : " (nothing new)"}`;
  else if (pull.kind === "conflict") line = `remote: the pull ${when(pull.at)} hit a merge conflict and merged nothing; ${since}: coord sync`;
  else line = `remote: the last pull ${when(pull.at)} failed (${pull.kind}${pull.detail ? `: ${pull.detail.slice(0, 80)}` : ""}); ${since}`;
  if (rec?.remoteAhead) line += `; the remote is ahead of this clone${rec.lastPush?.kind === "rejected" ? ` (push rejected ${when(rec.lastPush.at)})` : ""}: coord sync`;
  else if (rec?.lastPush && rec.lastPush.kind !== "ok" && rec.lastPush.kind !== "no-remote") line += `; the last push ${when(rec.lastPush.at)} failed (${rec.lastPush.kind}): this clone's claims may not have reached the others`;
  return line;
}

/**
 * What two overlapping claims share: the narrower pattern where one covers the other
 * (`src/api/` and `src/api/routes.ts` share `src/api/routes.ts`), else both.
 */
function sharedFiles(c: Contest): string[] {
  const out = new Set<string>();
  for (const f of c.files) {
    for (const t of c.otherFiles) {
      if (!patternsOverlap(f, t)) continue;
      if (!isGlob(f) && !isGlob(t)) out.add(coversPlain(f, t) ? t : f);
      else if (!isGlob(t) && !isGlob(f.replace(/\*\*$/, ""))) out.add(t);
      else out.add(f === t ? f : `${f} ∩ ${t}`);
    }
  }
  return [...out];
}

/** A live contest in two lines: what stands, and the one command that settles it. */
export function contestText(c: Contest): [string, string] {
  const settle = `settle: coord sync --settle ${c.id} --keep ours|theirs`;
  if (c.kind === "same-bead") return [`SPLIT BRAIN: ${c.id} "${c.title}" is claimed by ${c.here} here and by ${c.there} on another machine (${c.how})`, `${settle} (ours gives it to ${c.here}, theirs to ${c.there})`];
  return [
    `SPLIT BRAIN: ${c.id} (${c.here}, here) and ${c.otherId} (${c.there}, another machine) both claim ${sharedFiles(c).join(" ")}`,
    `${settle} (ours releases ${c.otherId}, theirs ${c.id})`,
  ];
}

/**
 * The banner's and coord claim's lines: two per live contest, the second indented; past `max`
 * contests the rest are counted, so the banner keeps its 10 lines whatever the number.
 */
export function contestLines(contests: readonly Contest[], max = Number.POSITIVE_INFINITY): string[] {
  const shown = contests.length > max ? contests.slice(0, Math.max(0, max - 1)) : contests;
  const out = shown.flatMap((c) => {
    const [what, settle] = contestText(c);
    return [what, `  ${settle}`];
  });
  if (shown.length < contests.length) out.push(`SPLIT BRAIN: ${contests.length - shown.length} more split brain(s): coord status`);
  return out;
}

/** What a short probe of the Dolt remote found (edges/dolt-sync probeRemote). */
export type RemoteProbe =
  /** `git ls-remote <url> refs/dolt/data`: the tip ("none": the remote holds no beads data), or the failure. */
  | { via: "git"; ms: number; tip: string | null; error: ProcOutput | null }
  /** A `file://` Dolt remote: a folder on this machine (or a mounted one). */
  | { via: "file"; ms: number; path: string; exists: boolean }
  /** Any other kind (DoltHub, S3, …): coord does not probe it; bd's own pull does. */
  | { via: "none" };

export interface DoctorLine {
  level: "ok" | "warn" | "fail";
  text: string;
  fix?: string;
}

export interface RemoteDoctorInput {
  remote: Remote & { name?: string };
  rec: SyncRecord | null;
  probe: RemoteProbe | null;
  /** The in-progress claims now, to tell which recorded split brains still stand; null when unknown. */
  claims: readonly Bead[] | null;
  budgetMs: number;
  now: number;
}

/**
 * `coord doctor`'s lines for claims across machines: the remote and whether it answered within
 * the budget, the last pull and push coord recorded, and what the last sync found (split brains,
 * a merge conflict). No remote is no fault: one machine's database is the whole truth.
 */
export function remoteDoctor(i: RemoteDoctorInput): DoctorLine[] {
  if (!i.remote.configured) {
    return [{ level: "ok", text: "no Dolt remote for the beads database: claims stay on this machine (to share them: bd dolt remote add origin <url>, then coord sync)" }];
  }
  const out: DoctorLine[] = [];
  const name = i.remote.name ?? "origin";
  const head = `Dolt remote ${name} (${i.remote.url})`;
  const secs = (ms: number) => (ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`);
  const readd = `if it moved: bd dolt remote remove ${name} && bd dolt remote add ${name} <new url>; then coord sync`;
  const p = i.probe;
  if (!p || p.via === "none") out.push({ level: "ok", text: `${head}: not probed (coord probes git and file:// remotes; coord sync tries this one)` });
  else if (p.via === "file") {
    if (p.exists) out.push({ level: "ok", text: `${head}: reachable (the folder exists)` });
    else out.push({ level: "warn", text: `${head}: unreachable: ${p.path} does not exist; claims made on other machines are not seen and this clone's do not reach them`, fix: `mount or restore ${p.path}, or ${readd}` });
  } else if (p.error) {
    const git = gitUrlOf(i.remote.url) ?? i.remote.url;
    const c = classify(p.error, "git ls-remote");
    const why = c.kind === "timeout" ? `did not answer within ${secs(i.budgetMs)}` : `unreachable (${c.kind === "unreachable" ? "" : `${c.kind}: `}${c.detail})`;
    out.push({
      level: "warn",
      text: `${head}: ${why}; claims made on other machines are not seen and this clone's do not reach them (the guard decides on this clone's claims)`,
      fix: `check that this machine reaches it: git ls-remote ${git} refs/dolt/data; ${readd}`,
    });
  } else if (p.tip === "none") {
    out.push({ level: "warn", text: `${head}: reachable (${secs(p.ms)}) but it holds no beads data (no refs/dolt/data)`, fix: "bd dolt push (from the machine whose beads are to be shared), then coord sync here" });
  } else out.push({ level: "ok", text: `${head}: reachable (git ls-remote answered in ${secs(p.ms)})` });

  const when = (t: number) => ago(new Date(t).toISOString(), i.now);
  const rec = i.rec;
  const pull = rec?.lastPull ?? null;
  const push = rec?.lastPush ?? null;
  const pullText = !pull
    ? "never pulled on this machine"
    : pull.kind === "ok"
      ? `last pull ${when(pull.at)} ${pull.brought ? "brought changes" : "brought nothing new"}`
      : `last pull ${when(pull.at)} failed (${pull.kind}${pull.detail ? `: ${pull.detail.slice(0, 80)}` : ""})${rec?.lastGoodPull ? `; the last good one ${when(rec.lastGoodPull)}` : ""}`;
  const pushText = !push ? "never pushed from this machine" : push.kind === "ok" ? `last push ${when(push.at)} ok` : `last push ${when(push.at)} failed (${push.kind}${push.detail ? `: ${push.detail.slice(0, 80)}` : ""})`;
  const ahead = rec?.remoteAhead ? "; the remote is ahead of this clone" : "";
  const good = pull?.kind === "ok" && (!push || push.kind === "ok" || push.kind === "no-remote") && !ahead;
  out.push(good ? { level: "ok", text: `${pullText}; ${pushText}` } : { level: "warn", text: `${pullText}; ${pushText}${ahead} (recorded in sync.json)`, fix: "coord sync" });

  const contests = rec ? (i.claims ? liveContests(rec.contests, i.claims) : rec.contests) : [];
  for (const c of contests) {
    const [what, settle] = contestText(c);
    out.push({ level: "warn", text: `${what} (found by coord sync ${when(c.at)})`, fix: settle.replace(/^settle: /, "") });
  }
  if (pull?.kind === "conflict") {
    const ids = (rec?.unmerged ?? []).map((b) => b.id);
    out.push({
      level: "warn",
      text: `the last pull ${when(pull.at)} hit a merge conflict and merged nothing${ids.length ? `: the remote's claims on ${ids.slice(0, 5).join(" ")}${ids.length > 5 ? ` and ${ids.length - 5} more` : ""} are not in this database` : ""}`,
      fix: "coord sync (it names the beads on each side and the commands that settle them)",
    });
  }
  if (!contests.length && pull?.kind !== "conflict" && pull) out.push({ level: "ok", text: "the last sync found no split brain and no merge conflict" });
  return out;
}

export type BdGeneration = "1.0" | "1.3";

/** bd's version line ("bd version 1.3.0 (dev)") → which settle commands it has. */
export function bdGeneration(versionOutput: string): BdGeneration {
  const m = /(\d+)\.(\d+)\.(\d+)/.exec(versionOutput);
  if (!m) return "1.3";
  const [maj, min] = [Number(m[1]), Number(m[2])];
  return maj > 1 || (maj === 1 && min >= 1) ? "1.3" : "1.0";
}

/** One step of settling a failed merge: a bd command, or moving this clone's database aside. */
export type SettleStep = { bd: string[] } | { moveAside: true };

/**
 * How a failed merge is settled, by bd generation, as measured. 1.3.0: `bd dolt pull --strategy
 * ours|theirs` merges with a side chosen. 1.0.5 cannot merge a conflict at all (`bd vc merge
 * --strategy` fails with the same "@autocommit transaction rolled back"): keeping ours overwrites
 * the remote (`bd dolt push --force`, after which the other machine must keep the remote's), and
 * keeping the remote's re-clones this database from it (`bd bootstrap`), with the old one moved
 * aside, not deleted, because its unpushed changes are lost to the new one.
 */
export function settleSteps(gen: BdGeneration, keep: "ours" | "theirs"): SettleStep[] {
  if (gen === "1.3") return [{ bd: ["dolt", "pull", "--strategy", keep] }];
  return keep === "ours" ? [] : [{ moveAside: true }, { bd: ["bootstrap", "--yes"] }];
}

/** The final push: 1.0.5 keeping ours must overwrite the remote's diverged history. */
export function settlePush(gen: BdGeneration, keep: "ours" | "theirs"): string[] {
  return gen === "1.0" && keep === "ours" ? ["dolt", "push", "--force"] : ["dolt", "push"];
}

export function describeStep(s: SettleStep, dbDir: string): string {
  return "bd" in s ? `bd ${s.bd.join(" ")}` : `mv ${dbDir} ${dbDir}.coord-backup`;
}

/**
 * Whether a shell command runs a bd command that changes claims (a claim, a release, a close, an
 * assignee or status), read by the same bd argv table the Bash guard uses. A new open bead claims
 * nothing: it travels with the next claim or sync.
 */
export function isBdWrite(command: string): boolean {
  return analyze(command).commands.some((c) => (bdEffect(c.argv, c.dyn)?.changes.length ?? 0) > 0);
}
