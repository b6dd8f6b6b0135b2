// The structure of a command line: lists, pipelines, subshells, groups, `if`/`while`/`for`,
// functions and `case`. Each simple command goes to the program table (programs.ts) or to git
// (git.ts); `cd` follows through lists and stays inside subshells and pipelines. What cannot be
// followed is named and the rest of the line is still checked.
import { posix } from "node:path";
import { git } from "./git";
import { LIMITS, lex, ParseError, type Tok, type Word } from "./lex";
import { base, joinCwd, runProgram, WRAPPERS } from "./programs";
import type { BashAnalysis, Ctx, Emit, Target } from "./types";

/** Nested shells (bash -c, eval, $( )) followed this deep. */
const MAX_NEST = 8;

const SKIPPED_KEYWORDS = new Set(["!", "{", "}", "if", "then", "else", "elif", "fi", "do", "done", "while", "until", "coproc"]);
const LIST_OPS = new Set(["&&", "||", ";", "&", "\n"]);
const CASE_ENDS = new Set([";;", ";&", ";;&"]);
const DEVICES = /^\/dev\/(null|stdout|stderr|stdin|tty|fd\/[0-9]+|zero|u?random)$/;

interface Stop {
  ops: ReadonlySet<string>;
  word?: string;
}
const NONE: Stop = { ops: new Set() };
const SUBSHELL: Stop = { ops: new Set([")"]) };
const CASE_ARM: Stop = { ops: CASE_ENDS, word: "esac" };

class Walker {
  i = 0;
  nest = 0;
  constructor(
    readonly toks: Tok[],
    readonly out: BashAnalysis,
  ) {}

  private peek(): Tok | undefined {
    return this.toks[this.i];
  }

  private stops(t: Tok, stop: Stop): boolean {
    return (t.k === "op" && stop.ops.has(t.v)) || (!!stop.word && t.k === "w" && !t.w.dyn && t.w.v === stop.word);
  }

  list(ctx: Ctx, stop: Stop): void {
    while (this.i < this.toks.length) {
      const t = this.toks[this.i] as Tok;
      if (this.stops(t, stop)) return;
      if (t.k === "op" && LIST_OPS.has(t.v)) {
        this.i++;
        continue;
      }
      if (t.k === "op" && (t.v === ")" || CASE_ENDS.has(t.v) || t.v === "|" || t.v === "|&")) throw new ParseError(`unexpected ${t.v}`);
      this.pipeline(ctx, stop);
    }
  }

  /** A lone command's `cd` lasts; every part of a real pipeline runs in a subshell of its own. */
  pipeline(ctx: Ctx, stop: Stop): void {
    const first = { ...ctx };
    this.command(first, stop);
    const isPipe = (t: Tok | undefined) => t?.k === "op" && (t.v === "|" || t.v === "|&");
    if (!isPipe(this.peek())) {
      ctx.cwd = first.cwd;
      return;
    }
    while (isPipe(this.peek())) {
      this.i++;
      while (this.peek()?.k === "op" && (this.peek() as { v: string }).v === "\n") this.i++;
      this.command({ ...ctx }, stop);
    }
  }

  command(ctx: Ctx, stop: Stop): void {
    if (++this.nest > LIMITS.depth) throw new ParseError("nested too deeply");
    try {
      const t = this.peek();
      if (t?.k === "op" && t.v === "(") {
        this.i++;
        this.list({ ...ctx }, SUBSHELL);
        if (this.peek()?.k !== "op") throw new ParseError("missing )");
        this.i++;
        this.simple(ctx, stop, true);
        return;
      }
      this.simple(ctx, stop, false);
    } finally {
      this.nest--;
    }
  }

  simple(ctx: Ctx, stop: Stop, redirsOnly: boolean): void {
    const words: Word[] = [];
    const redirs: { op: string; fd: number | null; target: Word | null; body?: string }[] = [];
    while (this.i < this.toks.length) {
      const t = this.toks[this.i] as Tok;
      if (words.length === 0 && this.stops(t, stop)) break;
      if (t.k === "op") {
        if (t.v === "(" && words.length === 1 && !redirsOnly && this.toks[this.i + 1]?.k === "op") return this.functionBody(ctx, stop, 2);
        break;
      }
      this.i++;
      if (t.k === "r") {
        const next = this.peek();
        let target: Word | null = null;
        if (t.op !== "<<" && t.op !== "<<-" && next?.k === "w") {
          target = next.w;
          this.i++;
        }
        redirs.push({ op: t.op, fd: t.fd, target, ...(t.body !== undefined ? { body: t.body } : {}) });
        continue;
      }
      if (redirsOnly) throw new ParseError(`unexpected word ${t.w.text} after )`);
      const w = t.w;
      if (words.length === 0 && !w.dyn) {
        if (SKIPPED_KEYWORDS.has(w.text)) continue;
        if (w.text === "for" || w.text === "select") {
          // for NAME [in WORDS]: the words are data; the body follows `do`.
          while (this.peek()?.k === "w") this.i++;
          return;
        }
        if (w.text === "[[") {
          // [[ … ]]: its < > && || are the test's, not the shell's.
          while (this.i < this.toks.length && !(this.peek()?.k === "w" && (this.peek() as { w: Word }).w.text === "]]")) this.i++;
          this.i++;
          continue;
        }
        if (w.text === "case") return this.caseCommand(ctx);
        if (w.text === "function") {
          if (this.peek()?.k === "w") this.i++;
          const p = this.peek();
          return this.functionBody(ctx, stop, p?.k === "op" && p.v === "(" ? 2 : 0);
        }
      }
      words.push(w);
    }
    for (const r of redirs) {
      if (r.target === null || r.op === "<<<" || r.op === "<" || r.op === "<&") continue;
      if ((r.op === ">&" || r.op === "<&") && /^([0-9]+-?|-)$/.test(r.target.v)) continue;
      addTarget(this.out, ctx, r.target, `${r.fd !== null && r.fd >= 0 ? r.fd : ""}${r.op} redirection`);
    }
    if (!words.length) return;
    const input = [...redirs].reverse().find((r) => (r.fd === null || r.fd === 0) && (r.op === "<" || r.op === "<<" || r.op === "<<-" || r.op === "<<<"));
    const stdin = !input ? null : input.body !== undefined ? { text: input.body } : input.op === "<<<" ? (input.target && !input.target.dyn ? { text: input.target.v } : null) : input.target ? { path: input.target } : null;
    this.run(words, ctx, stdin);
  }

  /** `f() body` / `function f body`: the body is checked as if it ran (it runs when called). */
  functionBody(ctx: Ctx, stop: Stop, skip: number): void {
    this.i += skip;
    while (this.peek()?.k === "op" && (this.peek() as { v: string }).v === "\n") this.i++;
    this.command({ ...ctx }, stop);
  }

  /** case WORD in [(]PAT[|PAT]) LIST ;; … esac: every arm is checked. */
  caseCommand(ctx: Ctx): void {
    const skipNl = () => {
      while (this.peek()?.k === "op" && ["\n", ";"].includes((this.peek() as { v: string }).v)) this.i++;
    };
    this.i++; // the subject
    skipNl();
    const inW = this.peek();
    if (inW?.k !== "w" || inW.w.text !== "in") throw new ParseError("case without in");
    this.i++;
    for (;;) {
      skipNl();
      const t = this.peek();
      if (!t) throw new ParseError("case without esac");
      if (t.k === "w" && t.w.text === "esac") {
        this.i++;
        return;
      }
      if (t.k === "op" && t.v === "(") this.i++;
      while (this.i < this.toks.length && !(this.peek()?.k === "op" && (this.peek() as { v: string }).v === ")")) this.i++;
      this.i++;
      this.list(ctx, CASE_ARM);
      const end = this.peek();
      if (end?.k === "op" && CASE_ENDS.has(end.v)) this.i++;
    }
  }

  emit(ctx: Ctx, stdin: Emit["stdin"] = null): Emit {
    return {
      ctx,
      stdin,
      patch: ({ cwd: dir, ...p }) => {
        const cwd = dir !== undefined ? dir : ctx.cwd;
        if (cwd === null) this.out.unknown.push(`${p.via}: the folder it runs in is not known`);
        else this.out.patches.push({ ...p, cwd });
      },
      write: (w, via, extra) => addTarget(this.out, ctx, w, via, extra),
      unknown: (why) => this.out.unknown.push(why),
      run: (ws, c) => this.run(ws, c ?? ctx),
      script: (src, via, c) => {
        if (src.dyn) this.out.unknown.push(`${via} with an expanded script (${src.text})`);
        else nested(src.v, { ...(c ?? ctx) }, this.out);
      },
      git: (op) => this.out.git.push({ cwd: ctx.cwd, ...op }),
    };
  }

  run(words: Word[], ctx: Ctx, stdin: Emit["stdin"] = null): void {
    let ws = words;
    const env: Word[] = [];
    while (ws[0]?.assign) {
      env.push(ws[0]);
      ws = ws.slice(1);
    }
    const head = ws[0];
    if (!head) return;
    if (head.dyn || !WRAPPERS.has(base(head.v))) {
      // xargs and find -exec add arguments coord cannot see: one more word that is an expansion.
      const argv = ctx.fromInput ? [...ws, { ...head, v: "", dyn: true }] : ws;
      const vars = Object.fromEntries(env.map((a) => [a.v.slice(0, a.v.indexOf("=")), a.v.slice(a.v.indexOf("=") + 1)]));
      this.out.commands.push({ argv: argv.map((w) => w.v), cwd: ctx.cwd, expanded: argv.some((w) => w.dyn), dyn: argv.map((w) => w.dyn || w.glob), env: vars, ...(ctx.fromInput ? { fromInput: true } : {}) });
    }
    if (head.dyn) {
      this.out.unknown.push(`a command whose name is an expansion (${head.text})`);
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
      case "git": {
        // GIT_WORK_TREE=… / GIT_DIR=… before git mean what --work-tree / --git-dir mean.
        const globals = env.flatMap((a) => {
          const m = /^GIT_(WORK_TREE|DIR)=(.*)$/s.exec(a.v);
          return m ? [{ ...a, v: `--${m[1] === "DIR" ? "git-dir" : "work-tree"}=${m[2]}`, assign: false }] : [];
        });
        return git([...globals, ...args], this.emit(ctx, stdin));
      }
    }
    runProgram(name, args, this.emit(ctx, stdin));
  }
}

/** `extra.cwd` (git's work tree) overrides the folder the command runs in. */
function addTarget(out: BashAnalysis, ctx: Ctx, w: Word, via: string, extra: Partial<Target> = {}): void {
  if (DEVICES.test(w.v)) return;
  if (w.dyn) {
    out.unknown.push(`${via} to ${w.text || "an expanded word"}: the target depends on an expansion`);
    return;
  }
  const cwd = extra.cwd !== undefined ? extra.cwd : ctx.cwd;
  if (cwd === null && !posix.isAbsolute(w.v)) {
    out.unknown.push(`${via} to ${w.text}: the folder it runs in is not known`);
    return;
  }
  if (!w.v) return;
  out.targets.push({ path: w.v, via, glob: w.glob, ...extra, cwd: cwd ?? "." });
}

function nested(src: string, ctx: Ctx, out: BashAnalysis): void {
  if (ctx.depth >= MAX_NEST) {
    out.unknown.push("commands nested too deeply");
    out.unparsed ??= "commands nested too deeply";
    return;
  }
  analyzeInto(src, { ...ctx, depth: ctx.depth + 1 }, out);
}

function analyzeInto(src: string, ctx: Ctx, out: BashAnalysis): void {
  let toks: Tok[];
  let subs: string[];
  try {
    ({ toks, subs } = lex(src));
  } catch (e) {
    if (!(e instanceof ParseError) && !(e instanceof RangeError)) throw e;
    out.unknown.push(`the command could not be parsed (${e.message})`);
    out.unparsed ??= e.message;
    // bash runs the complete lines before a syntax error.
    const safe = e instanceof ParseError ? e.safe : 0;
    if (safe > 0 && safe < src.length) analyzeInto(src.slice(0, safe), ctx, out);
    return;
  }
  try {
    new Walker(toks, out).list({ ...ctx }, NONE);
  } catch (e) {
    // A stack overflow is as unparseable as a bad quote; what was found before it still counts.
    if (!(e instanceof ParseError) && !(e instanceof RangeError)) throw e;
    out.unknown.push(`the command could not be parsed (${e.message})`);
    out.unparsed ??= e.message;
  }
  // Command substitutions run before their command, in the same folder.
  for (const sub of subs) nested(sub, { ...ctx }, out);
}

/** The write targets, git operations and commands of a Bash command line, found without running it. */
export function analyze(src: string, ctx: Ctx = { cwd: ".", depth: 0 }): BashAnalysis {
  const out: BashAnalysis = { targets: [], patches: [], git: [], commands: [], unknown: [], unparsed: null };
  analyzeInto(src, ctx, out);
  return out;
}
