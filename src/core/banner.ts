// The SessionStart banner: who I am, who works on what, what is free. At most 10 lines of at
// most 100 columns, whatever the number of beads.
import { type Bead, claimProblems, safeReady } from "./claims";
import { freeWork, freeWorkLines, rotateFor } from "./freework";
import { lastActive, leaseText } from "./lease";
import { byText } from "./order";
import { cleanText, name, pattern, quoted } from "./text";
import { ago } from "./time";
import type { Zone } from "./zones";

export const BANNER_WIDTH = 100;
export const BANNER_MAX_LINES = 10;

export interface BannerInput {
  me: string;
  beads: readonly Bead[];
  zones: readonly Zone[];
  now: number;
  staleClaimHours: number;
  /** Set when the claims could not be read fresh. */
  note?: string | null;
  /** Where this session's test databases go, in a coord worktree. */
  dbDir?: string | null;
  /** How fresh the view of other machines' claims is (core/sync remoteLine), and the split brains. */
  remote?: string | null;
  splitBrain?: readonly string[];
  /** This checkout's `[worktree]` variables from coord.toml, as exported to the session. */
  env?: readonly (readonly [string, string])[];
  /** The repository's files, when known: free work is then named by folder, inside zones and out. */
  files?: readonly string[] | null;
  /** The host cannot hand the session's shell its identity (Codex, Gemini CLI): bd needs `--actor`. */
  actorFlag?: boolean;
}

/** One banner line: inert, one line, at most `width` columns. */
export function clip(s: string, width = BANNER_WIDTH): string {
  const indent = /^ */.exec(s)?.[0] ?? "";
  return indent + cleanText(s.slice(indent.length), width - indent.length);
}

/** Not updated and not heartbeated (bd 1.3.0) for `hours`. */
export function isStale(b: Bead, now: number, hours: number): boolean {
  const t = lastActive(b);
  return !Number.isNaN(t) && now - t > hours * 3600_000;
}

function claimLine(b: Bead, now: number, hours: number): string {
  const files = b.files.length ? b.files.map(pattern).join(" ") : "(no Files: line)";
  const stale = isStale(b, now, hours) ? ` STALE, updated ${ago(b.updatedAt, now)}` : "";
  const flagged = claimProblems(b).length ? " [flagged]" : "";
  const lease = leaseText(b, now);
  return `  ${name(b.id)} ${b.assignee ? name(b.assignee) : "(unassigned)"}: ${files}${flagged} — ${quoted(b.title)}${stale}${lease ? ` (${lease})` : ""}`;
}

export function renderBanner(i: BannerInput): string {
  const claims = i.beads.filter((b) => b.status === "in_progress");
  const mine = claims.filter((b) => b.assignee === i.me);
  const head = [`coord: you are ${name(i.me)}${mine.length ? `, holding ${mine.map((b) => name(b.id)).join(" ")}` : ""}. Another session's claimed files will be refused.`];
  if (i.note) head.push(`  (${i.note.replace(/^coord: /, "")})`);
  // Other machines: how fresh their claims are here, and the split brains (core/sync), never dropped.
  if (i.remote) head.push(`  ${cleanText(i.remote)}`);
  // Each line keeps its indent (a contest's settle line is indented under it); clip() cleans it.
  for (const l of i.splitBrain ?? []) head.push(`  ${l}`);
  // Each line after the claims, with the rank it is dropped in when the 10 lines run out (highest
  // first): the flagged claims and how to claim are never dropped.
  const ranked: [number, string][] = [];
  if (i.zones.length) freeWorkLines(freeWork(i.zones, claims, i.files ?? null)).forEach((l, k) => ranked.push([k === 0 ? 4 : 6 + k, l]));
  const flagged = claims.flatMap((b) => claimProblems(b).map((p) => `${name(b.id)} ${pattern(p.pattern)} ${p.problem.split(/[:;(]/)[0]?.trim()}`));
  if (flagged.length) ranked.push([0, `flagged claims (${flagged.length}): ${flagged.join("; ")}; details: coord status`]);
  // Sessions that start together each see a different best bead first.
  const ready = rotateFor(safeReady(i.beads, claims, 9), i.me).slice(0, 3);
  if (ready.length) ranked.push([5, `ready, no overlap: ${ready.map((b) => `${name(b.id)} ${quoted(b.title, 40)}`).join(", ")}`]);
  if (i.dbDir) ranked.push([2, `test databases for this worktree: $COORD_DB_DIR = ${i.dbDir}`]);
  if (i.env?.length) ranked.push([3, `this checkout's environment (coord.toml [worktree]): ${i.env.map(([k, v]) => `${k}=${v}`).join(" ")}`]);
  if (i.actorFlag) {
    ranked.push([0, `claim first: bd update <id> --claim --actor ${name(i.me)} (bd cannot tell who you are otherwise)`]);
    ranked.push([1, `new work: bd create "<title>" --description "Files: <paths>" --actor ${name(i.me)}`]);
  } else ranked.push([0, `claim first: bd update <id> --claim; new work: bd create "<title>" --description "Files: <paths>"`]);
  // The claims need two lines at least (the count and one bead, or the summary).
  const tailRoom = BANNER_MAX_LINES - head.length - (claims.length ? 2 : 1);
  const dropped = new Set(ranked.map((r, k) => [r[0], k] as const).sort((a, b) => b[0] - a[0] || b[1] - a[1]).slice(0, Math.max(0, ranked.length - tailRoom)).map(([, k]) => k));
  const tail = ranked.filter((_, k) => !dropped.has(k)).map(([, l]) => l);

  const body: string[] = [];
  if (claims.length === 0) body.push("in progress: nothing; every file is free");
  else {
    // The claims get whatever room the other lines leave; the rest is summarised.
    const room = Math.max(1, BANNER_MAX_LINES - head.length - tail.length - 1);
    // Others first: they are what this session must stay away from.
    const order = [...claims].sort((a, b) => Number(a.assignee === i.me) - Number(b.assignee === i.me) || byText(a.id, b.id));
    const shown = order.length > room ? order.slice(0, room - 1) : order;
    body.push(`in progress (${claims.length}):`);
    for (const b of shown) body.push(claimLine(b, i.now, i.staleClaimHours));
    if (order.length > shown.length) {
      const owners = new Set(order.slice(shown.length).map((b) => b.assignee));
      body.push(`  … ${order.length - shown.length} more by ${owners.size} owner(s): coord status`);
    }
  }
  return [...head, ...body, ...tail].map((l) => clip(l)).join("\n");
}
