// Pure parsers of git's machine-readable output. Every format is the NUL-separated one: paths may
// hold spaces, quotes or newlines, and -z is the only form git never quotes.

export interface WorktreeEntry {
  path: string;
  /** null for a bare repository's entry. */
  head: string | null;
  /** Full ref (refs/heads/...), null when detached or bare. */
  branch: string | null;
  bare: boolean;
  detached: boolean;
  /** The lock reason ("" when locked without one), null when not locked. */
  locked: string | null;
  /** Why git could prune it (its folder is gone), null when it is fine. */
  prunable: string | null;
}

/** `git worktree list --porcelain -z`: records of `key value` fields, a record ends with an empty field. */
export function parseWorktreeList(out: string): WorktreeEntry[] {
  const entries: WorktreeEntry[] = [];
  let cur: WorktreeEntry | null = null;
  for (const field of out.split("\0")) {
    if (field === "") {
      if (cur) entries.push(cur);
      cur = null;
      continue;
    }
    const sp = field.indexOf(" ");
    const key = sp < 0 ? field : field.slice(0, sp);
    const value = sp < 0 ? "" : field.slice(sp + 1);
    if (key === "worktree") {
      if (cur) entries.push(cur);
      cur = { path: value, head: null, branch: null, bare: false, detached: false, locked: null, prunable: null };
      continue;
    }
    if (!cur) continue;
    if (key === "HEAD") cur.head = value;
    else if (key === "branch") cur.branch = value;
    else if (key === "bare") cur.bare = true;
    else if (key === "detached") cur.detached = true;
    else if (key === "locked") cur.locked = value;
    else if (key === "prunable") cur.prunable = value;
  }
  if (cur) entries.push(cur);
  return entries;
}

export type StatusKind = "changed" | "renamed" | "unmerged" | "untracked" | "ignored";

export interface StatusV2Entry {
  kind: StatusKind;
  /** Two letters: index then worktree (`.` = unchanged); `??` untracked, `!!` ignored. */
  xy: string;
  path: string;
  /** The path before a rename or copy. */
  origPath: string | null;
}

/**
 * `git status --porcelain=v2 -z`: one field per entry, except renames and copies, whose
 * original path follows as its own field. Header lines (`# branch...`) are skipped.
 */
export function parseStatusV2(out: string): StatusV2Entry[] {
  const fields = out.split("\0");
  const entries: StatusV2Entry[] = [];
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i] ?? "";
    if (!f || f.startsWith("# ")) continue;
    const t = f[0];
    if (t === "?" || t === "!") {
      entries.push({ kind: t === "?" ? "untracked" : "ignored", xy: t + t, path: f.slice(2), origPath: null });
    } else if (t === "1") {
      // 1 XY sub mH mI mW hH hI path
      entries.push({ kind: "changed", xy: f.slice(2, 4), path: nthRest(f, 8), origPath: null });
    } else if (t === "2") {
      // 2 XY sub mH mI mW hH hI Xscore path, then the original path as the next field
      entries.push({ kind: "renamed", xy: f.slice(2, 4), path: nthRest(f, 9), origPath: fields[++i] ?? null });
    } else if (t === "u") {
      // u XY sub m1 m2 m3 mW h1 h2 h3 path
      entries.push({ kind: "unmerged", xy: f.slice(2, 4), path: nthRest(f, 10), origPath: null });
    }
  }
  return entries;
}

/** The text after the first `n` space-separated fields (a path may itself hold spaces). */
function nthRest(line: string, n: number): string {
  let at = 0;
  for (let k = 0; k < n; k++) {
    const sp = line.indexOf(" ", at);
    if (sp < 0) return "";
    at = sp + 1;
  }
  return line.slice(at);
}

/** Every path a status mentions, the original side of renames included: all of them change. */
export function statusPaths(entries: readonly StatusV2Entry[]): string[] {
  const out = new Set<string>();
  for (const e of entries) {
    if (e.kind === "ignored") continue;
    out.add(e.path);
    if (e.origPath) out.add(e.origPath);
  }
  return [...out].sort();
}

export interface MergeTreeResult {
  /** The merged tree; with conflicts it holds conflict markers and must not be committed. */
  tree: string;
  clean: boolean;
  conflicts: string[];
}

/**
 * `git merge-tree --write-tree -z --name-only --no-messages A B`: the tree, then one field per
 * conflicted path, then an empty field. Exit code 0 is clean, 1 has conflicts; anything else is
 * an error the caller reports without parsing.
 */
export function parseMergeTree(out: string, exitCode: number): MergeTreeResult | null {
  if (exitCode !== 0 && exitCode !== 1) return null;
  const fields = out.split("\0");
  const tree = (fields[0] ?? "").trim();
  if (!/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(tree)) return null;
  const conflicts: string[] = [];
  for (const f of fields.slice(1)) {
    if (f === "") break;
    if (!conflicts.includes(f)) conflicts.push(f);
  }
  return { tree, clean: exitCode === 0 && conflicts.length === 0, conflicts };
}

/** `-z --name-only` lists from diff, diff-tree and ls-files. */
export function parseNames(out: string): string[] {
  return out.split("\0").filter((s) => s !== "");
}
