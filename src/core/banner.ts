// The SessionStart banner: who I am, who works on what, what is free. At most 10 lines of at
// most 100 columns, whatever the number of beads.
import { type Bead, safeReady } from "./claims";
import { freeWork, freeWorkLines, rotateFor } from "./freework";
import { byText } from "./order";
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
}

export function clip(s: string, width = BANNER_WIDTH): string {
  return s.length <= width ? s : `${s.slice(0, width - 1)}…`;
}

export function isStale(b: Bead, now: number, hours: number): boolean {
  const t = Date.parse(b.updatedAt);
  return !Number.isNaN(t) && now - t > hours * 3600_000;
}

function claimLine(b: Bead, now: number, hours: number): string {
  const files = b.files.length ? b.files.join(" ") : "(no Files: line)";
  const stale = isStale(b, now, hours) ? ` STALE, updated ${ago(b.updatedAt, now)}` : "";
  return `  ${b.id} ${b.assignee || "(unassigned)"}: ${files} — "${b.title}"${stale}`;
}

export function renderBanner(i: BannerInput): string {
  const claims = i.beads.filter((b) => b.status === "in_progress");
  const mine = claims.filter((b) => b.assignee === i.me);
  const head = [`coord: you are ${i.me}${mine.length ? `, holding ${mine.map((b) => b.id).join(" ")}` : ""}. Another session's claimed files will be refused.`];
  if (i.note) head.push(`  (${i.note.replace(/^coord: /, "")})`);
  if (i.remote) head.push(`  ${i.remote}`);
  for (const l of i.splitBrain ?? []) head.push(`  ${l}`);
  const tail: string[] = [];
  if (i.zones.length) tail.push(...freeWorkLines(freeWork(i.zones, claims, i.files ?? null)));
  // Sessions that start together each see a different best bead first.
  const ready = rotateFor(safeReady(i.beads, claims, 9), i.me).slice(0, 3);
  if (ready.length) tail.push(`ready, no overlap: ${ready.map((b) => `${b.id} "${b.title}"`).join(", ")}`);
  if (i.dbDir) tail.push(`test databases for this worktree: $COORD_DB_DIR = ${i.dbDir}`);
  if (i.env?.length) tail.push(`this checkout's environment (coord.toml [worktree]): ${i.env.map(([k, v]) => `${k}=${v}`).join(" ")}`);
  tail.push(`claim first: bd update <id> --claim; new work: bd create "<title>" --description "Files: <paths>"`);

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
      const owners = new Set(order.slice(shown.length).map((b) => b.assignee || "(unassigned)"));
      body.push(`  … ${order.length - shown.length} more by ${owners.size} owner(s): coord status`);
    }
  }
  return [...head, ...body, ...tail].map((l) => clip(l)).join("\n");
}
