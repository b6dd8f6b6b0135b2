// Bash's lexical layer, without running anything: quoting (including ANSI-C `$'...'`), the
// expansions coord can perform itself (brace and range expansion) and those it can only name
// ($VAR, $(...)), here-documents, and the `((` arithmetic / `( (` nested subshell distinction.
// A hand-written tokenizer rather than an npm shell parser: the one well-kept full parser
// (sh-syntax, mvdan/sh compiled to WASM) adds 750 KB and measured ~10 ms to load plus ~15 ms per
// parse, more than the whole Write check.

/** A word after expansion and quote removal. */
export interface Word {
  /** The value; for a word with an expansion coord does not perform, only its literal parts. */
  v: string;
  /** Its value depends on an expansion coord does not perform ($VAR, $(…), `…`, ~). */
  dyn: boolean;
  /** It holds an unquoted glob character (* ? […]): the shell matches it against the file system. */
  glob: boolean;
  /** Written as NAME=value with an unquoted name: an assignment when it leads a command. */
  assign: boolean;
  /** The word as written, for messages. */
  text: string;
}

export type Tok = { k: "w"; w: Word } | { k: "op"; v: string } | { k: "r"; op: string; fd: number | null; body?: string };

export class ParseError extends Error {
  /** Where the complete lines before the error end: bash runs those before it reports the error. */
  safe = 0;
}

/** Limits that keep hostile input (deep nesting, huge commands) from turning into long loops. */
export const LIMITS = {
  /** Longer commands are not analysed at all. */
  chars: 256_000,
  /** Parentheses, quotes and substitutions nested deeper than this are not followed. */
  depth: 100,
  /** Words one brace expansion may produce. */
  braceWords: 1000,
  /** Tokens of one command line. */
  tokens: 10_000,
} as const;

const SEP_OPS = [";;&", "&>>", "<<<", "<<-", "&&", "||", ";;", ";&", "|&", ">>", "&>", ">|", ">&", "<<", "<>", "<&"];

export interface Lexed {
  toks: Tok[];
  /** Command substitutions and process substitutions: they run too. */
  subs: string[];
}

const isNameStart = (c: string | undefined) => !!c && /[A-Za-z_]/.test(c);

/** `tok`: the redirection the body belongs to; it gets the body (a here-document is the command's input). */
type Heredoc = { delim: string; strip: boolean; expand: boolean; tok?: { body?: string } };

/**
 * Here-document bodies start on the line after their `<<`; they are data, except that an unquoted
 * delimiter lets `$(…)` and backquotes in the body run. Skips the bodies of `pending` (emptying it)
 * from `from`, the start of that line; returns the index after.
 */
function skipHeredocBodies(s: string, from: number, pending: Heredoc[], subs: string[] | null, d: number): number {
  let i = from;
  for (const h of pending.splice(0)) {
    const start = i;
    let end = s.length;
    while (i < s.length) {
      let e = s.indexOf("\n", i);
      if (e < 0) e = s.length;
      const line = s.slice(i, e);
      const lineStart = i;
      i = e + 1;
      if ((h.strip ? line.replace(/^\t+/, "") : line) === h.delim) {
        end = lineStart;
        break;
      }
    }
    if (h.expand && subs) heredocSubstitutions(s.slice(start, end), subs, d);
    if (h.tok) h.tok.body = s.slice(start, end);
  }
  return i;
}

function heredocSubstitutions(body: string, subs: string[], d: number): void {
  if (!body.includes("$") && !body.includes("`")) return;
  for (let k = 0; k < body.length; k++) {
    const c = body[k];
    if (c === "\\") k++;
    else if (c === "`") {
      const j = findBacktick(body, k + 1);
      subs.push(body.slice(k + 1, j));
      k = j;
    } else if (c === "$") k = dollar(body, k, subs, d + 1) - 1;
  }
}

/** The index just past the `)` matching the `(` at `open`, honouring quotes, escapes and nesting. */
export function matchParen(s: string, open: number, d = 0): number {
  return matchClose(s, open, "(", ")", "unbalanced parentheses", d);
}

function matchClose(s: string, open: number, opener: string, closer: string, unclosed: string, d: number): number {
  if (d > LIMITS.depth) throw new ParseError("nested too deeply");
  let depth = 0;
  const heredocs: Heredoc[] = [];
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
      const w = readRaw(s, j, [], d + 1);
      if (w.word.v) heredocs.push({ delim: w.word.v, strip, expand: false });
      i = w.end - 1;
      continue;
    }
    if (c === "\n" && heredocs.length) {
      i = skipHeredocBodies(s, i + 1, heredocs, null, d) - 1;
      continue;
    }
    if (c === "'") {
      const j = s.indexOf("'", i + 1);
      if (j < 0) throw new ParseError("unterminated quote");
      i = j;
      continue;
    }
    if (c === '"') {
      i = skipDouble(s, i + 1, null, d + 1);
      continue;
    }
    if (c === "`") {
      i = findBacktick(s, i + 1);
      continue;
    }
    if (c === opener) {
      depth++;
      if (depth > LIMITS.depth) throw new ParseError("nested too deeply");
    } else if (c === closer) {
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
 * Bash reads `((` as arithmetic only when its parentheses close with `))`; `((rm f) )` is two nested
 * subshells. `open` is the index of the first `(`.
 */
export function isArithmetic(s: string, open: number): boolean {
  let depth = 0;
  for (let i = open + 2; i < s.length; i++) {
    const c = s[i];
    if (c === "\\") i++;
    else if (c === "'" || c === '"') {
      const j = s.indexOf(c, i + 1);
      if (j < 0) return false;
      i = j;
    } else if (c === "(") depth++;
    else if (c === ")") {
      if (depth > 0) depth--;
      else return s[i + 1] === ")";
    }
  }
  return false;
}

/** A character of a word being read; `q`: quoted or escaped, so brace expansion and globbing leave it alone. */
interface Acc {
  chars: string[];
  q: boolean[];
  dyn: boolean;
  subs: string[];
}

function push(acc: Acc | null, text: string, quoted: boolean): void {
  if (!acc) return;
  for (let k = 0; k < text.length; k++) {
    acc.chars.push(text[k] as string);
    acc.q.push(quoted);
  }
}

/** A run of characters with no quoting, expansion or word end in it: read in one step. */
const PLAIN = /[^ \t\n;&|()<>\\'"`$~=*?[{]+/y;

/**
 * Scans a double-quoted string from just after its opening quote; returns the index of the
 * closing quote. With `acc`, appends the literal value and reports expansions.
 */
function skipDouble(s: string, from: number, acc: Acc | null, d: number): number {
  if (d > LIMITS.depth) throw new ParseError("nested too deeply");
  for (let i = from; i < s.length; i++) {
    const c = s[i] as string;
    if (c === '"') return i;
    if (c === "\\") {
      const n = s[i + 1];
      if (n === "$" || n === "`" || n === '"' || n === "\\") {
        push(acc, n, true);
        i++;
      } else if (n === "\n") {
        i++;
      } else push(acc, c, true);
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
      const j = dollar(s, i, acc?.subs ?? null, d + 1);
      if (j > i + 1) {
        if (acc) acc.dyn = true;
        i = j - 1;
        continue;
      }
    }
    push(acc, c, true);
  }
  throw new ParseError("unterminated double quote");
}

/** Collects the command substitutions ($(…) and `…`) of a parameter expansion's text, skipping single quotes. */
function substitutionsIn(text: string, subs: string[], d: number): void {
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
    } else if (c === "$") k = dollar(text, k, subs, d + 1) - 1;
  }
}

/** At a `$`: returns the index past the expansion (i + 1 when the `$` is literal). */
function dollar(s: string, i: number, subs: string[] | null, d: number): number {
  if (d > LIMITS.depth) throw new ParseError("nested too deeply");
  const n = s[i + 1];
  if (n === "(") {
    if (s[i + 2] === "(" && isArithmetic(s, i + 1)) return matchParen(s, i + 1, d); // nothing runs
    const end = matchParen(s, i + 1, d);
    subs?.push(s.slice(i + 2, end - 1));
    return end;
  }
  if (n === "{") {
    const end = matchClose(s, i + 1, "{", "}", "unterminated ${", d);
    // ${x:-$(cmd)} runs cmd: the substitutions inside a parameter expansion count too.
    if (subs) substitutionsIn(s.slice(i + 2, end - 1), subs, d);
    return end;
  }
  if (n === "[") {
    const end = s.indexOf("]", i + 2);
    return end < 0 ? i + 1 : end + 1; // $[ ] old arithmetic
  }
  if (isNameStart(n)) {
    let j = i + 1;
    while (j < s.length && /[A-Za-z0-9_]/.test(s[j] as string)) j++;
    return j;
  }
  if (n !== undefined && /[0-9@*#?$!-]/.test(n)) return i + 2;
  return i + 1;
}

const ANSI: Record<string, string> = { n: "\n", t: "\t", r: "\r", "\\": "\\", "'": "'", '"': '"', "?": "?", a: "\x07", b: "\b", e: "\x1b", E: "\x1b", f: "\f", v: "\v" };

/** The body of `$'…'` from just after the quote: bash's escapes (\xHH, \uHHHH, \UHHHHHHHH, \NNN octal, \cX). */
export function ansiC(s: string, from: number): { value: string; end: number } {
  let v = "";
  for (let j = from; j < s.length; j++) {
    const c = s[j] as string;
    if (c === "'") return { value: v, end: j };
    if (c !== "\\" || j + 1 >= s.length) {
      v += c;
      continue;
    }
    const e = s[j + 1] as string;
    const hex = (max: number) => {
      const m = /^[0-9a-fA-F]+/.exec(s.slice(j + 2, j + 2 + max));
      return m ? m[0] : "";
    };
    if (e === "x" || e === "u" || e === "U") {
      const h = hex(e === "x" ? 2 : e === "u" ? 4 : 8);
      if (!h) {
        v += `\\${e}`;
        j++;
        continue;
      }
      const cp = Number.parseInt(h, 16);
      v += cp <= 0x10ffff ? String.fromCodePoint(cp) : "";
      j += 1 + h.length;
      continue;
    }
    if (/[0-7]/.test(e)) {
      const m = /^[0-7]{1,3}/.exec(s.slice(j + 1)) as RegExpExecArray;
      v += String.fromCharCode(Number.parseInt(m[0], 8) & 0xff);
      j += m[0].length;
      continue;
    }
    if (e === "c" && j + 2 < s.length) {
      v += String.fromCharCode((s[j + 2] as string).toUpperCase().charCodeAt(0) & 0x1f);
      j += 2;
      continue;
    }
    v += ANSI[e] ?? `\\${e}`;
    j++;
  }
  throw new ParseError("unterminated $'");
}

/** Reads one word as written; returns its characters with their quoting, before brace expansion. */
function readRaw(s: string, start: number, subs: string[], d: number): { word: Word; acc: Acc; end: number; raw: string } {
  const acc: Acc = { chars: [], q: [], dyn: false, subs };
  let i = start;
  for (; i < s.length; i++) {
    PLAIN.lastIndex = i;
    const run = PLAIN.exec(s);
    if (run) {
      push(acc, run[0], false);
      i += run[0].length - 1;
      continue;
    }
    const c = s[i] as string;
    if (" \t\n;&|()<>".includes(c)) break;
    if (c === "\\") {
      if (s[i + 1] === "\n") {
        i++;
        continue;
      }
      if (i + 1 < s.length) push(acc, s[i + 1] as string, true);
      i++;
      continue;
    }
    if (c === "'") {
      const j = s.indexOf("'", i + 1);
      if (j < 0) throw new ParseError("unterminated single quote");
      push(acc, s.slice(i + 1, j), true);
      i = j;
      continue;
    }
    if (c === '"') {
      i = skipDouble(s, i + 1, acc, d + 1);
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
        const r = ansiC(s, i + 2);
        push(acc, r.value, true);
        i = r.end;
        continue;
      }
      if (s[i + 1] === '"') continue; // $"…" is a translated double-quoted string
      const j = dollar(s, i, subs, d + 1);
      if (j > i + 1) {
        acc.dyn = true;
        i = j - 1;
        continue;
      }
    }
    if (c === "~" && acc.chars.length === 0) acc.dyn = true; // ~ and ~user: a home folder coord does not look up
    push(acc, c, false);
  }
  const v = acc.chars.join("");
  const raw = s.slice(start, i);
  const nameEq = /^[A-Za-z_][A-Za-z0-9_]*\+?=/.exec(raw);
  return { word: { v, dyn: acc.dyn, glob: hasGlob(acc), assign: !!nameEq, text: raw }, acc, end: i, raw };
}

function hasGlob(acc: Acc): boolean {
  if (!acc.chars.some((c) => c === "*" || c === "?" || c === "[")) return false;
  for (let k = 0; k < acc.chars.length; k++) {
    if (acc.q[k]) continue;
    const c = acc.chars[k];
    if (c === "*" || c === "?") return true;
    if (c === "[" && acc.chars.indexOf("]", k + 2) > k) return true;
  }
  return false;
}

/**
 * Brace expansion, as bash does it before anything else: `a{b,c}d` and sequences `{e..g}`,
 * `{1..10..2}`, `{01..03}`, on unquoted braces only. Returns null when there is nothing to expand.
 */
export function braceExpand(chars: string[], q: boolean[], limit: number = LIMITS.braceWords): { chars: string[]; q: boolean[] }[] | null {
  for (let open = 0; open < chars.length; open++) {
    if (chars[open] !== "{" || q[open]) continue;
    if (open > 0 && chars[open - 1] === "$" && !q[open - 1]) continue;
    let depth = 0;
    const commas: number[] = [];
    let close = -1;
    for (let k = open; k < chars.length; k++) {
      if (q[k]) continue;
      if (chars[k] === "{") depth++;
      else if (chars[k] === "}") {
        depth--;
        if (depth === 0) {
          close = k;
          break;
        }
      } else if (chars[k] === "," && depth === 1) commas.push(k);
    }
    if (close < 0) return null;
    const pre = { chars: chars.slice(0, open), q: q.slice(0, open) };
    const post = { chars: chars.slice(close + 1), q: q.slice(close + 1) };
    let alts: { chars: string[]; q: boolean[] }[];
    if (commas.length) {
      const cuts = [open, ...commas, close];
      alts = cuts.slice(0, -1).map((c, n) => ({ chars: chars.slice(c + 1, cuts[n + 1]), q: q.slice(c + 1, cuts[n + 1]) }));
    } else {
      const inner = chars.slice(open + 1, close);
      if (q.slice(open + 1, close).some(Boolean)) continue;
      const seq = sequence(inner.join(""), limit);
      if (!seq) continue;
      alts = seq.map((x) => ({ chars: [...x], q: [...x].map(() => true) }));
    }
    const out: { chars: string[]; q: boolean[] }[] = [];
    for (const a of alts) {
      const w = { chars: [...pre.chars, ...a.chars, ...post.chars], q: [...pre.q, ...a.q, ...post.q] };
      const more = braceExpand(w.chars, w.q, limit);
      for (const m of more ?? [w]) {
        out.push(m);
        if (out.length > limit) throw new ParseError(`a brace expansion of more than ${limit} words`);
      }
    }
    return out;
  }
  return null;
}

function sequence(inner: string, limit: number): string[] | null {
  const num = /^(-?\d+)\.\.(-?\d+)(?:\.\.(-?\d+))?$/.exec(inner);
  const chr = /^([A-Za-z])\.\.([A-Za-z])(?:\.\.(-?\d+))?$/.exec(inner);
  const m = num ?? chr;
  if (!m) return null;
  const step = Math.abs(Number(m[3] ?? 1)) || 1;
  const a = num ? Number(m[1]) : (m[1] as string).charCodeAt(0);
  const b = num ? Number(m[2]) : (m[2] as string).charCodeAt(0);
  if (Math.abs(b - a) / step > limit) throw new ParseError(`a brace expansion of more than ${limit} words`);
  const width = num && (/^-?0\d/.test(m[1] as string) || /^-?0\d/.test(m[2] as string)) ? Math.max((m[1] as string).length, (m[2] as string).length) : 0;
  const out: string[] = [];
  const dir = b >= a ? 1 : -1;
  for (let x = a; dir > 0 ? x <= b : x >= b; x += dir * step) {
    if (!num) out.push(String.fromCharCode(x));
    else out.push(width ? `${x < 0 ? "-" : ""}${String(Math.abs(x)).padStart(width - (x < 0 ? 1 : 0), "0")}` : String(x));
  }
  return out;
}

/** A word read at `start`, brace-expanded into the words bash would pass. */
export function readWords(s: string, start: number, subs: string[], d = 0): { words: Word[]; end: number; raw: string } {
  const r = readRaw(s, start, subs, d);
  // An assignment's value is not brace-expanded (FOO={a,b} stays literal).
  const expanded = r.word.assign || !r.word.v.includes("{") ? null : braceExpand(r.acc.chars, r.acc.q);
  if (!expanded) return { words: [r.word], end: r.end, raw: r.raw };
  return {
    words: expanded.map((e) => ({ v: e.chars.join(""), dyn: r.word.dyn, glob: hasGlob({ chars: e.chars, q: e.q, dyn: false, subs: [] }), assign: false, text: r.raw })),
    end: r.end,
    raw: r.raw,
  };
}

/** Splits a command line into words, operators and redirections; collects the substitutions that run. */
export function lex(s: string): Lexed {
  if (s.length > LIMITS.chars) throw new ParseError(`the command is ${Math.round(s.length / 1000)} KB, more than coord reads (${LIMITS.chars / 1000} KB)`);
  const toks: Tok[] = [];
  const subs: string[] = [];
  const heredocs: Heredoc[] = [];
  let i = 0;
  let safe = 0;
  let open = 0;
  const atCommandStart = () => {
    const last = toks[toks.length - 1];
    return !last || (last.k === "op" && last.v !== ")") || (last.k === "w" && last.w.v === "for");
  };
  try {
    lexLoop();
  } catch (e) {
    if (e instanceof ParseError) e.safe = safe;
    throw e;
  }
  return { toks, subs };

  function lexLoop(): void {
  while (i < s.length) {
    if (toks.length > LIMITS.tokens) throw new ParseError(`more than ${LIMITS.tokens} words`);
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
      i = skipHeredocBodies(s, i + 1, heredocs, subs, 0);
      if (open === 0) safe = i; // a newline inside ( … ) does not end a complete command
      continue;
    }
    if (c === "(" && s[i + 1] === "(" && atCommandStart() && isArithmetic(s, i)) {
      // (( arithmetic )): its < and > compare numbers, they are not redirections.
      i = matchParen(s, i);
      toks.push({ k: "w", w: { v: "true", dyn: false, glob: false, assign: false, text: "((…))" } });
      continue;
    }
    if ((c === "<" || c === ">") && s[i + 1] === "(") {
      // Process substitution: the command inside runs; the word is a /dev/fd path.
      const end = matchParen(s, i + 1);
      subs.push(s.slice(i + 2, end - 1));
      toks.push({ k: "w", w: { v: "/dev/fd/63", dyn: false, glob: false, assign: false, text: s.slice(i, end) } });
      i = end;
      continue;
    }
    const op = ";&|<>".includes(c) ? SEP_OPS.find((o) => s.startsWith(o, i)) : undefined;
    if (op || c === ";" || c === "|" || c === "&" || c === "(" || c === ")" || c === "<" || c === ">") {
      const o = op ?? c;
      if (o.includes("<") || o.includes(">")) {
        const tok: Tok & { k: "r" } = { k: "r", op: o, fd: null };
        toks.push(tok);
        i += o.length;
        if (o === "<<" || o === "<<-") i = heredocStart(s, i, o, heredocs, tok);
      } else {
        toks.push({ k: "op", v: o });
        if (o === "(" && ++open > LIMITS.depth) throw new ParseError("nested too deeply");
        else if (o === ")") open--;
        i += o.length;
      }
      continue;
    }
    const w = readWords(s, i, subs);
    i = w.end;
    // `2>file`, `{fd}>file`: a descriptor word directly before < or > is not an argument.
    if ((s[i] === ">" || s[i] === "<") && (/^[0-9]+$/.test(w.raw) || /^\{[A-Za-z_][A-Za-z0-9_]*\}$/.test(w.raw))) {
      const o = SEP_OPS.find((x) => s.startsWith(x, i) && (x.startsWith(">") || x.startsWith("<"))) ?? (s[i] as string);
      const tok: Tok & { k: "r" } = { k: "r", op: o, fd: /^[0-9]+$/.test(w.raw) ? Number(w.raw) : -1 };
      toks.push(tok);
      i += o.length;
      if (o === "<<" || o === "<<-") i = heredocStart(s, i, o, heredocs, tok);
      continue;
    }
    for (const x of w.words) toks.push({ k: "w", w: x });
  }
  }

}

function heredocStart(s: string, i: number, o: string, heredocs: Heredoc[], tok: { body?: string }): number {
  let j = i;
  while (s[j] === " " || s[j] === "\t") j++;
  const w = readRaw(s, j, [], 0);
  // A quoted delimiter (any quote in it) makes the body literal; unquoted, $(…) in it runs.
  heredocs.push({ delim: w.word.v, strip: o === "<<-", expand: !/['"\\]/.test(w.raw), tok });
  return w.end;
}
