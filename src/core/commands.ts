// The simple commands of a shell command line, each as its argv after quote removal: what the bd
// guard (core/bdcmd) reads. Kept apart from core/bash.ts, whose analyzer answers a different
// question (what a command writes) and does not expose the argv of each command.
// One left-to-right pass; nesting (`$( )`, backticks, `bash -c`, `eval`) is bounded by depth.

export interface SimpleCommand {
  /** Words after quote removal, wrappers (env, sudo, command, nohup, time) and assignments removed. */
  argv: string[];
  /** For each word of argv: does its value depend on an expansion ($x, $(...), a glob)? */
  dyn: boolean[];
  /** NAME=value words that led the command (or were given to env). */
  env: Record<string, string>;
}

export interface Commands {
  commands: SimpleCommand[];
  /** Why part of the line could not be read, or null. */
  unparsed: string | null;
}

export const MAX_COMMAND_CHARS = 256 * 1024;
const MAX_DEPTH = 6;

const WRAPPERS = new Set(["command", "exec", "nohup", "time", "nice", "sudo", "doas", "builtin"]);
// Wrapper options that take the next word as their value.
const WRAPPER_VALUE: Record<string, RegExp> = { sudo: /^-[ugCDprtTUh]$/, doas: /^-[uC]$/, nice: /^-n$/ };
const SHELLS = new Set(["bash", "sh", "zsh", "dash", "ksh"]);
const ASSIGN = /^[A-Za-z_][A-Za-z0-9_]*=/;
// Reserved words that may lead a simple command inside a compound one.
const KEYWORDS = new Set(["{", "}", "!", "if", "then", "elif", "else", "fi", "while", "until", "do", "done"]);

interface RawWord {
  v: string;
  dyn: boolean;
  /** The name of an unquoted NAME= prefix: only such a word is an assignment. */
  assign: boolean;
}

export function simpleCommands(src: string, depth = 0): Commands {
  const out: Commands = { commands: [], unparsed: null };
  if (src.length > MAX_COMMAND_CHARS) return { commands: [], unparsed: `the command is longer than ${MAX_COMMAND_CHARS} characters` };
  if (depth > MAX_DEPTH) return { commands: [], unparsed: "commands nested too deep" };
  const subs: string[] = [];
  let words: RawWord[] = [];
  let cur: RawWord | null = null;
  let skipNext = false; // the word after a redirection is its target, not an argument
  const heredocs: string[] = [];
  const endWord = () => {
    if (!cur) return;
    if (skipNext) skipNext = false;
    else words.push(cur);
    cur = null;
  };
  const endCommand = () => {
    endWord();
    if (words.length) pushCommand(words, out, depth);
    words = [];
  };
  const word = () => (cur ??= { v: "", dyn: false, assign: false });
  const n = src.length;
  let i = 0;
  try {
    while (i < n) {
      const c = src[i] as string;
      if (c === " " || c === "\t") {
        endWord();
        i++;
      } else if (c === "\n") {
        endCommand();
        i++;
        // Here-document bodies follow the line that opened them.
        while (heredocs.length) {
          const delim = heredocs.shift() as string;
          while (i < n) {
            const eol = src.indexOf("\n", i);
            const line = src.slice(i, eol < 0 ? n : eol);
            i = eol < 0 ? n : eol + 1;
            if (line.replace(/^\t+/, "") === delim) break;
          }
        }
      } else if (c === "#" && !cur) {
        const eol = src.indexOf("\n", i);
        i = eol < 0 ? n : eol;
      } else if (c === ";" || c === "&" || c === "|" || c === "(" || c === ")") {
        if (c === "&" && src[i + 1] === ">") {
          // &> and &>> redirect, they do not end a command.
          endWord();
          i += src[i + 2] === ">" ? 3 : 2;
          skipNext = true;
          continue;
        }
        endCommand();
        i += (c === "&" || c === "|" || c === ";") && src[i + 1] === c ? 2 : 1;
      } else if ((c === ">" || c === "<") && !(src[i + 1] === "(")) {
        // A redirection: an fd number written just before it is part of it.
        if (cur && /^\d+$/.test((cur as RawWord).v) && !(cur as RawWord).dyn) cur = null;
        else endWord();
        let j = i + 1;
        if (c === "<" && src[j] === "<" && src[j + 1] !== "<") {
          j++;
          if (src[j] === "-") j++;
          while (src[j] === " " || src[j] === "\t") j++;
          let k = j;
          while (k < n && !/[\s;&|<>()]/.test(src[k] as string)) k++;
          heredocs.push(src.slice(j, k).replace(/['"\\]/g, ""));
          i = k;
          continue;
        }
        while (src[j] === ">" || src[j] === "<" || src[j] === "&" || src[j] === "|") j++;
        // >&2 names an fd, not a file word after it.
        if (src[j - 1] === "&" && /\d|-/.test(src[j] ?? "")) {
          while (/[\d-]/.test(src[j] ?? "")) j++;
        } else skipNext = true;
        i = j;
      } else if (c === "\\") {
        if (src[i + 1] === "\n") i += 2;
        else {
          word().v += src[i + 1] ?? "";
          i += 2;
        }
      } else if (c === "'") {
        const end = src.indexOf("'", i + 1);
        if (end < 0) throw new Error("an unclosed ' quote");
        word().v += src.slice(i + 1, end);
        i = end + 1;
      } else if (c === '"') {
        const w = word();
        i++;
        while (i < n && src[i] !== '"') {
          const d = src[i] as string;
          if (d === "\\" && /[$`"\\\n]/.test(src[i + 1] ?? "")) {
            w.v += src[i + 1] === "\n" ? "" : src[i + 1];
            i += 2;
          } else if (d === "$" || d === "`") {
            i = expansion(src, i, w, subs);
          } else {
            w.v += d;
            i++;
          }
        }
        if (i >= n) throw new Error('an unclosed " quote');
        i++;
      } else if (c === "$" || c === "`") {
        i = expansion(src, i, word(), subs);
      } else {
        const w = word();
        if (c === "=" && !w.dyn && w.v.length > 0 && /^[A-Za-z_][A-Za-z0-9_]*$/.test(w.v) && words.every((x) => x.assign)) w.assign = true;
        if (c === "*" || c === "?" || c === "[") w.dyn = true;
        w.v += c;
        i++;
      }
    }
    endCommand();
  } catch (e) {
    out.unparsed = (e as Error).message;
  }
  for (const sub of subs) {
    const inner = simpleCommands(sub, depth + 1);
    out.commands.push(...inner.commands);
    out.unparsed ??= inner.unparsed;
  }
  return out;
}

// `$name`, `${...}`, `$(...)`, `$((...))` or a backtick substitution at src[i], appended to `w`
// as unknown; the source of a command substitution is kept to be read as commands too.
function expansion(src: string, i: number, w: RawWord, subs: string[]): number {
  w.dyn = true;
  if (src[i] === "`") {
    const end = src.indexOf("`", i + 1);
    if (end < 0) throw new Error("an unclosed backtick");
    subs.push(src.slice(i + 1, end));
    return end + 1;
  }
  const next = src[i + 1];
  if (next === "(" || next === "{") {
    const close = next === "(" ? ")" : "}";
    let d = 0;
    let j = i + 1;
    for (; j < src.length; j++) {
      const c = src[j];
      if (c === "\\") j++;
      else if (c === "'" && next === "(") {
        const e = src.indexOf("'", j + 1);
        if (e < 0) break;
        j = e;
      } else if (c === next) d++;
      else if (c === close && --d === 0) break;
    }
    if (j >= src.length) throw new Error(`an unclosed $${next}`);
    if (next === "(" && src[i + 2] !== "(") subs.push(src.slice(i + 2, j));
    return j + 1;
  }
  let j = i + 1;
  if (/[@*#?$!0-9-]/.test(next ?? "")) return j + 1;
  while (j < src.length && /[A-Za-z0-9_]/.test(src[j] as string)) j++;
  if (j === i + 1) {
    // A lone `$` is itself.
    w.v += "$";
    w.dyn = false;
  }
  return j;
}

function pushCommand(words: RawWord[], out: Commands, depth: number) {
  const env: Record<string, string> = {};
  let k = 0;
  const take = () => {
    while (k < words.length && (words[k] as RawWord).assign) {
      const w = words[k++] as RawWord;
      const eq = w.v.indexOf("=");
      env[w.v.slice(0, eq)] = w.v.slice(eq + 1);
    }
  };
  take();
  // Wrappers run the command after them (their own options skipped).
  for (;;) {
    const w = words[k];
    if (!w) break;
    if (KEYWORDS.has(w.v)) {
      k++;
      take();
      continue;
    }
    if (w.v === "xargs") {
      // The arguments come from stdin: the command gets one word of unknown value at the end.
      k++;
      while (k < words.length && (words[k] as RawWord).v.startsWith("-")) k += /^-[IdEsLnPa]$/.test((words[k] as RawWord).v) ? 2 : 1;
      const rest = words.slice(k);
      if (rest.length) pushCommand([...rest, { v: "", dyn: true, assign: false }], out, depth);
      return;
    }
    if (w.v === "env") {
      k++;
      while (k < words.length && (words[k] as RawWord).v.startsWith("-")) k++;
      while (k < words.length && ASSIGN.test((words[k] as RawWord).v)) {
        const v = (words[k++] as RawWord).v;
        env[v.slice(0, v.indexOf("="))] = v.slice(v.indexOf("=") + 1);
      }
      continue;
    }
    if (WRAPPERS.has(w.v)) {
      k++;
      const valued = WRAPPER_VALUE[w.v];
      while (k < words.length && (words[k] as RawWord).v.startsWith("-")) k += valued?.test((words[k] as RawWord).v) ? 2 : 1;
      take();
      continue;
    }
    break;
  }
  const rest = words.slice(k);
  if (!rest.length) return;
  const prog = (rest[0] as RawWord).v.replace(/^.*\//, "");
  // `bash -c "..."` and `eval ...` run their text as commands.
  if (SHELLS.has(prog)) {
    const c = rest.findIndex((w, i) => i > 0 && /^-[a-z]*c[a-z]*$/.test(w.v));
    if (c > 0 && rest[c + 1]) {
      const inner = simpleCommands((rest[c + 1] as RawWord).v, depth + 1);
      for (const cmd of inner.commands) out.commands.push({ ...cmd, env: { ...env, ...cmd.env } });
      out.unparsed ??= inner.unparsed;
      return;
    }
  }
  if (prog === "eval" && rest.length > 1) {
    const inner = simpleCommands(rest.slice(1).map((w) => w.v).join(" "), depth + 1);
    for (const cmd of inner.commands) out.commands.push({ ...cmd, env: { ...env, ...cmd.env } });
    out.unparsed ??= inner.unparsed;
    return;
  }
  out.commands.push({ argv: rest.map((w) => w.v), dyn: rest.map((w) => w.dyn), env });
}
