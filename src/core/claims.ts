// Claims: which in-progress bead names which files. Pure: bd's JSON in, claims out.
import { overlapIndex, patternProblem } from "./match";
import { normalizeRepoPath } from "./paths";
import { byText } from "./order";

/** The fields of a bd issue that coord keeps; everything else in bd's JSON is dropped. */
export interface Bead {
  id: string;
  title: string;
  status: string;
  assignee: string;
  updatedAt: string;
  priority: number;
  /** Repository-relative patterns from `Files:` lines and `metadata.files`. */
  files: string[];
  /** Ids this bead depends on through "blocks" links; it is ready when none of them is still open. */
  blockedBy: string[];
  /** Set on a claim held on another machine that this clone's database does not show (core/sync.ts). */
  elsewhere?: string;
  /** bd 1.3.0 claim leases (ISO times); absent under bd 1.0.5, whose claims carry none. */
  leaseExpiresAt?: string;
  heartbeatAt?: string;
}

// A `Files:` key: at the start of a line (after a bullet or a quote mark), or after the end of a
// sentence or an opening bracket on it (`Work item. Files: src/auth/`). Bold markers count only
// around the key (`**Files:**`, `__Files__:`): the `**` of `Files: **/*.ts` is the glob's.
const KEY = /(\*\*|__)?(?<![A-Za-z0-9])files(\*\*|__)?[ \t]*:/gi;
const KEY_BEFORE = /(?:^\s*(?:>\s*)*(?:(?:[-*+]|\d+[.)])\s+)?|[.!?;|]\s+|[([]|\s[-\u2013\u2014]\s+|:\s+)$/;
const BULLET = /^\s*(?:[-*+]|\d+[.)])\s+(.*)$/;
const PLACEHOLDERS = new Set(["none", "n/a", "na", "-", "tbd", "(none)"]);

/** The text after a `Files:` key on this line, or null when the line has no key. */
function afterKey(line: string): string | null {
  KEY.lastIndex = 0;
  for (let m = KEY.exec(line); m; m = KEY.exec(line)) {
    const open = m[1];
    const shut = m[2];
    if (shut && shut !== open) continue;
    if (!KEY_BEFORE.test(line.slice(0, m.index))) continue;
    let rest = line.slice(m.index + m[0].length);
    if (open && !shut && rest.startsWith(open)) rest = rest.slice(open.length);
    else if (open && !shut) continue;
    return rest;
  }
  return null;
}

const SEPARATOR = /[\s,;]/;
const QUOTES = "`\"'";

/** One token as written, less the prose around it: a sentence's full stop, an unmatched bracket. */
function cleanToken(raw: string): string {
  let t = raw.trim().replace(/[,;:]+$/, "");
  const count = (s: string, c: string) => s.split(c).length - 1;
  while (t.endsWith(")") && count(t, ")") > count(t, "(")) t = t.slice(0, -1);
  while (t.startsWith("(") && count(t, "(") > count(t, ")")) t = t.slice(1);
  // `src/b.ts.` ends a sentence; `.`, `..` and `src/..` are paths.
  if (t.endsWith(".") && !/(?:^|\/)\.{1,2}$/.test(t)) t = t.replace(/\.+$/, "");
  return t;
}

/**
 * Splits one line of a `Files:` list: commas, semicolons or blanks separate, except inside a
 * brace or bracket group (`web/{a,b}.css`); backticks and quotes keep spaces. Glob syntax is
 * never touched.
 */
export function splitFileList(text: string): string[] {
  const out: string[] = [];
  const push = (raw: string) => {
    const token = cleanToken(raw);
    if (token && !PLACEHOLDERS.has(token.toLowerCase())) out.push(token);
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (SEPARATOR.test(c)) {
      i++;
      continue;
    }
    if (QUOTES.includes(c)) {
      const end = text.indexOf(c, i + 1);
      if (end > i) {
        push(text.slice(i + 1, end));
        i = end + 1;
        continue;
      }
    }
    let depth = 0;
    let j = i;
    for (; j < text.length; j++) {
      const d = text[j] as string;
      if (d === "{" || d === "[" || d === "(") depth++;
      else if ((d === "}" || d === "]" || d === ")") && depth > 0) depth--;
      else if (/\s/.test(d) || (depth === 0 && (d === "," || d === ";"))) break;
    }
    push(text.slice(i, j));
    i = j;
  }
  return out;
}

/**
 * Reads every `Files:` annotation in a description. A key line may carry the list itself,
 * be followed by a bullet list, or both; several key lines add up. Patterns are kept as written
 * (normalised), also those that claim too much or nothing: claimProblems says which.
 */
export function parseFilesField(description: string): string[] {
  const lines = description.split(/\r?\n/);
  const found: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const rest = afterKey(lines[i] ?? "");
    if (rest === null) continue;
    found.push(...splitFileList(rest));
    let j = i + 1;
    // A blank line may sit between the key and its bullets, not inside the list.
    if (j < lines.length && (lines[j] ?? "").trim() === "" && BULLET.test(lines[j + 1] ?? "")) j++;
    for (; j < lines.length; j++) {
      const b = BULLET.exec(lines[j] ?? "");
      if (!b) break;
      found.push(...splitFileList(b[1] ?? ""));
    }
    i = j - 1;
  }
  return unique(found.map(normalizeRepoPath).filter((p): p is string => p !== null));
}

export interface ClaimProblem {
  pattern: string;
  problem: string;
}

/** What is wrong with a bead's claim as written: patterns that claim everything, nothing, or are matched loosely. */
export function claimProblems(b: Pick<Bead, "files">): ClaimProblem[] {
  const out: ClaimProblem[] = [];
  for (const pattern of b.files) {
    const problem = patternProblem(pattern);
    if (problem) out.push({ pattern, problem });
  }
  return out;
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

function str(v: unknown): string {
  return typeof v === "string" ? v : "";
}

/** bd prints a raw array, `{issues:[...]}` with --skip-labels, or `{data:...}` under BD_JSON_ENVELOPE. */
export function unwrapBdJson(doc: unknown): unknown[] {
  let d = doc;
  if (d && typeof d === "object" && !Array.isArray(d) && "data" in d) d = (d as { data: unknown }).data;
  if (d && typeof d === "object" && !Array.isArray(d) && "issues" in d) d = (d as { issues: unknown }).issues;
  if (!Array.isArray(d)) throw new Error("bd list --json did not print a list of issues");
  return d;
}

export function beadFromJson(raw: unknown): Bead | null {
  if (!raw || typeof raw !== "object") return null;
  const o = raw as Record<string, unknown>;
  const id = str(o.id);
  if (!id) return null;
  const meta = o.metadata && typeof o.metadata === "object" ? (o.metadata as Record<string, unknown>) : {};
  const metaFiles = Array.isArray(meta.files) ? meta.files.filter((f): f is string => typeof f === "string") : [];
  const files = unique([
    ...parseFilesField(str(o.description)),
    ...metaFiles.map(normalizeRepoPath).filter((p): p is string => p !== null),
  ]);
  return {
    id,
    title: str(o.title),
    status: str(o.status),
    assignee: str(o.assignee),
    updatedAt: str(o.updated_at) || str(o.created_at),
    priority: typeof o.priority === "number" ? o.priority : 2,
    files,
    ...(str(o.lease_expires_at) ? { leaseExpiresAt: str(o.lease_expires_at) } : {}),
    ...(str(o.heartbeat_at) ? { heartbeatAt: str(o.heartbeat_at) } : {}),
    blockedBy: Array.isArray(o.dependencies)
      ? o.dependencies
          .filter((d): d is Record<string, unknown> => !!d && typeof d === "object" && (d as Record<string, unknown>).type === "blocks")
          .map((d) => str(d.depends_on_id))
          .filter(Boolean)
      : [],
  };
}

/** Parses the stdout of `bd list --json`. Throws on output that is not bd's JSON. */
export function parseBdList(stdout: string): Bead[] {
  const doc: unknown = JSON.parse(stdout);
  return unwrapBdJson(doc)
    .map(beadFromJson)
    .filter((b): b is Bead => b !== null);
}

export function inProgress(beads: readonly Bead[]): Bead[] {
  return beads.filter((b) => b.status === "in_progress");
}

/** Most urgent first, then by id: bd's own order for ready work. */
export function byPriority(a: Bead, b: Bead): number {
  return a.priority - b.priority || byText(a.id, b.id);
}

/** Open, unassigned work whose blockers are all closed (absent from the list of beads not closed). */
export function readyBeads(beads: readonly Bead[]): Bead[] {
  const open = new Set(beads.map((b) => b.id));
  return beads
    .filter((b) => b.status === "open" && b.assignee === "" && b.blockedBy.every((id) => !open.has(id)))
    .sort(byPriority);
}

/** `bd show <id> --json` prints an array of one issue (v1.0.5), an object, or `{data:…}`: take the first issue. */
export function parseBdShow(stdout: string): Bead | null {
  let doc: unknown;
  try {
    doc = JSON.parse(stdout);
  } catch {
    return null;
  }
  let items: unknown[];
  try {
    items = unwrapBdJson(doc);
  } catch {
    const d = doc && typeof doc === "object" && "data" in doc ? (doc as { data: unknown }).data : doc;
    items = [d];
  }
  return beadFromJson(items[0]);
}

/** Ready beads whose files overlap no claim, best first: work a session can take without colliding. */
export function safeReady(beads: readonly Bead[], claims: readonly Bead[], limit = Number.POSITIVE_INFINITY): Bead[] {
  const overlapsClaim = overlapIndex(claims.flatMap((c) => c.files));
  const out: Bead[] = [];
  for (const r of readyBeads(beads)) {
    if (out.length >= limit) break;
    if (!r.files.some(overlapsClaim)) out.push(r);
  }
  return out;
}
