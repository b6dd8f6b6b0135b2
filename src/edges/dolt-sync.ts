// Claims across machines through bd's own Dolt remote: is one configured, pull, push, what the
// remote holds, and the record of it all in <state>/sync.json. Policy (what is a split brain, what
// to say) is core/sync.ts; this file only runs bd and keeps the record.
import { existsSync, readFileSync, renameSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { type Bead, parseBdList } from "../core/claims";
import {
  type BdGeneration,
  type ProcOutput,
  type Contest,
  type PullResult,
  type PushResult,
  type Remote,
  type RemoteProbe,
  type SyncRecord,
  bdGeneration,
  classifyPull,
  classifyPush,
  emptyRecord,
  findContests,
  gitUrlOf,
  liveContests,
  mergeContests,
  parseSyncRecord,
} from "../core/sync";
import { type BeadsLocation, bd, bdBinary, databaseKey } from "./bd";
import { readText, tryLock, writeAtomic } from "./fs";
import { run, spawnDetached } from "./proc";
import { selfCommand } from "./self";
import { loadClaims } from "./snapshot";

interface DoltRepoState {
  head?: string;
  remotes?: Record<string, { name?: string; url?: string }>;
}

function repoState(loc: BeadsLocation): DoltRepoState | null {
  // The journal lives in <db>/.dolt/noms/; repo_state.json beside noms/ names the remotes.
  const dotDolt = loc.journal ? dirname(dirname(loc.journal)) : loc.manifest ? dirname(dirname(loc.manifest)) : null;
  if (!dotDolt) return null;
  try {
    return JSON.parse(readFileSync(join(dotDolt, "repo_state.json"), "utf8")) as DoltRepoState;
  } catch {
    return null;
  }
}

/** The Dolt remote bd pulls from, read from Dolt's own repo_state.json: no process, no network. */
export function doltRemote(loc: BeadsLocation): Remote & { name?: string; branch?: string } {
  const s = repoState(loc);
  const remotes = Object.entries(s?.remotes ?? {});
  const chosen = remotes.find(([n]) => n === "origin") ?? remotes[0];
  if (!chosen) return { configured: false };
  const branch = s?.head?.replace(/^refs\/heads\//, "") || "main";
  return { configured: true, url: chosen[1].url ?? chosen[0], name: chosen[0], branch };
}

export const syncPath = (state: string) => join(state, "sync.json");

export function readSyncRecord(state: string): SyncRecord | null {
  return parseSyncRecord(readText(syncPath(state)));
}

function writeSyncRecord(state: string, rec: SyncRecord): void {
  try {
    writeAtomic(syncPath(state), `${JSON.stringify(rec, null, 1)}\n`);
  } catch {
    // A read-only git dir: the sync itself happened; only its record is lost.
  }
}

export interface SyncDeps {
  root: string;
  loc: BeadsLocation;
  state: string;
  env: Record<string, string | undefined>;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  budgetMs: number;
}

/** pull: SessionStart. push: after a claim (a rejected push pulls, re-checks, pushes again). both: coord sync. */
export type SyncMode = "pull" | "push" | "both";

export interface SyncReport {
  remote: Remote;
  /** Why nothing ran: no remote, or another coord sync held the lock past the budget. */
  skipped: string | null;
  pulls: PullResult[];
  pushes: PushResult[];
  /** Every pull and push in the order they ran. */
  steps: ({ op: "pull" } & PullResult | { op: "push" } & PushResult)[];
  brought: boolean;
  /** Contests found by this run. */
  found: Contest[];
  /** Every contest that stands after this run. */
  contests: Contest[];
  unmerged: Bead[];
  record: SyncRecord;
  ms: number;
}

const MAX_ATTEMPTS = 3;

async function beadsNow(d: SyncDeps, timeoutMs: number): Promise<Bead[] | null> {
  const view = await loadClaims({ stateDir: d.state, loc: d.loc, cwd: d.root, env: d.env, budgetMs: Math.max(500, timeoutMs), now: d.now, sleep: d.sleep, all: true });
  return view.freshness === "fresh" || view.freshness === "refreshed" ? (view.snapshot?.beads ?? []) : null;
}

/**
 * The remote's version of every bead that differs between this clone and the remote's branch as
 * last fetched (`bd diff` names them, `bd show --as-of` gives them whole: `bd diff` leaves out the
 * assignee). Empty when they agree or bd cannot tell.
 */
async function remoteVersions(d: SyncDeps, remote: { name?: string; branch?: string }, timeoutMs: number): Promise<Bead[]> {
  const ref = `${remote.name ?? "origin"}/${remote.branch ?? "main"}`;
  const diff = await bd(["diff", remote.branch ?? "main", ref, "--json"], d.root, d.env, timeoutMs);
  if (diff.code !== 0) return [];
  let ids: string[] = [];
  try {
    const doc = JSON.parse(diff.stdout) as unknown;
    const rows = Array.isArray(doc) ? doc : ((doc as { data?: unknown })?.data as unknown[]) ?? [];
    ids = rows
      .filter((r): r is { IssueID: string; DiffType?: string } => !!r && typeof (r as { IssueID?: unknown }).IssueID === "string")
      .filter((r) => r.DiffType !== "removed")
      .map((r) => r.IssueID);
  } catch {
    return [];
  }
  if (!ids.length) return [];
  const shown = await bd(["show", ...ids.slice(0, 200), "--as-of", ref, "--json"], d.root, d.env, timeoutMs);
  if (shown.code !== 0) return [];
  try {
    return parseBdList(shown.stdout);
  } catch {
    return [];
  }
}

/**
 * One sync within a time budget. Pull (unless mode is push); on success push (unless mode is
 * pull); a push rejected because the remote moved pulls again, re-checks the claims and pushes
 * again, up to three times. A pull that fails leaves the database as it was (bd rolls the merge
 * back, measured with 1.0.5 and 1.3.0), so nothing is pushed after it. Serialized by a lock.
 */
export async function syncOnce(d: SyncDeps, mode: SyncMode): Promise<SyncReport> {
  const start = d.now();
  const remote = doltRemote(d.loc);
  const old = readSyncRecord(d.state);
  const rec: SyncRecord = old ?? emptyRecord(remote.configured ? remote.url : null);
  const report = (skipped: string | null, extra: Partial<SyncReport> = {}): SyncReport => ({
    remote,
    skipped,
    pulls: [],
    pushes: [],
    steps: [],
    brought: false,
    found: [],
    contests: rec.contests,
    unmerged: rec.unmerged,
    record: rec,
    ms: d.now() - start,
    ...extra,
  });
  if (!remote.configured) return report("no Dolt remote is configured for this beads database (bd dolt remote add origin <url>)");
  rec.remote = remote.url;

  const lockPath = join(d.state, "sync.lock");
  let release = tryLock(lockPath, d.budgetMs + 60_000, start);
  while (!release && d.now() - start < d.budgetMs) {
    await d.sleep(50);
    release = tryLock(lockPath, d.budgetMs + 60_000, d.now());
  }
  if (!release) return report("another coord sync is still running");
  const left = () => Math.max(100, d.budgetMs - (d.now() - start));
  const pulls: PullResult[] = [];
  const pushes: PushResult[] = [];
  const steps: SyncReport["steps"] = [];
  const found: Contest[] = [];
  let brought = false;
  try {
    let wantPull = mode !== "push";
    // The remote's tip this clone has wholly merged, if known.
    let knownTip = rec.remoteTip ?? null;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      if (wantPull) {
        // Nothing pushed since this clone's last good pull or push: the pull would bring nothing.
        // A git remote git cannot reach, bd cannot either: said at once, without bd's slower try.
        const probe = await remoteTip(remote.url, d.root, d.env, Math.min(left(), 5000));
        const tip = probe.tip;
        if (mode === "pull" && (probe.error || (tip && tip === rec.remoteTip && rec.lastPull?.kind === "ok"))) {
          const pr = probe.error ? classifyPull(probe.error) : { kind: "ok" as const, detail: "", superseded: [] };
          const kind = pr.kind === "failed" ? "unreachable" : pr.kind;
          rec.lastPull = { at: d.now(), kind, detail: pr.detail, brought: false };
          if (kind === "ok") rec.lastGoodPull = rec.lastPull.at;
          pulls.push({ ...pr, kind });
          steps.push({ op: "pull", ...pr, kind });
          break;
        }
        const tipBefore = tip;
        const before = (await beadsNow(d, left())) ?? [];
        const keyBefore = databaseKey(d.loc);
        const pr = classifyPull(await bd(["dolt", "pull"], d.root, d.env, left()));
        pulls.push(pr);
        steps.push({ op: "pull", ...pr });
        const thisBrought = pr.kind === "ok" && databaseKey(d.loc) !== keyBefore;
        brought ||= thisBrought;
        rec.lastPull = { at: d.now(), kind: pr.kind, detail: pr.detail, brought: thisBrought };
        if (pr.kind === "ok") {
          rec.lastGoodPull = rec.lastPull.at;
          rec.remoteAhead = false;
          // The tip read before the pull: a push that landed meanwhile makes the next check pull again.
          rec.remoteTip = tipBefore;
          knownTip = tipBefore;
        }
        if (pr.kind === "conflict") rec.remoteAhead = true;
        // Recorded at once: a SessionStart waiting for this pull goes on while the claims are compared.
        writeSyncRecord(d.state, rec);
        if (pr.kind === "ok" || pr.kind === "conflict") {
          const after = thisBrought ? ((await beadsNow(d, left())) ?? before) : before;
          // Only a pull that merged something, or could not, can have met another machine's claims.
          const theirs = thisBrought || pr.kind === "conflict" ? await remoteVersions(d, remote, left()) : [];
          const f = findContests({ before, after, remote: theirs, mergeFailed: pr.kind === "conflict", now: d.now() });
          found.push(...f.contests);
          rec.contests = liveContests(mergeContests(rec.contests, f.contests), after.filter((b) => b.status === "in_progress"));
          rec.unmerged = f.unmerged;
        }
        if (pr.kind !== "ok" || mode === "pull") break;
      }
      const ps = classifyPush(await bd(["dolt", "push"], d.root, d.env, left()));
      pushes.push(ps);
      steps.push({ op: "push", ...ps });
      rec.lastPush = { at: d.now(), kind: ps.kind, detail: ps.detail };
      // A push that moved the remote makes its tip ours, unless another machine pushed right after:
      // unknowable here, so the next check pulls in full rather than risk skipping that claim.
      if (ps.kind === "ok") {
        const after = (await remoteTip(remote.url, d.root, d.env, Math.min(left(), 5000))).tip;
        rec.remoteTip = after && after === knownTip ? after : null;
      }
      if (ps.kind !== "rejected") break;
      // The remote moved since this clone last pulled: merge it, re-check, try again.
      rec.remoteAhead = true;
      wantPull = true;
      if (left() < 1500) break;
    }
  } finally {
    writeSyncRecord(d.state, rec);
    release();
  }
  return report(null, { pulls, pushes, steps, brought, found, contests: rec.contests, unmerged: rec.unmerged });
}

/**
 * The remote's `refs/dolt/data` by `git ls-remote` (milliseconds for a local origin, one round
 * trip for a network one; bd's pull costs 1.4 s even when it brings nothing), or null when the
 * remote is not a git one or did not answer.
 */
async function remoteTip(url: string, cwd: string, env: Record<string, string | undefined>, timeoutMs: number): Promise<{ tip: string | null; error: ProcOutput | null }> {
  const git = gitUrlOf(url);
  if (!git) return { tip: null, error: null };
  // Never a prompt: a hook has nobody to answer it.
  const quiet = { GIT_TERMINAL_PROMPT: "0", GIT_SSH_COMMAND: env.GIT_SSH_COMMAND ?? "ssh -o BatchMode=yes" };
  const r = await run(["git", "ls-remote", git, "refs/dolt/data"], { cwd, env: { ...env, ...quiet }, timeoutMs });
  if (r.code !== 0) return { tip: null, error: r };
  return { tip: /^([0-9a-f]{40,64})\s+refs\/dolt\/data$/m.exec(r.stdout)?.[1] ?? "none", error: null };
}

/**
 * Whether the Dolt remote answers, within `timeoutMs`: `git ls-remote` for a git remote (what
 * coord sync probes before each pull), the folder for a `file://` one; any other kind is left to bd.
 */
export async function probeRemote(url: string, cwd: string, env: Record<string, string | undefined>, timeoutMs: number): Promise<RemoteProbe> {
  const t0 = performance.now();
  if (gitUrlOf(url)) {
    const r = await remoteTip(url, cwd, env, timeoutMs);
    return { via: "git", ms: performance.now() - t0, tip: r.tip, error: r.error };
  }
  if (url.startsWith("file://")) {
    let path = url.slice("file://".length);
    try {
      path = fileURLToPath(url);
    } catch {
      // Not a well-formed file URL: the text after the scheme is the best guess at the folder.
    }
    return { via: "file", ms: performance.now() - t0, path, exists: existsSync(path) };
  }
  return { via: "none" };
}

/** Which settle commands this bd has (one `bd version`, only on the conflict path). */
export async function bdGenerationOf(root: string, env: Record<string, string | undefined>): Promise<BdGeneration> {
  const r = await bd(["version"], root, env, 10_000);
  return bdGeneration(r.stdout);
}

/** Forgets one contest (after the person settled it), keeping the rest of the record. */
export function dropContest(state: string, id: string): void {
  const rec = readSyncRecord(state);
  if (!rec) return;
  rec.contests = rec.contests.filter((c) => c.id !== id && c.otherId !== id);
  rec.unmerged = rec.unmerged.filter((b) => b.id !== id);
  writeSyncRecord(state, rec);
}

/**
 * Starts `coord sync` in the background (its own process group; output to <state>/sync.log), so
 * a hook never waits for the network. Returns false when it could not be started.
 */
export function syncDetached(mode: SyncMode, root: string, state: string, env: Record<string, string | undefined>): boolean {
  const args = [...selfCommand(), "sync", "--quiet", "--budget-ms", "20000", ...(mode === "both" ? [] : [`--${mode}-only`])];
  return spawnDetached(args, { cwd: root, env: { ...env, COORD_BD: bdBinary(env) }, logFile: join(state, "sync.log") }) !== null;
}

/**
 * Moves this clone's embedded database into the state dir (never committed), so `bd bootstrap`
 * can clone the remote's afresh while the old one, with any unpushed changes, stays on disk.
 */
export function moveDatabaseAside(loc: BeadsLocation, state: string, now: number): string | null {
  const to = join(state, `db-backup-${new Date(now).toISOString().replace(/[:.]/g, "-")}`);
  try {
    renameSync(join(loc.dir, "embeddeddolt"), to);
    return to;
  } catch {
    return null;
  }
}
