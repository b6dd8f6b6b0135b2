// git's subcommands as coord judges them: which sweep the whole checkout (stash, reset --hard, a
// branch switch), which take a set of changes into a commit, and which rewrite paths (checkout --,
// restore, clean, rm, checkout-index, read-tree -u). Pathspecs are kept as git reads them; the hook
// matches them against git's own view (`git status`) with `pathspecsMatch` below.
import type { Word } from "./lex";
import { joinCwd, parse, patchSource, type Opts } from "./programs";
import { type Emit, type Scope, word } from "./types";

const GLOBAL_VALUE = new Set(["-C", "-c", "--git-dir", "--work-tree", "--namespace", "--exec-path", "--config-env", "--super-prefix", "--list-cmds", "--attr-source"]);

/** The folder containing a `.git` directory given as --git-dir (`../wt/.git` → `../wt`). */
function workTreeOfGitDir(d: string): string | null {
  const m = /^(.*?)\/?\.git\/?$/.exec(d);
  return m ? m[1] || "." : null;
}

export function git(args: Word[], e: Emit): void {
  let cwd = e.ctx.cwd;
  let workTree: string | null | undefined;
  let k = 0;
  for (; k < args.length; k++) {
    const w = args[k] as Word;
    const v = w.v;
    if (!v.startsWith("-")) break;
    const [opt, inline] = v.startsWith("--") && v.includes("=") ? [v.slice(0, v.indexOf("=")), v.slice(v.indexOf("=") + 1)] : [v, undefined];
    const value = inline !== undefined ? { ...w, v: inline } : GLOBAL_VALUE.has(opt) ? args[++k] : undefined;
    if (opt === "-C") cwd = joinCwd(cwd, value);
    else if (opt === "--work-tree") workTree = value && !value.dyn ? value.v : null;
    else if (opt === "--git-dir" && workTree === undefined) workTree = value && !value.dyn ? workTreeOfGitDir(value.v) : null;
  }
  const sub = args[k]?.v;
  const rest = args.slice(k + 1);
  if (!sub) return;
  if (workTree === null || (workTree !== undefined && cwd === null)) {
    e.unknown("git with a --work-tree or --git-dir coord cannot resolve");
    return;
  }
  // Paths are relative to the work tree when one is named (git's prefix is then its top).
  const fileCwd = workTree !== undefined ? joinCwd(cwd, word(workTree)) : cwd;
  const ctx = { ...e.ctx, cwd: fileCwd };
  const op = (kind: Parameters<Emit["git"]>[0]["kind"], paths: string[], text: string) => e.git({ kind, cwd: fileCwd, paths, text });
  const write = (ws: Word[], via: string, scope: Scope) => {
    for (const w of ws) writeSpec(e, w, via, scope, ctx.cwd);
  };
  if (e.ctx.fromInput && ["add", "rm", "checkout", "restore", "commit", "clean", "mv", "stash"].includes(sub)) {
    e.unknown(`${e.ctx.fromInput}: the paths git ${sub} gets come from its input`);
  }
  const handler = SUBCOMMANDS[sub];
  if (handler) handler(rest, { op, write, e });
}

function writeSpec(e: Emit, w: Word, via: string, scope: Scope, cwd: string | null): void {
  // A glob reaches git unexpanded when nothing matched in the shell: git matches it as a pathspec.
  e.write(w, via, { scope, pathspec: true, cwd });
}

interface G {
  op: (kind: Parameters<Emit["git"]>[0]["kind"], paths: string[], text: string) => void;
  write: (ws: Word[], via: string, scope: Scope) => void;
  e: Emit;
}

const splitDD = (rest: Word[]) => {
  const dd = rest.findIndex((w) => w.v === "--");
  return dd < 0 ? { before: rest, after: null } : { before: rest.slice(0, dd), after: rest.slice(dd + 1) };
};
const vals = (ws: Word[]) => ws.map((w) => w.v);

const CHECKOUT: Opts = { short: "bBt", long: ["--orphan", "--conflict", "--pathspec-from-file", "--track"] };
const COMMIT: Opts = { short: "mFcCtS", long: ["--message", "--file", "--reuse-message", "--reedit-message", "--template", "--author", "--date", "--fixup", "--squash", "--trailer", "--cleanup", "--pathspec-from-file", "--gpg-sign"] };

/** One handler per git subcommand that changes files or sweeps changes; the others (log, diff, status, …) change nothing. */
const SUBCOMMANDS: Record<string, (rest: Word[], g: G) => void> = {
  checkout(rest, { op, write, e }) {
    const { before, after } = splitDD(rest);
    const p = parse(before, CHECKOUT);
    if (p.flags.has("--pathspec-from-file")) return e.unknown("git checkout --pathspec-from-file");
    const force = p.flags.has("-f") || p.flags.has("--force");
    if (after) return write(after, "git checkout --", p.operands.length ? "all" : "changed");
    const create = ["-b", "-B", "--orphan"].find((f) => p.flags.has(f));
    // A new branch at HEAD touches no file; from another start point it is a switch.
    if (create) return p.operands.length ? op(force ? "reset-hard" : "switch", [], `git checkout ${create}`) : undefined;
    if (p.operands.length === 0) return force ? write([word(".")], "git checkout -f", "changed") : undefined;
    if (force) return op("reset-hard", [], `git checkout -f ${vals(p.operands).join(" ")}`);
    op("checkout-ambiguous", vals(p.operands), `git checkout ${vals(p.operands).join(" ")}`);
  },
  switch(rest, { op }) {
    const p = parse(rest, { short: "cC", long: ["--create", "--force-create", "--orphan", "--conflict", "--track"] });
    if (p.flags.has("--orphan")) return op("reset-hard", [], "git switch --orphan");
    if (p.flags.has("-f") || p.flags.has("--force") || p.flags.has("--discard-changes")) return op("reset-hard", [], "git switch --discard-changes");
    const create = ["-c", "-C", "--create", "--force-create"].some((f) => p.flags.has(f));
    if (create && p.operands.length === 0) return; // a new branch at HEAD touches no file
    op("switch", [], "git switch");
  },
  restore(rest, { write, e }) {
    const p = parse(rest, { short: "s", long: ["--source", "--conflict", "--pathspec-from-file"] });
    if (p.flags.has("--pathspec-from-file")) return e.unknown("git restore --pathspec-from-file");
    const staged = p.flags.has("-S") || p.flags.has("--staged");
    const worktree = p.flags.has("-W") || p.flags.has("--worktree");
    if (staged && !worktree) return;
    const source = p.flags.has("-s") || p.flags.has("--source");
    write(p.operands, "git restore", source ? "all" : "changed");
  },
  stash(rest, { op, write }) {
    const action = rest[0]?.v;
    if (action && !action.startsWith("-") && action !== "push" && action !== "save") return;
    const args = action === "push" || action === "save" ? rest.slice(1) : rest;
    const { before, after } = splitDD(args);
    const p = parse(before, { short: "m", long: ["--message", "--pathspec-from-file"] });
    const paths = after ?? (action === "save" ? [] : p.operands);
    if (paths.length) return write(paths, "git stash", "changed");
    const untracked = ["-u", "--include-untracked", "-a", "--all"].find((f) => p.flags.has(f));
    op("stash", [], untracked ? `git stash ${untracked}` : "git stash");
  },
  reset(rest, { op }) {
    if (rest.some((w) => w.v === "--hard" || w.v === "--merge")) op("reset-hard", [], `git reset ${rest.some((w) => w.v === "--hard") ? "--hard" : "--merge"}`);
  },
  clean(rest, { write }) {
    const p = parse(rest, { short: "e", long: ["--exclude"] });
    if (!(p.flags.has("-f") || p.flags.has("--force")) || p.flags.has("-n") || p.flags.has("--dry-run")) return;
    const scope: Scope = p.flags.has("-x") ? "untracked+ignored" : p.flags.has("-X") ? "ignored" : "untracked";
    write(p.operands.length ? p.operands : [word(".")], `git clean${scope === "untracked" ? "" : p.flags.has("-x") ? " -x" : " -X"}`, scope);
  },
  add(rest, { op, e }) {
    const p = parse(rest, { long: ["--chmod", "--pathspec-from-file"] });
    if (p.flags.has("--pathspec-from-file")) return e.unknown("git add --pathspec-from-file");
    if (p.flags.has("-n") || p.flags.has("--dry-run")) return;
    const all = ["-A", "--all", "-u", "--update"].some((f) => p.flags.has(f));
    const paths = vals(p.operands);
    if (paths.length === 0 && !all) return;
    const shown = [...p.flags].filter((f) => /^-(A|u)$|^--(all|update)$/.test(f));
    op("add", paths.length ? paths : [":/"], `git add ${[...shown, ...paths].join(" ")}`.trim());
  },
  commit(rest, { op, e }) {
    const p = parse(rest, COMMIT);
    if (p.flags.has("--dry-run")) return;
    if (p.flags.has("--pathspec-from-file")) return e.unknown("git commit --pathspec-from-file");
    const paths = vals(p.operands);
    if (p.flags.has("-a") || p.flags.has("--all")) return op("commit-all", [":/"], "git commit -a");
    // `git commit -- paths` (--only, the default) takes exactly those paths, whatever else is staged;
    // `--include` takes the staged changes plus them.
    if (paths.length && (p.flags.has("-i") || p.flags.has("--include"))) return op("commit-staged", paths, `git commit -i ${paths.join(" ")}`);
    if (paths.length) return op("commit-paths", paths, `git commit ${paths.join(" ")}`);
    op("commit-staged", [], "git commit");
  },
  rm(rest, { write }) {
    const p = parse(rest, { long: ["--pathspec-from-file"] });
    if (p.flags.has("--cached") || p.flags.has("-n") || p.flags.has("--dry-run")) return;
    write(p.operands, "git rm", "all");
  },
  mv(rest, { write }) {
    write(parse(rest).operands, "git mv", "all");
  },
  "read-tree"(rest, { op }) {
    const p = parse(rest, { long: ["--prefix", "--index-output", "--exclude-per-directory"] });
    if (p.flags.has("-u") && (p.flags.has("--reset") || p.flags.has("-m"))) op("reset-hard", [], `git read-tree -u ${p.flags.has("--reset") ? "--reset" : "-m"}`);
  },
  "checkout-index"(rest, { write }) {
    const p = parse(rest, { long: ["--prefix", "--stage"] });
    if (!(p.flags.has("-f") || p.flags.has("--force")) || p.flags.has("--prefix")) return;
    if (p.flags.has("-a") || p.flags.has("--all")) return write([word(".")], "git checkout-index -f -a", "changed");
    write(p.operands, "git checkout-index -f", "changed");
  },
  apply(rest, { e }) {
    const p = parse(rest, { short: "pC", long: ["--exclude", "--include", "--directory", "--whitespace", "--build-fake-ancestor"] });
    if (["--cached", "--check", "--stat", "--numstat", "--summary"].some((f) => p.flags.has(f)) && !p.flags.has("--index") && !p.flags.has("--apply")) return;
    const strip = Number(p.values.get("-p")?.[0]?.v ?? 1);
    const files = p.operands.length ? p.operands : [undefined];
    for (const f of files) patchSource(e, f && f.v !== "-" ? f : undefined, Number.isInteger(strip) ? strip : 1, "git apply");
  },
  am(_rest, { e }) {
    e.unknown("git am: the files it changes are named inside the patches");
  },
  worktree(rest, { op }) {
    if (rest[0]?.v !== "remove") return;
    const p = parse(rest.slice(1));
    const wt = p.operands[0];
    if (wt) op("worktree-remove", [wt.v], `git worktree remove${p.flags.has("-f") || p.flags.has("--force") ? " --force" : ""} ${wt.text}`);
  },
};
for (const sub of ["pull", "rebase", "merge"]) {
  SUBCOMMANDS[sub] = (rest, { op }) => {
    if (rest.some((w) => w.v === "--autostash")) op("stash", [], `git ${sub} --autostash`);
  };
}


/**
 * Does any pathspec select `path`, none of the exclusions removing it? Both relative to the
 * repository root; `prefix` is the folder git ran in (its pathspecs are relative to it). Git's
 * default matching: a leading directory matches everything below it, and wildcards match across
 * `/` (fnmatch without FNM_PATHNAME). Magic: `:/` and `:(top)` start at the root, `:(glob)` makes
 * `*` stop at `/`, `:(literal)`, `:(icase)`; `:!`/`:^`/`:(exclude)` exclude.
 */
export function pathspecsMatch(specs: readonly string[], prefix: string, path: string): boolean {
  const parsed = specs.map((s) => parseSpec(s, prefix)).filter((m): m is Spec => !!m);
  const inc = parsed.filter((m) => !m.exclude);
  if (inc.length === 0 && parsed.length > 0) inc.push({ pattern: prefix, glob: false, literal: true, icase: false, exclude: false });
  return inc.some((m) => matchOne(m, path)) && !parsed.some((m) => m.exclude && matchOne(m, path));
}

interface Spec {
  pattern: string;
  glob: boolean;
  literal: boolean;
  icase: boolean;
  exclude: boolean;
}

function parseSpec(spec: string, prefix: string): Spec | null {
  let s = spec;
  let top = false;
  const m: Spec = { pattern: "", glob: false, literal: false, icase: false, exclude: false };
  if (s.startsWith(":(")) {
    const end = s.indexOf(")");
    if (end < 0) return null;
    for (const word of s.slice(2, end).split(",")) {
      if (word === "top") top = true;
      else if (word === "glob") m.glob = true;
      else if (word === "literal") m.literal = true;
      else if (word === "icase") m.icase = true;
      else if (word === "exclude") m.exclude = true;
    }
    s = s.slice(end + 1);
  } else if (s.startsWith(":")) {
    let k = 1;
    for (; k < s.length && "/!^".includes(s[k] as string); k++) {
      if (s[k] === "/") top = true;
      else m.exclude = true;
    }
    if (s[k] === ":") k++;
    s = s.slice(k);
  }
  const joined = top ? s : prefix ? `${prefix}/${s}` : s;
  const parts: string[] = [];
  for (const p of joined.split("/")) {
    if (p === "" || p === ".") continue;
    if (p === "..") {
      if (!parts.length) return null;
      parts.pop();
    } else parts.push(p);
  }
  m.pattern = parts.join("/");
  return m;
}

const hasWild = (s: string) => /[*?[]/.test(s);

function matchOne(m: Spec, path: string): boolean {
  const pat = m.icase ? m.pattern.toLowerCase() : m.pattern;
  const p = m.icase ? path.toLowerCase() : path;
  if (pat === "" || p === pat || p.startsWith(`${pat}/`)) return true;
  if (m.literal || !hasWild(pat)) return false;
  return wildRegex(pat, m.glob).test(p);
}

const cache = new Map<string, RegExp>();
function wildRegex(pat: string, pathname: boolean): RegExp {
  const key = `${pathname}:${pat}`;
  let re = cache.get(key);
  if (re) return re;
  let out = "";
  for (let i = 0; i < pat.length; i++) {
    const c = pat[i] as string;
    if (c === "*") {
      if (pathname && pat[i + 1] === "*") {
        out += ".*";
        i++;
        if (pat[i + 1] === "/") i++;
      } else out += pathname ? "[^/]*" : ".*";
    } else if (c === "?") out += pathname ? "[^/]" : ".";
    else if (c === "[") {
      const j = pat.indexOf("]", i + 2);
      if (j < 0) out += "\\[";
      else {
        out += `[${pat.slice(i + 1, j).replace(/^!/, "^").replace(/\\/g, "\\\\")}]`;
        i = j;
      }
    } else out += c.replace(/[.+^${}()|\\]/g, "\\$&");
  }
  // A match of a leading directory selects what is below it too.
  re = new RegExp(`^${out}(/.*)?$`);
  cache.set(key, re);
  return re;
}

