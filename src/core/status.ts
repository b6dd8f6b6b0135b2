// `coord status`: the banner's picture with more room, as a model (the --json document, schema
// coord.status/1, see docs/status-schema.md) and its rendering for a terminal. Pure.
import { isStale } from "./banner";
import { type Bead, claimProblems, safeReady } from "./claims";
import { freeWork } from "./freework";
import { type LeaseState, lastActive, leaseState, leaseText } from "./lease";
import { isLive } from "./live";
import { patternsOverlap } from "./match";
import { byText } from "./order";
import { CAP, cleanText, firstOf, name, pattern, quoted } from "./text";
import { ago } from "./time";
import type { Zone, ZoneKind } from "./zones";
import type { SessionRecord } from "./live";
import { type Contest, contestLines } from "./sync";

export const STATUS_SCHEMA = "coord.status/1";
/** Sessions last seen longer ago than this are left out of the picture. */
export const RECENT_SESSION_MS = 24 * 3600_000;
/** The terminal view lists at most this many rows per section; --json has them all. */
export const STATUS_ROWS = 20;

export interface StatusInput {
  repo: string;
  me: string | null;
  beads: readonly Bead[];
  zones: readonly Zone[];
  sessions: readonly SessionRecord[];
  now: number;
  staleClaimHours: number;
  sessionIdleMinutes: number;
  claims: { freshness: string; takenAt: number | null; note: string | null };
  configError?: string | null;
  /** How many ready beads overlap no claim, when `beads` holds only the best of them (the snapshot's). */
  readyTotal?: number;
  /** Pairs of checkouts that changed the same files (src/wt/predict.ts); empty without worktrees. */
  worktreeOverlaps?: readonly WorktreeOverlap[];
  /** Other machines: how fresh this clone's view of them is (core/sync remoteLine) and the split brains. */
  remote?: { configured: boolean; line: string | null; lastGoodPull: number | null; remoteAhead: boolean; contests: readonly Contest[] };
  /** The repository's files: free work is then named by folder. */
  files?: readonly string[] | null;
}

/** Two checkouts (main or worktrees) that both changed files since their merge base. */
export interface WorktreeOverlap {
  a: string;
  b: string;
  wouldConflict: string[];
  bothTouched: string[];
}

export interface ClaimEntry {
  id: string;
  title: string;
  files: string[];
  updatedAt: string;
  stale: boolean;
  /** bd 1.3.0 leases; "none" for claims made under bd 1.0.5. */
  lease: LeaseState["kind"];
  leaseExpiresAt: string | null;
  heartbeatAt: string | null;
}

export interface StatusModel {
  schema: typeof STATUS_SCHEMA;
  generatedAt: string;
  repo: string;
  identity: string | null;
  claims: { freshness: string; takenAt: string | null; note: string | null };
  configError: string | null;
  owners: { owner: string; mine: boolean; beads: ClaimEntry[] }[];
  withoutFiles: { id: string; title: string; owner: string }[];
  staleClaims: {
    id: string;
    title: string;
    owner: string;
    updatedAt: string;
    hours: number;
    /** coord's records show every session of the owner gone: `bd reclaim --id <id>` is safe to suggest. */
    ownerGone: boolean;
  }[];
  /** In-progress claims whose patterns cover the whole repository, nothing in it, or are matched by their prefix. */
  flaggedClaims: { id: string; title: string; owner: string; pattern: string; problem: string }[];
  staleClaimHours: number;
  zones: {
    name: string;
    kind: ZoneKind;
    paths: string[];
    note: string;
    state: "free" | "claimed";
    /** `partly`: claims touch part of the zone; `whole`: a claim covers all of it. */
    coverage: "free" | "partly" | "whole";
    /** Folders of a partly claimed zone that no claim touches. */
    freeFolders: string[];
    claimedBy: { id: string; owner: string }[];
  }[];
  /** Packages and folders outside every zone that no claim touches (the layout's grain). */
  freeOutsideZones: string[];
  sessions: {
    identity: string;
    sessionId: string;
    root: string;
    cwd: string;
    startedAt: string;
    lastSeen: string;
    state: "active" | "idle" | "ended";
    holding: string[];
  }[];
  ready: { id: string; title: string; files: string[] }[];
  readyTotal: number;
  worktreeOverlaps: WorktreeOverlap[];
  remote: { configured: boolean; line: string | null; lastGoodPull: string | null; remoteAhead: boolean; splitBrain: Contest[] };
}

const iso = (t: number) => new Date(t).toISOString();

export function statusModel(i: StatusInput): StatusModel {
  const claims = i.beads.filter((b) => b.status === "in_progress").sort((a, b) => byText(a.id, b.id));
  const byOwner = new Map<string, Bead[]>();
  for (const b of claims) {
    const k = b.assignee || "";
    byOwner.set(k, [...(byOwner.get(k) ?? []), b]);
  }
  const owners = [...byOwner.entries()]
    .sort(([a], [b]) => Number(b === i.me) - Number(a === i.me) || (a === "" ? 1 : b === "" ? -1 : byText(a, b)))
    .map(([owner, beads]) => ({
      owner,
      mine: i.me !== null && owner === i.me,
      beads: beads.map((b) => ({
        id: b.id,
        title: b.title,
        files: b.files,
        updatedAt: b.updatedAt,
        stale: isStale(b, i.now, i.staleClaimHours),
        lease: leaseState(b, i.now).kind,
        leaseExpiresAt: b.leaseExpiresAt ?? null,
        heartbeatAt: b.heartbeatAt ?? null,
      })),
    }));
  const work = freeWork(i.zones, claims, i.files ?? null);
  const zones = i.zones.map((z, k) => {
    const w = work.zones[k];
    const holders = claims.filter((b) => b.files.some((f) => z.paths.some((p) => patternsOverlap(f, p))));
    return {
      name: z.name,
      kind: z.kind,
      paths: z.paths,
      note: z.note,
      state: holders.length ? ("claimed" as const) : ("free" as const),
      coverage: w?.state === "claimed" ? ("whole" as const) : (w?.state ?? "free"),
      freeFolders: w?.free ?? [],
      claimedBy: holders.map((b) => ({ id: b.id, owner: b.assignee })),
    };
  });
  const idleMs = i.sessionIdleMinutes * 60_000;
  // Gone by coord's own records: sessions of that identity were seen here, and none is live now.
  const ownerGone = (owner: string) => {
    const theirs = i.sessions.filter((s) => s.identity === owner);
    return theirs.length > 0 && !theirs.some((s) => isLive(s, i.now, idleMs));
  };
  const sessions = i.sessions
    .filter((s) => i.now - s.lastSeen <= RECENT_SESSION_MS)
    .sort((a, b) => b.lastSeen - a.lastSeen)
    .map((s) => ({
      identity: s.identity,
      sessionId: s.sessionId,
      root: s.root,
      cwd: s.cwd,
      startedAt: iso(s.startedAt),
      lastSeen: iso(s.lastSeen),
      state: s.endedAt !== null ? ("ended" as const) : i.now - s.lastSeen > idleMs ? ("idle" as const) : ("active" as const),
      holding: claims.filter((b) => b.assignee === s.identity).map((b) => b.id),
    }));
  const ready = safeReady(i.beads, claims).map((b) => ({ id: b.id, title: b.title, files: b.files }));
  return {
    schema: STATUS_SCHEMA,
    generatedAt: iso(i.now),
    repo: i.repo,
    identity: i.me,
    claims: { freshness: i.claims.freshness, takenAt: i.claims.takenAt === null ? null : iso(i.claims.takenAt), note: i.claims.note },
    configError: i.configError ?? null,
    owners,
    withoutFiles: claims.filter((b) => b.files.length === 0).map((b) => ({ id: b.id, title: b.title, owner: b.assignee })),
    staleClaims: claims
      .filter((b) => isStale(b, i.now, i.staleClaimHours) || leaseState(b, i.now).kind === "reclaimable")
      .map((b) => ({
        id: b.id,
        title: b.title,
        owner: b.assignee,
        updatedAt: b.updatedAt,
        hours: Math.floor((i.now - lastActive(b)) / 3600_000),
        ownerGone: !!b.assignee && ownerGone(b.assignee),
      })),
    staleClaimHours: i.staleClaimHours,
    flaggedClaims: claims.flatMap((b) => claimProblems(b).map((p) => ({ id: b.id, title: b.title, owner: b.assignee, pattern: p.pattern, problem: p.problem }))),
    zones,
    freeOutsideZones: work.outside,
    sessions,
    ready,
    readyTotal: Math.max(i.readyTotal ?? 0, ready.length),
    worktreeOverlaps: (i.worktreeOverlaps ?? []).filter((o) => o.wouldConflict.length || o.bothTouched.length).map((o) => ({ ...o })),
    remote: {
      configured: i.remote?.configured ?? false,
      line: i.remote?.line ?? null,
      lastGoodPull: i.remote?.lastGoodPull ? iso(i.remote.lastGoodPull) : null,
      remoteAhead: i.remote?.remoteAhead ?? false,
      splitBrain: [...(i.remote?.contests ?? [])],
    },
  };
}

export interface Paint {
  bold: (s: string) => string;
  dim: (s: string) => string;
  red: (s: string) => string;
  yellow: (s: string) => string;
  green: (s: string) => string;
}

const ansi = (code: number, reset: number) => (s: string) => `\x1b[${code}m${s}\x1b[${reset}m`;
export const COLOR: Paint = { bold: ansi(1, 22), dim: ansi(2, 22), red: ansi(31, 39), yellow: ansi(33, 39), green: ansi(32, 39) };
export const PLAIN: Paint = { bold: (s) => s, dim: (s) => s, red: (s) => s, yellow: (s) => s, green: (s) => s };

export function renderStatus(m: StatusModel, now: number, p: Paint = PLAIN): string {
  const out: string[] = [];
  const who = (o: string) => (o ? name(o) : "(unassigned)");
  // Every section shows its first rows; the JSON document has them all.
  const rows = <T>(items: readonly T[], show: (t: T) => string, indent = "  ") =>
    out.push(...firstOf(items, STATUS_ROWS, show, (n) => `${indent}… ${n} more: coord status --json`));
  out.push(`${p.bold("coord status")} ${cleanText(m.repo)}`);
  out.push(`  you are ${m.identity ? name(m.identity) : p.yellow("unknown (set BEADS_ACTOR to claim from this shell)")}`);
  const c = m.claims;
  if (c.freshness !== "fresh" && c.freshness !== "refreshed") out.push(`  ${p.yellow(`claims ${c.freshness}`)}${c.note ? `: ${cleanText(c.note.replace(/^coord: /, ""))}` : ""}`);
  else if (c.takenAt) out.push(p.dim(`  claims: this clone's database, read ${ago(c.takenAt, now)}`));
  if (m.remote.line) out.push(`  ${cleanText(m.remote.line).startsWith("remote: pulled") && !m.remote.remoteAhead ? p.dim(cleanText(m.remote.line)) : p.yellow(cleanText(m.remote.line))}`);
  for (const l of contestLines(m.remote.splitBrain)) out.push(`  ${l.startsWith("  ") ? "  " : ""}${p.red(cleanText(l))}`);
  if (m.configError) out.push(`  ${p.red("coord.toml:")} ${cleanText(m.configError.split("\n")[0] ?? "")}`);

  const total = m.owners.reduce((n, o) => n + o.beads.length, 0);
  out.push("", p.bold(`In progress (${total})`));
  if (total === 0) out.push("  nothing claimed; every file is free");
  const flagged = new Set(m.flaggedClaims.map((f) => f.id));
  for (const o of m.owners) {
    out.push(`  ${o.mine ? p.green(who(o.owner)) : p.bold(who(o.owner))}${o.mine ? " (you)" : ""}: ${o.beads.length}`);
    rows(
      o.beads,
      (b) => {
        const files = b.files.length ? firstOf(b.files, 10, pattern, (n) => `+${n} more`).join(" ") : p.red("no Files: line");
        const stale = b.stale ? p.yellow(` (STALE, updated ${ago(b.updatedAt, now)})`) : p.dim(` (updated ${ago(b.updatedAt, now)})`);
        const lt = leaseText({ leaseExpiresAt: b.leaseExpiresAt ?? undefined }, now);
        const lease = !lt ? "" : b.lease === "live" ? p.dim(` (${lt})`) : p.yellow(` (${lt})`);
        return `    ${name(b.id)} ${quoted(b.title)}: ${files}${flagged.has(b.id) ? p.red(" [flagged, below]") : ""}${stale}${lease}`;
      },
      "    ",
    );
  }
  if (m.flaggedClaims.length) {
    out.push("", p.red(`Claims that do not mean what they seem to (${m.flaggedClaims.length})`));
    rows(m.flaggedClaims, (f) => `  ${name(f.id)} ${quoted(f.title)} (${who(f.owner)}): Files: ${pattern(f.pattern)} ${f.problem}`);
  }
  if (m.withoutFiles.length) {
    out.push("", p.red(`In progress without Files: (${m.withoutFiles.length}), the guard cannot protect them`));
    rows(m.withoutFiles, (b) => `  ${name(b.id)} ${quoted(b.title)} (${who(b.owner)}): bd update ${name(b.id)} --metadata '{"files":["<path>"]}'`);
  }
  if (m.staleClaims.length) {
    out.push("", p.yellow(`Stale claims (no update or heartbeat for ${m.staleClaimHours}h, or a lease past bd's reclaim grace): ${m.staleClaims.length}`));
    // Reclaiming is suggested only when coord saw the owner's sessions end or fall silent: an idle
    // session (its person away) fires no hook and renews nothing, yet still works.
    rows(
      m.staleClaims,
      (b) => `  ${name(b.id)} ${quoted(b.title)} (${who(b.owner)}), updated ${ago(b.updatedAt, now)}: ${b.ownerGone ? `its owner's sessions are gone: bd reclaim --id ${b.id}` : `ask ${who(b.owner)} to finish or release it`}`,
    );
  }
  if (m.zones.length) {
    out.push("", p.bold("Zones"));
    const w = Math.min(CAP.name, Math.max(...m.zones.map((z) => name(z.name).length)));
    rows(m.zones, (z) => {
      const by = firstOf(z.claimedBy, 5, (h) => `${who(h.owner)} (${name(h.id)})`, (n) => `${n} more`).join(", ");
      const state =
        z.coverage === "free"
          ? p.green("free")
          : z.coverage === "partly"
            ? `partly claimed by ${by}${z.freeFolders.length ? `; free: ${p.green(firstOf(z.freeFolders, 10, pattern, (n) => `+${n} more`).join(" "))}` : ""}`
            : `claimed by ${by}`;
      return `  ${name(z.name).padEnd(w)}  ${z.kind.padEnd(6)}  ${z.paths.map(pattern).join(" ")}  ${state}${z.note ? p.dim(`  note: ${quoted(z.note, CAP.note)}`) : ""}`;
    });
  }
  if (m.freeOutsideZones.length) out.push("", p.bold("Free outside every zone"), `  ${p.green(firstOf(m.freeOutsideZones, STATUS_ROWS, pattern, (n) => `+${n} more`).join(" "))}`);
  out.push("", p.bold(`Sessions seen in the last 24h (${m.sessions.length})`));
  if (m.sessions.length === 0) out.push("  none recorded");
  rows(m.sessions, (s) => {
    const state = s.state === "active" ? p.green("active") : s.state === "idle" ? p.yellow("idle") : p.dim("ended");
    const holding = s.holding.length ? `, holding ${firstOf(s.holding, 5, name, (n) => `+${n} more`).join(" ")}` : "";
    return `  ${name(s.identity)}  ${state}, last seen ${ago(s.lastSeen, now)}${holding}  ${p.dim(cleanText(s.cwd))}`;
  });
  if (m.worktreeOverlaps.length) {
    out.push("", p.bold("Worktrees that changed the same files"));
    for (const o of m.worktreeOverlaps) {
      if (o.wouldConflict.length) out.push(`  ${o.a} <> ${o.b}: ${p.red("WOULD CONFLICT")} in ${o.wouldConflict.join(", ")}`);
      if (o.bothTouched.length) out.push(`  ${o.a} <> ${o.b}: both touched ${o.bothTouched.join(", ")} (merges cleanly today)`);
    }
  }
  if (m.ready.length) {
    out.push("", p.bold(`Ready, overlapping no claim (${m.readyTotal})`));
    for (const r of m.ready.slice(0, 5)) out.push(`  ${name(r.id)} ${quoted(r.title)}${r.files.length ? `: ${firstOf(r.files, 10, pattern, (n) => `+${n} more`).join(" ")}` : ""}`);
    if (m.readyTotal > 5) out.push(`  … ${m.readyTotal - 5} more: bd ready`);
  }
  out.push("", p.dim("claim: coord claim <id> (or bd update <id> --claim)"));
  return out.join("\n");
}
