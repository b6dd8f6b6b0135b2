// Locating the repository of a path with plain file reads: the hook runs on every edit and
// cannot afford a `git rev-parse` process each time.
import { existsSync, lstatSync, readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";

export interface Repo {
  /** The checkout (main or linked worktree) the path lives in, symlinks resolved. */
  root: string;
  /** That checkout's git directory (`.git`, or `.git/worktrees/<name>` for a linked worktree). */
  gitDir: string;
  /** The directory every worktree of the repository shares: where coord keeps its state. */
  commonDir: string;
  /** The root of the main checkout (the parent of the common dir). */
  mainRoot: string;
}

/** realpath for a path that may not exist yet: resolve the nearest existing ancestor, keep the rest. */
export function realpathLoose(abs: string): string {
  const rest: string[] = [];
  let cur = abs;
  for (;;) {
    try {
      const real = realpathSync(cur);
      return rest.length ? join(real, ...rest.reverse()) : real;
    } catch {
      const parent = dirname(cur);
      if (parent === cur) return abs;
      rest.push(cur.slice(parent.length).replace(/^\/+/, ""));
      cur = parent;
    }
  }
}

function readGitFile(dotGit: string): string | null {
  try {
    const m = /^gitdir:\s*(.+?)\s*$/m.exec(readFileSync(dotGit, "utf8"));
    if (!m?.[1]) return null;
    return resolve(dirname(dotGit), m[1]);
  } catch {
    return null;
  }
}

const found = new Map<string, Repo | null>();

/**
 * findRepo, remembered for the life of the process. Only for a hook process: one event asks for the
 * same repository several times (the target's, the session's) and lives a few milliseconds, while a
 * command such as `coord wt done` changes which repositories exist.
 */
export function findRepoCached(start: string): Repo | null {
  const key = resolve(start);
  const hit = found.get(key);
  if (hit !== undefined) return hit;
  const repo = findRepo(key);
  found.set(key, repo);
  return repo;
}

/** The repository containing `start` (a folder or a file, existing or not), or null outside any. */
export function findRepo(start: string): Repo | null {
  let dir = realpathLoose(resolve(start));
  try {
    if (!statSync(dir).isDirectory()) dir = dirname(dir);
  } catch {
    dir = dirname(dir);
  }
  for (;;) {
    const dotGit = join(dir, ".git");
    let st: ReturnType<typeof lstatSync> | null = null;
    try {
      st = lstatSync(dotGit);
    } catch {
      st = null;
    }
    if (st) {
      const gitDir = st.isDirectory() ? dotGit : readGitFile(dotGit);
      if (gitDir && existsSync(gitDir)) {
        let commonDir = gitDir;
        try {
          const c = readFileSync(join(gitDir, "commondir"), "utf8").trim();
          commonDir = isAbsolute(c) ? c : resolve(gitDir, c);
        } catch {
          // No commondir file: this is the main checkout's own git directory.
        }
        commonDir = realpathLoose(commonDir);
        return { root: dir, gitDir: realpathLoose(gitDir), commonDir, mainRoot: dirname(commonDir) };
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/** Whether the repository has any linked worktree, read from the git dir without a git process. */
export function hasLinkedWorktrees(repo: Repo): boolean {
  try {
    return readdirSync(join(repo.commonDir, "worktrees")).length > 0;
  } catch {
    return false;
  }
}

/** Where coord keeps its per-repository state: shared by every worktree, never committed. */
export function stateDir(repo: Repo): string {
  return join(repo.commonDir, "coord");
}

/** The repository's own ignore file, shared by every checkout and never committed. */
export function excludeFile(repo: Repo): string {
  return join(repo.commonDir, "info", "exclude");
}

/** `text` of an exclude file with `lines` added under a comment, or null when it has them all. */
export function withExcludes(text: string, lines: readonly string[], comment: string): string | null {
  const have = new Set(text.split("\n").map((l) => l.trim()));
  const add = lines.filter((l) => !have.has(l));
  if (!add.length) return null;
  return `${text}${text && !text.endsWith("\n") ? "\n" : ""}# coord: ${comment}\n${add.join("\n")}\n`;
}
