// What a Bash command would write, found without running it. A hand-written tokenizer rather than
// an npm shell parser: the one well-kept full parser (sh-syntax, mvdan/sh compiled to WASM) adds
// 750 KB and measured ~10 ms to load plus ~15 ms per parse, more than the whole Write check;
// shell-quote only splits words. coord needs the command structure (lists, pipes, subshells,
// `bash -c`, `cd`) and the write targets of a few known programs, which a tokenizer covers.
import { posix } from "node:path";

/** A word after quote removal. `dyn`: its value depends on an expansion coord does not perform. */
export interface Word {
  v: string;
  dyn: boolean;
  glob: boolean;
  /** Written as NAME=value with an unquoted name: an assignment when it leads a command. */
  assign: boolean;
}

/** A path the command would write or remove. `cwd` is the folder it is relative to: "." is where the command starts, null is unknown. */
export interface Target {
  path: string;
  cwd: string | null;
  /** How it is written, for the card: "> redirection", "sed -i", "rm", "git checkout --". */
  via: string;
  glob: boolean;
  /** cp/mv/ln/install: when `path` is an existing folder, the files land at path/<each name>. */
  into?: string[];
  /** git clean removes only untracked files. */
  untrackedOnly?: boolean;
}

export type GitKind = "stash" | "reset-hard" | "switch" | "checkout-ambiguous" | "add" | "commit-all" | "commit-staged" | "commit-paths";

/** A git command that acts on the whole checkout (or a pathspec), judged against others' work. */
export interface GitOp {
  kind: GitKind;
  cwd: string | null;
  /** Pathspecs (add, commit-paths) or the positional arguments (checkout-ambiguous). */
  paths: string[];
  text: string;
}

export interface BashAnalysis {
  targets: Target[];
  git: GitOp[];
  /** What could not be followed; the hook lets the command run and says so in one line. */
  unknown: string[];
}

class ParseError extends Error {}

type Tok = { k: "w"; w: Word } | { k: "op"; v: string } | { k: "r"; op: string; fd: number | null };

const SEP_OPS = ["&&", "||", ";;", "|&", ">>", "&>>", "&>", ">|", ">&", "<<<", "<<-", "<<", "<>", "<&"];

// ---------------------------------------------------------------------------------------------
// Tokenizer

interface Lexed {
  toks: Tok[];
  subs: string[];
}

function isNameStart(c: string | undefined): boolean {
  return !!c && /[A-Za-z_]/.test(c);
}

/**
 * Here-document bodies start on the line after their `<<`; they are data, never commands. Skips
 * the bodies of `pending` (emptying it) from `from`, the start of that line; returns the index after.
 */
function skipHeredocBodies(s: string, from: number, pending: { delim: string; strip: boolean }[]): number {
  let i = from;
  for (const h of pending.splice(0)) {
    while (i < s.length) {
      let e = s.indexOf("\n", i);
      if (e < 0) e = s.length;
      const line = s.slice(i, e);
      i = e + 1;
      if ((h.strip ? line.replace(/^\t+/, "") : line) === h.delim) break;
    }
  }
  return i;
}

/** The index just past the `)` matching the `(` at `open`, honouring quotes, escapes and nesting. */
function matchParen(s: string, open: number): number {
  return matchClose(s, open, "(", ")", "unbalanced parentheses");
}

/** The index just past the `}` closing the `${` whose brace is at `open`. */
function matchBrace(s: string, open: number): number {
  return matchClose(s, open, "{", "}", "unterminated ${");
}

function matchClose(s: string, open: number, opener: string, closer: string, unclosed: string): number {
  let depth = 0;
  const heredocs: { delim: string; strip: boolean }[] = [];
  for (let i = open; i < s.length; i++) {
    const c = s[i];
    if (c === "\\") {
      i++;
      continue;
    }
    // A here-document inside $(...) (git commit -m "$(cat <<'EOF' ...)") is data: its quotes and
    // parentheses do not count.
    if (c === "<" && s[i + 1] === "<" && s[i + 2] !== "<") {
      let j = i + 2;
      const strip = s[j] === "-";
      if (strip) j++;
      while (s[j] === " " || s[j] === "\t") j++;
      const w = readWord(s, j, []);
      if (w.word.v) heredocs.push({ delim: w.word.v, strip });
      i = w.end - 1;
      continue;
    }
    if (c === "\n" && heredocs.length) {
      i = skipHeredocBodies(s, i + 1, heredocs) - 1;
      continue;
    }
    if (c === "'") {
      const j = s.indexOf("'", i + 1);
      if (j < 0) throw new ParseError("unterminated quote");
      i = j;
      continue;
    }
    if (c === '"') {
      i = skipDouble(s, i + 1, null);
      continue;
    }
    if (c === "`") {
      const j = findBacktick(s, i + 1);
      i = j;
      continue;
    }
    if (c === opener) depth++;
    else if (c === closer) {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  throw new ParseError(unclosed);
}

function findBacktick(s: string, from: number): number {
  for (let i = from; i < s.length; i++) {
    if (s[i] === "\\") {
      i++;
      continue;
    }
    if (s[i] === "`") return i;
  }
  throw new ParseError("unterminated backquote");
}

/**
 * Scans a double-quoted string from just after its opening quote; returns the index of the
 * closing quote. With `acc`, appends the literal value and reports expansions.
 */
function skipDouble(s: string, from: number, acc: { v: string; dyn: boolean; subs: string[] } | null): number {
  for (let i = from; i < s.length; i++) {
    const c = s[i] as string;
    if (c === '"') return i;
    if (c === "\\") {
      const n = s[i + 1];
      if (n === "$" || n === "`" || n === '"' || n === "\\") {
        if (acc) acc.v += n;
        i++;
      } else if (n === "\n") {
        i++;
      } else if (acc) acc.v += c;
      continue;
    }
    if (c === "`") {
      const j = findBacktick(s, i + 1);
      if (acc) {
        acc.dyn = true;
        acc.subs.push(s.slice(i + 1, j).replace(/\\`/g, "`"));
      }
      i = j;
      continue;
    }
    if (c === "$") {
      const j = dollar(s, i, acc?.subs ?? null);
      if (j > i + 1) {
        if (acc) acc.dyn = true;
        i = j - 1;
        continue;
      }
    }
    if (acc) acc.v += c;
  }
  throw new ParseError("unterminated double quote");
}

/** Collects the command substitutions ($(…) and `…`) of a word's text, skipping single quotes. */
function substitutionsIn(text: string, subs: string[]): void {
  for (let k = 0; k < text.length; k++) {
    const c = text[k];
    if (c === "\\") k++;
    else if (c === "'") {
      const j = text.indexOf("'", k + 1);
      if (j < 0) return;
      k = j;
    } else if (c === "`") {
      const j = findBacktick(text, k + 1);
      subs.push(text.slice(k + 1, j));
      k = j;
    } else if (c === "$") k = dollar(text, k, subs) - 1;
  }
}

/** At a `$`: returns the index past the expansion (i + 1 when the `$` is literal). */
function dollar(s: string, i: number, subs: string[] | null): number {
  const n = s[i + 1];
  if (n === "(") {
    if (s[i + 2] === "(") return matchParen(s, i + 1); // arithmetic: nothing runs
    const end = matchParen(s, i + 1);
    subs?.push(s.slice(i + 2, end - 1));
    return end;
  }
  if (n === "{") {
    const end = matchBrace(s, i + 1);
    // ${x:-$(cmd)} runs cmd: the substitutions inside a parameter expansion count too.
    if (subs) substitutionsIn(s.slice(i + 2, end - 1), subs);
    return end;
  }
  if (isNameStart(n)) {
    let j = i + 1;
    while (j < s.length && /[A-Za-z0-9_]/.test(s[j] as string)) j++;
    return j;
  }
  if (n !== undefined && /[0-9@*#?$!-]/.test(n)) return i + 2;
  return i + 1;
}

const ANSI: Record<string, string> = { n: "\n", t: "\t", r: "\r", "\\": "\\", "'": "'", '"': '"', a: "\x07", b: "\b", e: "\x1b", f: "\f", v: "\v" };

function lex(s: string): Lexed {
  const toks: Tok[] = [];
  const subs: string[] = [];
  const heredocs: { delim: string; strip: boolean }[] = [];
  let i = 0;
  const atCommandStart = () => {
    const last = toks[toks.length - 1];
    return !last || (last.k === "op" && last.v !== ")");
  };
  while (i < s.length) {
    const c = s[i] as string;
    if (c === " " || c === "\t") {
      i++;
      continue;
    }
    if (c === "\\" && s[i + 1] === "\n") {
      i += 2;
      continue;
    }
    if (c === "#") {
      while (i < s.length && s[i] !== "\n") i++;
      continue;
    }
    if (c === "\n") {
      toks.push({ k: "op", v: "\n" });
      i = skipHeredocBodies(s, i + 1, heredocs);
      continue;
    }
    if (c === "(" && s[i + 1] === "(" && atCommandStart()) {
      // (( arithmetic )): its < and > compare numbers, they are not redirections.
      i = matchParen(s, i);
      toks.push({ k: "w", w: { v: "true", dyn: false, glob: false, assign: false } });
      continue;
    }
    const two = s.slice(i, i + 3);
    const op = SEP_OPS.find((o) => two.startsWith(o));
    if ((c === "<" || c === ">") && s[i + 1] === "(") {
      // Process substitution: the command inside runs; the word is a /dev/fd path.
      const end = matchParen(s, i + 1);
      subs.push(s.slice(i + 2, end - 1));
      toks.push({ k: "w", w: { v: "/dev/fd/63", dyn: true, glob: false, assign: false } });
      i = end;
      continue;
    }
    if (op || c === ";" || c === "|" || c === "&" || c === "(" || c === ")" || c === "<" || c === ">") {
      const o = op ?? c;
      if (o === ";;") throw new ParseError("case statements are not followed");
      if (o.includes("<") || o.includes(">")) {
        toks.push({ k: "r", op: o, fd: null });
        i += o.length;
        if (o === "<<" || o === "<<-") {
          while (s[i] === " " || s[i] === "\t") i++;
          const w = readWord(s, i, []);
          heredocs.push({ delim: w.word.v, strip: o === "<<-" });
          i = w.end;
        }
      } else {
        toks.push({ k: "op", v: o });
        i += o.length;
      }
      continue;
    }
    const w = readWord(s, i, subs);
    i = w.end;
    // `2>file`: a word of digits directly before < or > is the descriptor, not an argument.
    if ((s[i] === ">" || s[i] === "<") && /^[0-9]+$/.test(w.raw)) {
      const rest = s.slice(i, i + 3);
      const o = SEP_OPS.find((x) => rest.startsWith(x) && (x.startsWith(">") || x.startsWith("<"))) ?? (s[i] as string);
      toks.push({ k: "r", op: o, fd: Number(w.raw) });
      i += o.length;
      continue;
    }
    toks.push({ k: "w", w: w.word });
  }
  return { toks, subs };
}

function readWord(s: string, start: number, subs: string[]): { word: Word; end: number; raw: string } {
  const acc = { v: "", dyn: false, subs };
  let glob = false;
  let i = start;
  let quotedSeen = false;
  let nameEnd = -1;
  for (; i < s.length; i++) {
    const c = s[i] as string;
    if (" \t\n;&|()<>".includes(c)) break;
    if (c === "\\") {
      if (s[i + 1] === "\n") {
        i++;
        continue;
      }
      if (i + 1 < s.length) acc.v += s[i + 1];
      i++;
      quotedSeen = true;
      continue;
    }
    if (c === "'") {
      const j = s.indexOf("'", i + 1);
      if (j < 0) throw new ParseError("unterminated single quote");
      acc.v += s.slice(i + 1, j);
      i = j;
      quotedSeen = true;
      continue;
    }
    if (c === '"') {
      i = skipDouble(s, i + 1, acc);
      quotedSeen = true;
      continue;
    }
    if (c === "`") {
      const j = findBacktick(s, i + 1);
      subs.push(s.slice(i + 1, j).replace(/\\`/g, "`"));
      acc.dyn = true;
      i = j;
      continue;
    }
    if (c === "$") {
      if (s[i + 1] === "'") {
        let j = i + 2;
        for (; j < s.length && s[j] !== "'"; j++) {
          if (s[j] === "\\" && j + 1 < s.length) {
            acc.v += ANSI[s[j + 1] as string] ?? s[j + 1];
            j++;
          } else acc.v += s[j];
        }
        if (j >= s.length) throw new ParseError("unterminated $'");
        i = j;
        quotedSeen = true;
        continue;
      }
      const j = dollar(s, i, subs);
      if (j > i + 1) {
        acc.dyn = true;
        i = j - 1;
        continue;
      }
    }
    if (c === "=" && nameEnd < 0 && !quotedSeen && !acc.dyn && /^[A-Za-z_][A-Za-z0-9_]*\+?$/.test(acc.v)) nameEnd = i;
    if ("*?[".includes(c) && !quotedSeen) glob = true;
    if (c === "{" && !quotedSeen && /^\{[^{}]*,[^{}]*\}/.test(s.slice(i))) glob = true;
    acc.v += c;
  }
  return { word: { v: acc.v, dyn: acc.dyn, glob, assign: nameEnd >= 0 }, end: i, raw: s.slice(start, i) };
}

// ---------------------------------------------------------------------------------------------
// Structure: lists, pipelines, subshells; cd follows through lists and stays inside subshells.

interface Ctx {
  cwd: string | null;
  depth: number;
}

function joinCwd(cwd: string | null, dir: Word): string | null {
  if (cwd === null || dir.dyn || dir.glob || dir.v === "-" || dir.v.startsWith("~")) return null;
  return posix.isAbsolute(dir.v) ? posix.normalize(dir.v) : posix.normalize(posix.join(cwd, dir.v));
}

const KEYWORDS = new Set(["!", "{", "}", "if", "then", "else", "elif", "fi", "do", "done", "while", "until", "time"]);
const LIST_OPS = new Set(["&&", "||", ";", "&", "\n"]);

class Walker {
  i = 0;
  constructor(
    readonly toks: Tok[],
    readonly out: BashAnalysis,
  ) {}

  list(ctx: Ctx, inSubshell: boolean): void {
    while (this.i < this.toks.length) {
      const t = this.toks[this.i] as Tok;
      if (t.k === "op" && LIST_OPS.has(t.v)) {
        this.i++;
        continue;
      }
      if (t.k === "op" && t.v === ")") {
        if (inSubshell) return;
        throw new ParseError("unexpected )");
      }
      this.pipeline(ctx);
    }
    if (inSubshell) throw new ParseError("missing )");
  }

  pipeline(ctx: Ctx): void {
    const start = this.i;
    // A lone command's `cd` lasts; every part of a real pipeline runs in a subshell of its own.
    let end = start;
    let parts = 1;
    for (let depth = 0; end < this.toks.length; end++) {
      const t = this.toks[end] as Tok;
      if (t.k !== "op") continue;
      if (t.v === "(") depth++;
      else if (t.v === ")") {
        if (depth === 0) break;
        depth--;
      } else if (depth === 0 && LIST_OPS.has(t.v)) break;
      else if (depth === 0 && (t.v === "|" || t.v === "|&")) parts++;
    }
    for (;;) {
      this.command(parts > 1 ? { ...ctx } : ctx);
      const t = this.toks[this.i];
      if (t?.k === "op" && (t.v === "|" || t.v === "|&")) {
        this.i++;
        continue;
      }
      return;
    }
  }

  command(ctx: Ctx): void {
    const t = this.toks[this.i];
    if (t?.k === "op" && t.v === "(") {
      this.i++;
      this.list({ ...ctx }, true);
      this.i++; // the )
      this.simple(ctx, true);
      return;
    }
    this.simple(ctx, false);
  }

  simple(ctx: Ctx, redirsOnly: boolean): void {
    const words: Word[] = [];
    const redirs: { op: string; fd: number | null; target: Word | null }[] = [];
    let testExpr = false;
    while (this.i < this.toks.length) {
      const t = this.toks[this.i] as Tok;
      if (t.k === "op") {
        if (t.v === "(" && !redirsOnly) throw new ParseError("function definitions are not followed");
        break;
      }
      this.i++;
      if (t.k === "r") {
        const next = this.toks[this.i];
        let target: Word | null = null;
        if (t.op !== "<<" && t.op !== "<<-" && next?.k === "w") {
          target = next.w;
          this.i++;
        }
        if (!testExpr) redirs.push({ op: t.op, fd: t.fd, target });
        continue;
      }
      if (redirsOnly) throw new ParseError("unexpected word after )");
      if (words.length === 0 && !t.w.dyn && KEYWORDS.has(t.w.v)) continue;
      if (words.length === 0 && !t.w.dyn && (t.w.v === "for" || t.w.v === "select")) {
        while (this.toks[this.i]?.k === "w") this.i++;
        return;
      }
      if (words.length === 0 && !t.w.dyn && (t.w.v === "case" || t.w.v === "function")) throw new ParseError(`${t.w.v} is not followed`);
      if (words.length === 0 && t.w.v === "[[") testExpr = true;
      if (testExpr && t.w.v === "]]") testExpr = false;
      words.push(t.w);
    }
    for (const r of redirs) {
      if (!/>/.test(r.op) || r.target === null) continue;
      if ((r.op === ">&" || r.op === "<&") && /^([0-9]+|-)$/.test(r.target.v)) continue;
      this.target(ctx, r.target, `${r.fd ?? ""}${r.op} redirection`);
    }
    if (words.length) command(words, ctx, this.out);
  }

  target(ctx: Ctx, w: Word, via: string, extra: Partial<Target> = {}): void {
    addTarget(this.out, ctx, w, via, extra);
  }
}

const DEVICES = /^\/dev\/(null|stdout|stderr|stdin|tty|fd\/[0-9]+|zero)$/;

function addTarget(out: BashAnalysis, ctx: Ctx, w: Word, via: string, extra: Partial<Target> = {}): void {
  if (DEVICES.test(w.v)) return;
  if (w.dyn || w.v.startsWith("~")) {
    out.unknown.push(`${via} to ${w.v || "an expanded word"}: the target depends on an expansion`);
    return;
  }
  if (ctx.cwd === null && !posix.isAbsolute(w.v)) {
    out.unknown.push(`${via} to ${w.v}: the folder it runs in is not known`);
    return;
  }
  if (!w.v) return;
  out.targets.push({ path: w.v, cwd: ctx.cwd ?? ".", via, glob: w.glob, ...extra });
}

// ---------------------------------------------------------------------------------------------
// Programs

const SHELLS = new Set(["sh", "bash", "zsh", "dash", "ksh", "ash"]);
const WRITERS = new Set(["rm", "cp", "mv", "tee", "sed", "touch", "truncate", "ln", "install", "dd", "perl"]);
const base = (v: string) => v.slice(v.lastIndexOf("/") + 1);

/** Options of a program that take the next word as their value. */
type OptSpec = { short: string; long: string[] };

/** Splits arguments into options and operands; `--` ends options. Returns operands and option values seen. */
function splitArgs(args: Word[], spec: OptSpec): { operands: Word[]; flags: Set<string>; values: Map<string, string[]> } {
  const operands: Word[] = [];
  const flags = new Set<string>();
  const values = new Map<string, string[]>();
  const put = (k: string, v: string) => values.set(k, [...(values.get(k) ?? []), v]);
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as Word;
    const v = a.v;
    if (v === "--") {
      operands.push(...args.slice(i + 1));
      break;
    }
    if (v.startsWith("--") && v.length > 2) {
      const eq = v.indexOf("=");
      const name = eq < 0 ? v : v.slice(0, eq);
      flags.add(name);
      if (eq >= 0) put(name, v.slice(eq + 1));
      else if (spec.long.includes(name) && i + 1 < args.length) put(name, (args[++i] as Word).v);
      continue;
    }
    if (v.startsWith("-") && v.length > 1) {
      for (let k = 1; k < v.length; k++) {
        const ch = v[k] as string;
        flags.add(`-${ch}`);
        if (spec.short.includes(ch)) {
          const rest = v.slice(k + 1);
          if (rest) put(`-${ch}`, rest);
          else if (i + 1 < args.length) put(`-${ch}`, (args[++i] as Word).v);
          break;
        }
      }
      continue;
    }
    operands.push(a);
  }
  return { operands, flags, values };
}

function command(words: Word[], ctx: Ctx, out: BashAnalysis): void {
  let ws = words;
  while (ws.length && ws[0]?.assign) ws = ws.slice(1);
  // Wrappers that run the rest of their arguments as a command.
  for (;;) {
    const name = ws[0] ? base(ws[0].v) : "";
    if (name === "env") {
      let k = 1;
      while (k < ws.length && ((ws[k] as Word).assign || (ws[k] as Word).v.startsWith("-"))) {
        if (["-u", "-C", "--unset", "--chdir"].includes((ws[k] as Word).v)) k++;
        k++;
      }
      ws = ws.slice(k);
    } else if (name === "sudo" || name === "doas") {
      let k = 1;
      while (k < ws.length && (ws[k] as Word).v.startsWith("-")) {
        if (/^-[ugCDhpRrTt]$/.test((ws[k] as Word).v)) k++;
        k++;
      }
      ws = ws.slice(k);
    } else if (["command", "builtin", "exec", "nohup", "nice", "stdbuf", "chronic", "time"].includes(name)) {
      let k = 1;
      while (k < ws.length && (ws[k] as Word).v.startsWith("-")) {
        if (name === "nice" && (ws[k] as Word).v === "-n") k++;
        k++;
      }
      ws = ws.slice(k);
    } else if (name === "timeout") {
      let k = 1;
      while (k < ws.length && (ws[k] as Word).v.startsWith("-")) {
        if (["-s", "-k", "--signal", "--kill-after"].includes((ws[k] as Word).v)) k++;
        k++;
      }
      ws = ws.slice(k + 1);
    } else break;
  }
  const head = ws[0];
  if (!head) return;
  if (head.dyn) {
    out.unknown.push("a command whose name is an expansion");
    return;
  }
  const name = base(head.v);
  const args = ws.slice(1);
  switch (name) {
    case "cd":
    case "pushd": {
      const dir = args.find((a) => !a.v.startsWith("-") || a.v === "-");
      ctx.cwd = dir ? joinCwd(ctx.cwd, dir) : null;
      return;
    }
    case "popd":
      ctx.cwd = null;
      return;
    case "eval": {
      if (args.some((a) => a.dyn)) out.unknown.push("eval of an expanded string");
      else nested(args.map((a) => a.v).join(" "), ctx, out);
      return;
    }
    case "xargs":
    case "parallel": {
      const inner = args.find((a) => !a.v.startsWith("-"));
      if (inner && WRITERS.has(base(inner.v))) out.unknown.push(`${name} ${base(inner.v)}: its targets come from input`);
      return;
    }
    case "find": {
      if (args.some((a) => a.v === "-delete") || args.some((a, k) => (a.v === "-exec" || a.v === "-execdir") && WRITERS.has(base(args[k + 1]?.v ?? ""))))
        out.unknown.push("find with -delete or -exec: its targets come from the search");
      return;
    }
    case "rm":
    case "touch":
    case "shred":
    case "unlink": {
      const { operands } = splitArgs(args, { short: name === "touch" ? "dtr" : "", long: name === "touch" ? ["--date", "--reference"] : [] });
      for (const o of operands) addTarget(out, ctx, o, name);
      return;
    }
    case "truncate": {
      const { operands } = splitArgs(args, { short: "sr", long: ["--size", "--reference"] });
      for (const o of operands) addTarget(out, ctx, o, name);
      return;
    }
    case "tee": {
      const { operands } = splitArgs(args, { short: "", long: ["--output-error"] });
      for (const o of operands) addTarget(out, ctx, o, name);
      return;
    }
    case "sed":
      return inPlaceEdit(SED, args, ctx, out);
    case "perl":
      return inPlaceEdit(PERL, args, ctx, out);
    case "cp":
    case "mv":
    case "ln":
    case "install":
      return copyLike(name, args, ctx, out);
    case "dd":
      for (const a of args) if (a.v.startsWith("of=")) addTarget(out, ctx, { ...a, v: a.v.slice(3) }, "dd of=");
      return;
    case "curl":
    case "wget": {
      const { values } = splitArgs(args, name === "curl" ? { short: "oHdXuAeErFTwxKbcC", long: ["--output", "--header", "--data", "--request", "--user", "--url", "--config"] } : { short: "OoaPeUtTwQ", long: ["--output-document", "--output-file", "--directory-prefix"] });
      for (const k of name === "curl" ? ["-o", "--output"] : ["-O", "--output-document"]) for (const v of values.get(k) ?? []) if (v !== "-") addTarget(out, ctx, { v, dyn: false, glob: false, assign: false }, `${name} ${k}`);
      return;
    }
    case "git":
      return git(args, ctx, out);
    default:
      if (SHELLS.has(name)) return shell(name, args, ctx, out);
  }
}

function nested(src: string, ctx: Ctx, out: BashAnalysis): void {
  if (ctx.depth > 8) {
    out.unknown.push("commands nested too deeply");
    return;
  }
  const inner = analyze(src, { cwd: ctx.cwd, depth: ctx.depth + 1 });
  out.targets.push(...inner.targets);
  out.git.push(...inner.git);
  out.unknown.push(...inner.unknown);
}

function shell(name: string, args: Word[], ctx: Ctx, out: BashAnalysis): void {
  for (let k = 0; k < args.length; k++) {
    const a = args[k] as Word;
    if (a.v === "--" || !a.v.startsWith("-") || a.v.startsWith("--")) {
      if (a.v.startsWith("--") && a.v !== "--") continue;
      return; // a script file: its contents are not read
    }
    if (a.v.slice(1).includes("c")) {
      const src = args[k + 1];
      if (!src) return;
      if (src.dyn) out.unknown.push(`${name} -c with an expanded script`);
      else nested(src.v, { ...ctx }, out);
      return;
    }
    if (a.v === "-o" || a.v === "+o") k++;
  }
}

/** How an in-place editor spells its options: which short flags mean in-place, a script, or take a value. */
interface InPlaceSpec {
  name: string;
  script: string;
  /** Short flags that take the next word when they end their cluster. */
  takesValue: string;
  /** Short flags after which the rest of the cluster is their value. */
  swallows: string;
  /** Long options: in-place, script (with a value), value only. */
  long: { inPlace: string[]; script: string[]; value: string[] };
}

const SED: InPlaceSpec = { name: "sed -i", script: "ef", takesValue: "l", swallows: "", long: { inPlace: ["--in-place"], script: ["--expression", "--file"], value: ["--line-length"] } };
const PERL: InPlaceSpec = { name: "perl -i", script: "eE", takesValue: "", swallows: "IMmxdDC", long: { inPlace: [], script: [], value: [] } };

/**
 * sed -i and perl -i write their file operands. Without -e/-f the first operand is the script.
 * For both, -i takes the rest of its word as a backup suffix (-i.bak; GNU sed's -ie means suffix "e").
 */
function inPlaceEdit(spec: InPlaceSpec, args: Word[], ctx: Ctx, out: BashAnalysis): void {
  let inPlace = false;
  let script = false;
  const operands: Word[] = [];
  for (let k = 0; k < args.length; k++) {
    const a = args[k] as Word;
    const v = a.v;
    if (v === "--") {
      operands.push(...args.slice(k + 1));
      break;
    }
    if (v.startsWith("--")) {
      const [opt, value] = v.split("=", 2) as [string, string | undefined];
      if (spec.long.inPlace.includes(opt)) inPlace = true;
      else if (spec.long.script.includes(opt)) {
        script = true;
        if (value === undefined) k++;
      } else if (spec.long.value.includes(opt) && value === undefined) k++;
      continue;
    }
    if (v.startsWith("-") && v.length > 1) {
      for (let j = 1; j < v.length; j++) {
        const ch = v[j] as string;
        if (ch === "i") {
          inPlace = true;
          break;
        }
        if (spec.script.includes(ch)) {
          script = true;
          if (j === v.length - 1) k++;
          break;
        }
        if (spec.takesValue.includes(ch)) {
          if (j === v.length - 1) k++;
          break;
        }
        if (spec.swallows.includes(ch)) break;
      }
      continue;
    }
    operands.push(a);
  }
  if (!inPlace) return;
  for (const o of script ? operands : operands.slice(1)) addTarget(out, ctx, o, spec.name);
}

function copyLike(name: string, args: Word[], ctx: Ctx, out: BashAnalysis): void {
  const { operands, flags, values } = splitArgs(args, { short: name === "install" ? "tSgmo" : "tS", long: ["--target-directory", "--suffix"] });
  if (name === "ln" && !flags.has("-f") && !flags.has("--force")) {
    // ln without -f refuses to replace an existing file.
    if (!flags.has("-t")) return;
  }
  const targetDir = values.get("-t")?.[0] ?? values.get("--target-directory")?.[0];
  const noDir = flags.has("-T") || flags.has("--no-target-directory");
  let srcs = operands;
  let dest: Word | undefined;
  if (targetDir !== undefined) dest = { v: targetDir, dyn: false, glob: false, assign: false };
  else {
    dest = operands[operands.length - 1];
    srcs = operands.slice(0, -1);
  }
  if (!dest || (srcs.length === 0 && targetDir === undefined)) return;
  const names = srcs.map((s) => (s.dyn || s.glob ? null : posix.basename(s.v.replace(/\/+$/, "")))).filter((n): n is string => !!n);
  if (srcs.some((s) => s.dyn || s.glob) && !noDir) out.unknown.push(`${name} into ${dest.v}: some source names depend on expansion`);
  addTarget(out, ctx, dest, name, noDir ? {} : { into: names });
  if (name === "mv") for (const s of srcs) addTarget(out, ctx, s, "mv (source)");
}

// ---------------------------------------------------------------------------------------------
// git

const GIT_GLOBAL_WITH_VALUE = new Set(["-C", "-c", "--git-dir", "--work-tree", "--namespace", "--exec-path", "--config-env"]);

function git(args: Word[], ctx: Ctx, out: BashAnalysis): void {
  let cwd = ctx.cwd;
  let k = 0;
  for (; k < args.length; k++) {
    const v = (args[k] as Word).v;
    if (!v.startsWith("-")) break;
    if (v === "--git-dir" || v === "--work-tree" || v.startsWith("--git-dir=") || v.startsWith("--work-tree=")) {
      out.unknown.push("git with --git-dir or --work-tree");
      return;
    }
    if (v === "-C") {
      const d = args[k + 1];
      cwd = d ? joinCwd(cwd, d) : null;
    }
    if (GIT_GLOBAL_WITH_VALUE.has(v)) k++;
  }
  const sub = args[k]?.v;
  const rest = args.slice(k + 1);
  if (!sub) return;
  const c: Ctx = { cwd, depth: ctx.depth };
  const op = (kind: GitKind, paths: string[], text: string): void => {
    out.git.push({ kind, cwd, paths, text });
  };
  const pathTargets = (ws: Word[], via: string, extra: Partial<Target> = {}) => {
    for (const w of ws) addTarget(out, c, w, via, extra);
  };
  const vals = (ws: Word[]) => ws.map((w) => w.v);
  switch (sub) {
    case "checkout": {
      const dd = rest.findIndex((w) => w.v === "--");
      const before = dd < 0 ? rest : rest.slice(0, dd);
      const { operands, flags } = splitArgs(before, { short: "bBt", long: ["--orphan", "--conflict", "--pathspec-from-file"] });
      if (flags.has("-b") || flags.has("-B") || flags.has("--orphan")) return op("switch", [], "git checkout -b");
      if (flags.has("--pathspec-from-file")) return void out.unknown.push("git checkout --pathspec-from-file");
      if (dd >= 0) return pathTargets(rest.slice(dd + 1), "git checkout --");
      if (operands.length === 0) {
        if (flags.has("-f") || flags.has("--force")) pathTargets([{ v: ".", dyn: false, glob: false, assign: false }], "git checkout -f");
        return;
      }
      return op("checkout-ambiguous", vals(operands), `git checkout ${vals(operands).join(" ")}`);
    }
    case "switch":
      return op("switch", [], "git switch");
    case "restore": {
      const { operands, flags } = splitArgs(rest, { short: "s", long: ["--source", "--conflict", "--pathspec-from-file"] });
      if (flags.has("--pathspec-from-file")) return void out.unknown.push("git restore --pathspec-from-file");
      const staged = flags.has("-S") || flags.has("--staged");
      const worktree = flags.has("-W") || flags.has("--worktree");
      if (staged && !worktree) return;
      return pathTargets(operands, "git restore");
    }
    case "stash": {
      const action = rest[0]?.v;
      if (action && !action.startsWith("-") && action !== "push" && action !== "save") return;
      const args2 = action === "push" || action === "save" ? rest.slice(1) : rest;
      const dd = args2.findIndex((w) => w.v === "--");
      const { operands } = splitArgs(dd < 0 ? args2 : args2.slice(0, dd), { short: "m", long: ["--message", "--pathspec-from-file"] });
      const paths = dd >= 0 ? args2.slice(dd + 1) : action === "save" ? [] : operands;
      if (paths.length) return pathTargets(paths, "git stash");
      return op("stash", [], "git stash");
    }
    case "reset": {
      if (rest.some((w) => w.v === "--hard" || w.v === "--merge")) return op("reset-hard", [], "git reset --hard");
      return;
    }
    case "clean": {
      const { operands, flags } = splitArgs(rest, { short: "e", long: ["--exclude"] });
      const force = flags.has("-f") || flags.has("--force");
      if (!force || flags.has("-n") || flags.has("--dry-run")) return;
      return pathTargets(operands.length ? operands : [{ v: ".", dyn: false, glob: false, assign: false }], "git clean", { untrackedOnly: true });
    }
    case "add": {
      const { operands, flags } = splitArgs(rest, { short: "", long: ["--chmod", "--pathspec-from-file"] });
      if (flags.has("--pathspec-from-file")) return void out.unknown.push("git add --pathspec-from-file");
      const all = flags.has("-A") || flags.has("--all") || flags.has("-u") || flags.has("--update");
      const paths = vals(operands);
      if (paths.length === 0 && !all) return;
      return op("add", paths.length ? paths : [":/"], `git add ${[...[...flags].filter((f) => /^-(A|u)$|^--(all|update)$/.test(f)), ...paths].join(" ")}`.trim());
    }
    case "commit": {
      const { operands, flags } = splitArgs(rest, { short: "mFcCtS", long: ["--message", "--file", "--reuse-message", "--reedit-message", "--template", "--author", "--date", "--fixup", "--squash", "--trailer", "--cleanup", "--pathspec-from-file"] });
      if (flags.has("--dry-run")) return;
      if (flags.has("-a") || flags.has("--all")) return op("commit-all", [":/"], "git commit -a");
      if (operands.length) return op("commit-paths", vals(operands), `git commit ${vals(operands).join(" ")}`);
      return op("commit-staged", [], "git commit");
    }
    case "rm": {
      const { operands, flags } = splitArgs(rest, { short: "", long: ["--pathspec-from-file"] });
      if (flags.has("--cached")) return;
      return pathTargets(operands, "git rm");
    }
    case "mv": {
      const { operands } = splitArgs(rest, { short: "", long: [] });
      return pathTargets(operands, "git mv");
    }
    default:
      return;
  }
}

// ---------------------------------------------------------------------------------------------

/** The write targets and whole-checkout git operations of a Bash command, found without running it. */
export function analyze(src: string, ctx: Ctx = { cwd: ".", depth: 0 }): BashAnalysis {
  const out: BashAnalysis = { targets: [], git: [], unknown: [] };
  let lexed: Lexed;
  try {
    lexed = lex(src);
    new Walker(lexed.toks, out).list(ctx, false);
  } catch (e) {
    // A stack overflow (thousands of nested subshells) is as unparseable as a bad quote.
    if (!(e instanceof ParseError) && !(e instanceof RangeError)) throw e;
    return { targets: out.targets, git: out.git, unknown: [...out.unknown, `the command could not be parsed (${e.message})`] };
  }
  // Command substitutions run before their command, in the same folder.
  for (const sub of lexed.subs) nested(sub, { ...ctx, cwd: ctx.cwd }, out);
  return out;
}
