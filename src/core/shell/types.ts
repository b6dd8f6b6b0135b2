// What the shell analyzer reports about a command line. The hook (src/hook/bash.ts) turns these
// into repository paths and judges them; src/core/bdcmd.ts reads `commands`.
import type { Word } from "./lex";

export type { Word } from "./lex";

/**
 * Which files below a folder target would change: every file (rm -r, cp into it), only what git
 * shows changed in tracked files (git restore .), only untracked files (git clean), only ignored
 * ones (git clean -X), or untracked and ignored (git clean -x).
 */
export type Scope = "all" | "changed" | "untracked" | "ignored" | "untracked+ignored";

/** A path the command would write or remove. `cwd` is the folder it is relative to: "." is where the command starts. */
export interface Target {
  path: string;
  cwd: string | null;
  /** How it is written, for the card: "> redirection", "sed -i", "rm", "git checkout --". */
  via: string;
  glob: boolean;
  /** cp/mv/ln/install: when `path` is an existing folder, the files land at path/<each name>. */
  into?: string[];
  /** For a folder: which files below it change (default "all"). */
  scope?: Scope;
  /** A git pathspec (matched against git's view: `*` crosses `/`), not a shell word. */
  pathspec?: boolean;
}

export type GitKind =
  | "stash"
  | "reset-hard"
  | "switch"
  | "checkout-ambiguous"
  | "add"
  | "commit-all"
  | "commit-staged"
  | "commit-paths"
  | "commit-only"
  | "worktree-remove";

/** A git command that acts on the whole checkout (or a pathspec), judged against others' work. */
export interface GitOp {
  kind: GitKind;
  /** The folder git runs in (after `-C`, `cd`); `workTree` overrides it for the files. */
  cwd: string | null;
  /** `--work-tree` / `GIT_WORK_TREE`, relative to `cwd`. */
  workTree?: string | null;
  /** Pathspecs (add, commit-paths, commit-only), positional arguments (checkout-ambiguous), the worktree (worktree-remove). */
  paths: string[];
  text: string;
}

/** A simple command as it runs: wrappers (sudo, env, timeout, xargs, bash -c, …) are not listed, the commands they run are. */
export interface SimpleCommand {
  argv: string[];
  /** The folder it runs in, relative to where the command line starts; null when unknown. */
  cwd: string | null;
  /** Some word of argv depends on an expansion coord does not perform. */
  expanded: boolean;
  /** For each word of argv: does its value depend on an expansion ($x, $(…), a glob)? */
  dyn: boolean[];
  /** NAME=value words that led the command. */
  env: Record<string, string>;
  /** More arguments come from input (xargs, find -exec, parallel). */
  fromInput?: boolean;
}

/** A patch a command applies: the files it changes are named inside it (the hook reads a patch file). */
export interface PatchRef {
  /** The patch text when it is in the command (a here-document), else null. */
  text: string | null;
  /** The patch file, relative to `cwd`, when it is one. */
  path: string | null;
  cwd: string;
  /** Leading path parts to strip (-p); null: patch's default, so both 0 and 1 are tried. */
  strip: number | null;
  via: string;
}

export interface BashAnalysis {
  targets: Target[];
  patches: PatchRef[];
  git: GitOp[];
  /** Every simple command that runs, in order, nested shells and substitutions included. */
  commands: SimpleCommand[];
  /** What could not be followed: named to the model, the command runs. */
  unknown: string[];
  /** Why (part of) the line could not be parsed, or null. */
  unparsed: string | null;
}

/** Where the walker is: the folder (null when unknown) and how deep in nested shells. */
export interface Ctx {
  cwd: string | null;
  depth: number;
  /** Arguments are appended from input (xargs) or per found file (find -exec): writers get targets coord cannot see. */
  fromInput?: string;
}

/** What a program's handler can report; the walker turns it into the analysis. */
export interface Emit {
  ctx: Ctx;
  /** The command's standard input when it is a file (`< f`) or a here-document. */
  stdin: { path: Word } | { text: string } | null;
  /** `cwd` overrides the folder the command runs in (patch -d). */
  patch(p: Omit<PatchRef, "cwd"> & { cwd?: string | null }): void;
  write(w: Word, via: string, extra?: Partial<Target>): void;
  unknown(why: string): void;
  /** A command the program runs (a wrapper's command), with its own folder if it changes it. */
  run(words: Word[], ctx?: Ctx): void;
  /** A shell script in a string (bash -c, su -c, watch, flock -c). */
  script(src: Word, via: string, ctx?: Ctx): void;
  git(op: Omit<GitOp, "cwd"> & { cwd?: string | null }): void;
}

export const word = (v: string, text = v): Word => ({ v, dyn: false, glob: false, assign: false, text });
