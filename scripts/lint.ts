// The layer check: the rules of AGENTS.md that a type checker cannot see, read from the import
// graph and the token stream of every file under src/ (comments and string contents never count).
//   - layers: each folder imports only the layers below it (LAYERS), and no file circles;
//   - core/ is pure: no I/O, process, clock or console (CORE_BANNED);
//   - only edges/proc.ts starts processes; a hook prints through its host encoder only;
//   - never `permissionDecision: "allow"`;
//   - no dead export: one that no file imports and its own file never uses (src/, test/ and
//     scripts/ count as users).
// `bun scripts/lint.ts [root]` prints one line per problem and exits 1 on any.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

export interface Problem {
  file: string;
  line: number;
  why: string;
}

/** Which of our layers each layer may import. `main` is src/main.ts; src/version.ts counts as core. */
export const LAYERS: Record<string, readonly string[]> = {
  core: ["core"],
  edges: ["edges", "core"],
  wt: ["wt", "edges", "core"],
  hook: ["hook", "wt", "edges", "core"],
  cli: ["cli", "hook", "wt", "edges", "core"],
  main: ["cli", "hook", "core"],
};

/** Packages core may use: pure libraries and path arithmetic. */
const CORE_PACKAGES = new Set(["picomatch", "node:path"]);

/** Token sequences banned in core/, with why. `()` after `new Date` means no argument: the clock. */
const CORE_BANNED: { seq: string[]; why: string }[] = [
  { seq: ["process", "."], why: "core/ reads no process state (env, cwd, argv): pass values in" },
  { seq: ["Date", ".", "now"], why: "core/ reads no clock: pass `now` in" },
  { seq: ["new", "Date", "(", ")"], why: "core/ reads no clock: pass `now` in" },
  { seq: ["performance", "."], why: "core/ reads no clock: pass `now` in" },
  { seq: ["console", "."], why: "core/ prints nothing: return strings" },
  { seq: ["Bun", "."], why: "core/ does no I/O (Bun.file, Bun.spawn, ...): the edges do" },
  { seq: ["fetch", "("], why: "core/ does no I/O" },
];
const SPAWN: { seq: string[]; why: string }[] = [
  { seq: ["Bun", ".", "spawn"], why: "only src/edges/proc.ts starts processes (argument array + timeout)" },
  { seq: ["Bun", ".", "spawnSync"], why: "only src/edges/proc.ts starts processes (argument array + timeout)" },
  { seq: ["Bun", ".", "$"], why: "never a shell string: src/edges/proc.ts runs argument arrays" },
];
const SPAWN_MODULES = new Set(["node:child_process", "child_process", "node:worker_threads", "worker_threads"]);
const HOOK_PRINT: { seq: string[]; why: string }[] = [
  { seq: ["console", "."], why: "a hook's stdout is the protocol: the host encoder prints, once (src/hook/main.ts)" },
];

// ---------------------------------------------------------------- tokens

export interface Token {
  t: string;
  kind: "id" | "str" | "punct" | "num";
  line: number;
}

const ID_START = /[A-Za-z_$]/;
const ID_PART = /[A-Za-z0-9_$]/;
/** After these, a `/` starts a regular expression rather than a division. */
const REGEX_AFTER = new Set(["(", ",", "=", ":", "[", "!", "&", "|", "?", "{", "}", ";", "+", "-", "*", "%", "<", ">", "~", "^", "return", "typeof", "case", "do", "else", "in", "of", "new", "delete", "void", "throw", "=>", "&&", "||", "??"]);

/** A tokenizer for TypeScript good enough for imports and identifiers: strings, templates, regexes and comments are skipped whole. */
export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  let line = 1;
  const n = src.length;
  // Template literals nest through ${ }: each open template remembers the brace depth it resumes at.
  const templates: number[] = [];
  let depth = 0;
  const prev = () => out[out.length - 1];
  const readString = (q: string) => {
    const start = i++;
    let value = "";
    while (i < n && src[i] !== q) {
      if (src[i] === "\\") {
        value += src[i + 1] ?? "";
        i += 2;
        continue;
      }
      if (src[i] === "\n") line++;
      value += src[i++];
    }
    i++;
    return { value, start };
  };
  const readTemplate = (): void => {
    // At the character after ` or after the } that closes a ${.
    while (i < n) {
      const c = src[i];
      if (c === "\\") {
        i += 2;
        continue;
      }
      if (c === "\n") line++;
      if (c === "`") {
        i++;
        out.push({ t: "`tpl`", kind: "str", line });
        return;
      }
      if (c === "$" && src[i + 1] === "{") {
        i += 2;
        templates.push(depth);
        depth++;
        out.push({ t: "(", kind: "punct", line });
        return;
      }
      i++;
    }
  };
  while (i < n) {
    const c = src[i] as string;
    if (c === "\n") {
      line++;
      i++;
      continue;
    }
    if (c === " " || c === "\t" || c === "\r") {
      i++;
      continue;
    }
    if (c === "/" && src[i + 1] === "/") {
      while (i < n && src[i] !== "\n") i++;
      continue;
    }
    if (c === "/" && src[i + 1] === "*") {
      const end = src.indexOf("*/", i + 2);
      const stop = end < 0 ? n : end + 2;
      for (let k = i; k < stop; k++) if (src[k] === "\n") line++;
      i = stop;
      continue;
    }
    if (c === '"' || c === "'") {
      const l = line;
      const { value } = readString(c);
      out.push({ t: value, kind: "str", line: l });
      continue;
    }
    if (c === "`") {
      i++;
      readTemplate();
      continue;
    }
    if (c === "/") {
      const p = prev();
      if (!p || (p.kind === "punct" && REGEX_AFTER.has(p.t)) || (p.kind === "id" && REGEX_AFTER.has(p.t))) {
        i++;
        let inClass = false;
        while (i < n) {
          const d = src[i];
          if (d === "\\") {
            i += 2;
            continue;
          }
          if (d === "\n") break;
          if (d === "[") inClass = true;
          else if (d === "]") inClass = false;
          else if (d === "/" && !inClass) break;
          i++;
        }
        i++;
        while (i < n && ID_PART.test(src[i] as string)) i++;
        out.push({ t: "/re/", kind: "str", line });
        continue;
      }
    }
    if (ID_START.test(c)) {
      const start = i;
      while (i < n && ID_PART.test(src[i] as string)) i++;
      out.push({ t: src.slice(start, i), kind: "id", line });
      continue;
    }
    if (/[0-9]/.test(c)) {
      const start = i;
      while (i < n && /[0-9A-Za-z_.]/.test(src[i] as string)) i++;
      out.push({ t: src.slice(start, i), kind: "num", line });
      continue;
    }
    if (c === "{") depth++;
    if (c === "}") {
      depth--;
      if (templates.length && templates[templates.length - 1] === depth) {
        templates.pop();
        i++;
        out.push({ t: ")", kind: "punct", line });
        readTemplate();
        continue;
      }
    }
    const three = src.slice(i, i + 3);
    const two = src.slice(i, i + 2);
    const op = ["...", "===", "!=="].includes(three) ? three : ["=>", "&&", "||", "??", "?.", "==", "!="].includes(two) ? two : c;
    i += op.length;
    out.push({ t: op, kind: "punct", line });
  }
  return out;
}

// ---------------------------------------------------------------- imports and exports

export interface ImportRef {
  spec: string;
  line: number;
  /** Names taken from the module; null when the whole module is taken (namespace, side effect, unknown use). */
  names: string[] | null;
}

const isSeq = (toks: Token[], i: number, seq: readonly string[]) => seq.every((s, k) => toks[i + k]?.t === s && toks[i + k]?.kind !== "str");

/** Names between `{` at `i` and its `}`: `a`, `type b`, `c as d` (the imported/exported name is the first). */
function braceNames(toks: Token[], i: number): { names: string[]; end: number } {
  const names: string[] = [];
  let k = i + 1;
  let expectName = true;
  while (k < toks.length && toks[k]?.t !== "}") {
    const tk = toks[k] as Token;
    if (tk.t === ",") expectName = true;
    else if (expectName && tk.kind === "id" && tk.t === "type" && toks[k + 1]?.kind === "id" && toks[k + 1]?.t !== "as") {
      // `type X`: the name follows.
    } else if (expectName && (tk.kind === "id" || tk.kind === "str")) {
      names.push(tk.t);
      expectName = false;
    }
    k++;
  }
  return { names, end: k };
}

export function importsOf(toks: Token[]): ImportRef[] {
  const out: ImportRef[] = [];
  for (let i = 0; i < toks.length; i++) {
    const tk = toks[i] as Token;
    if (tk.kind !== "id") continue;
    // Property access (`x.import`) is not an import.
    if (toks[i - 1]?.t === ".") continue;
    if ((tk.t === "import" || tk.t === "require") && toks[i + 1]?.t === "(" && toks[i + 2]?.kind === "str" && toks[i + 3]?.t === ")") {
      // import("x").name / (await import("x")).name / const { a } = await import("x")
      let names: string[] | null = null;
      const after = toks[i + 4]?.t === ")" ? i + 5 : i + 4;
      if (toks[after]?.t === "." && toks[after + 1]?.kind === "id") names = [(toks[after + 1] as Token).t];
      // import("x").then((m) => m.name)
      if (names?.[0] === "then" && toks[after + 2]?.t === "(") {
        const param = toks[after + 3]?.t === "(" ? toks[after + 4] : toks[after + 3];
        const k = toks.findIndex((t, j) => j > after + 3 && t.t === param?.t && toks[j + 1]?.t === ".");
        names = k > 0 && toks[k + 2]?.kind === "id" ? [(toks[k + 2] as Token).t] : null;
      }
      const back = toks[i - 1]?.t === "await" ? i - 2 : i - 1;
      if (toks[back]?.t === "=" && toks[back - 1]?.t === "}") {
        let k = back - 1;
        while (k > 0 && toks[k]?.t !== "{") k--;
        names = braceNames(toks, k).names;
      }
      if (tk.t === "require" && toks[i + 4]?.t === "as") names = null;
      out.push({ spec: (toks[i + 2] as Token).t, line: tk.line, names });
      continue;
    }
    if ((tk.t === "import" || tk.t === "export") && (i === 0 || [";", "}", ")", "`tpl`"].includes(toks[i - 1]?.t ?? "") || toks[i - 1]?.kind === "str" || toks[i - 1]?.kind === "id" || toks[i - 1]?.kind === "num")) {
      // Static: find `from "x"` (or `import "x"`) before the statement ends.
      if (tk.t === "import" && toks[i + 1]?.kind === "str") {
        out.push({ spec: (toks[i + 1] as Token).t, line: tk.line, names: null });
        continue;
      }
      let k = i + 1;
      let names: string[] | null = [];
      let sawFrom = false;
      while (k < toks.length && k < i + 400) {
        const t = toks[k] as Token;
        if (t.t === "{" && names) {
          const b = braceNames(toks, k);
          names.push(...b.names);
          k = b.end + 1;
          continue;
        }
        if (t.t === "*") names = null;
        if (t.t === "from" && toks[k + 1]?.kind === "str") {
          sawFrom = true;
          k++;
          break;
        }
        if (t.t === ";" || (t.kind === "id" && ["function", "const", "let", "var", "class", "interface", "type", "enum", "default", "async", "abstract", "declare"].includes(t.t) && tk.t === "export" && k === i + 1)) break;
        if (t.t === "=" || t.t === "(") break;
        k++;
      }
      if (sawFrom) {
        // A default import (`import x from`) takes "default".
        if (tk.t === "import" && toks[i + 1]?.kind === "id" && toks[i + 1]?.t !== "type" && toks[i + 2]?.t !== "as" && names) names.push("default");
        if (tk.t === "import" && toks[i + 1]?.t === "type" && toks[i + 2]?.kind === "id" && toks[i + 3]?.t === "from" && names) names.push("default");
        out.push({ spec: (toks[k] as Token).t, line: tk.line, names });
      }
    }
  }
  return out;
}

/** Names a module exports by declaration (`export function f`, `export const x`, `export { a }`, `export default`). */
export function exportsOf(toks: Token[]): { name: string; line: number }[] {
  const out: { name: string; line: number }[] = [];
  for (let i = 0; i < toks.length; i++) {
    const tk = toks[i] as Token;
    if (tk.t !== "export" || tk.kind !== "id" || toks[i - 1]?.t === ".") continue;
    let k = i + 1;
    while (["async", "declare", "abstract"].includes(toks[k]?.t ?? "")) k++;
    const t = toks[k]?.t;
    if (t === "default") out.push({ name: "default", line: tk.line });
    else if (t && ["function", "class", "interface", "type", "enum", "namespace"].includes(t)) {
      const name = toks[k + 1]?.t === "*" ? toks[k + 2] : toks[k + 1];
      if (name?.kind === "id") out.push({ name: name.t, line: tk.line });
    } else if (t && ["const", "let", "var"].includes(t)) {
      const name = toks[k + 1];
      if (name?.kind === "id") out.push({ name: name.t, line: tk.line });
      else if (name?.t === "{") for (const n of braceNames(toks, k + 1).names) out.push({ name: n, line: tk.line });
    } else if (t === "{") {
      // `export { a, b }` or a re-export `export { a } from "x"`: the names are this module's exports either way.
      for (const n of braceNames(toks, k).names) out.push({ name: n, line: tk.line });
    }
  }
  return out;
}

// ---------------------------------------------------------------- the check

const tsFiles = (dir: string): string[] => {
  try {
    return readdirSync(dir).flatMap((n) => {
      const p = join(dir, n);
      if (n === "node_modules" || n.startsWith(".")) return [];
      return statSync(p).isDirectory() ? tsFiles(p) : /\.(ts|tsx)$/.test(n) && !n.endsWith(".d.ts") ? [p] : [];
    });
  } catch {
    return [];
  }
};

function layerOf(rel: string): string | null {
  if (rel === "src/main.ts") return "main";
  if (rel === "src/version.ts") return "core";
  const m = /^src\/([^/]+)\//.exec(rel);
  return m ? (m[1] as string) : null;
}

function resolveSpec(from: string, spec: string, known: Set<string>): string | null {
  if (!spec.startsWith(".")) return null;
  const base = resolve(dirname(from), spec);
  for (const c of [base, `${base}.ts`, `${base}.tsx`, join(base, "index.ts")]) if (known.has(c)) return c;
  return null;
}

function findSeq(toks: Token[], seq: readonly string[]): Token[] {
  const hits: Token[] = [];
  for (let i = 0; i < toks.length; i++) if (isSeq(toks, i, seq) && toks[i - 1]?.t !== ".") hits.push(toks[i] as Token);
  return hits;
}

export function lintTree(root: string): Problem[] {
  const problems: Problem[] = [];
  const src = tsFiles(join(root, "src"));
  const users = [...src, ...tsFiles(join(root, "test")), ...tsFiles(join(root, "scripts"))];
  const known = new Set(users);
  const rel = (f: string) => relative(root, f);
  const toks = new Map<string, Token[]>();
  for (const f of users) toks.set(f, tokenize(readFileSync(f, "utf8")));
  const edges = new Map<string, string[]>();
  const used = new Map<string, Set<string> | "all">();
  const use = (target: string, names: string[] | null) => {
    const cur = used.get(target);
    if (cur === "all") return;
    if (names === null) return void used.set(target, "all");
    const set = cur ?? new Set<string>();
    for (const n of names) set.add(n);
    used.set(target, set);
  };

  for (const f of users) {
    const r = rel(f);
    const t = toks.get(f) as Token[];
    const inSrc = r.startsWith("src/");
    const layer = inSrc ? layerOf(r) : null;
    const out: string[] = [];
    for (const imp of importsOf(t)) {
      const target = resolveSpec(f, imp.spec, known);
      if (target) use(target, imp.names);
      if (!inSrc) continue;
      if (target) {
        out.push(target);
        const tl = layerOf(rel(target));
        if (layer && tl && !(LAYERS[layer] ?? []).includes(tl))
          problems.push({ file: r, line: imp.line, why: `${layer}/ may not import ${tl}/ (${imp.spec}): allowed are ${(LAYERS[layer] ?? []).join(", ")}` });
        continue;
      }
      if (imp.spec.startsWith(".")) continue;
      if (layer === "core" && !CORE_PACKAGES.has(imp.spec)) problems.push({ file: r, line: imp.line, why: `core/ is pure: it may not import "${imp.spec}" (only ${[...CORE_PACKAGES].join(", ")})` });
      if (SPAWN_MODULES.has(imp.spec) && r !== "src/edges/proc.ts") problems.push({ file: r, line: imp.line, why: `only src/edges/proc.ts starts processes ("${imp.spec}")` });
    }
    edges.set(f, out);
    if (!inSrc) continue;
    if (layer === "core") for (const b of CORE_BANNED) for (const hit of findSeq(t, b.seq)) problems.push({ file: r, line: hit.line, why: b.why });
    if (r !== "src/edges/proc.ts") for (const b of SPAWN) for (const hit of findSeq(t, b.seq)) problems.push({ file: r, line: hit.line, why: b.why });
    if (layer === "hook") for (const b of HOOK_PRINT) for (const hit of findSeq(t, b.seq)) problems.push({ file: r, line: hit.line, why: b.why });
    for (let i = 0; i < t.length; i++) {
      if (t[i]?.t === "permissionDecision" && t[i + 1]?.t === ":" && t[i + 2]?.kind === "str" && t[i + 2]?.t === "allow")
        problems.push({ file: r, line: (t[i] as Token).line, why: 'never return permissionDecision "allow": it skips the user\'s own permission rules' });
    }
  }

  // Circles among src/ files.
  const state = new Map<string, 1 | 2>();
  const stack: string[] = [];
  const reported = new Set<string>();
  const visit = (f: string) => {
    state.set(f, 1);
    stack.push(f);
    for (const g of edges.get(f) ?? []) {
      if (state.get(g) === 1) {
        const cycle = [...stack.slice(stack.indexOf(g)), g].map(rel);
        const key = [...cycle].sort().join(" ");
        if (!reported.has(key)) {
          reported.add(key);
          problems.push({ file: rel(g), line: 1, why: `import circle: ${cycle.join(" → ")}` });
        }
      } else if (!state.has(g)) visit(g);
    }
    stack.pop();
    state.set(f, 2);
  };
  for (const f of src) if (!state.has(f)) visit(f);

  // Exports that nothing uses: no other file imports them and their own file never mentions them
  // again (an export used in its own file is live code, only exported more widely than needed).
  for (const f of src) {
    const u = used.get(f);
    if (u === "all" || rel(f) === "src/main.ts") continue;
    const own = toks.get(f) as Token[];
    for (const e of exportsOf(own)) {
      if (u?.has(e.name)) continue;
      if (own.filter((t) => t.kind === "id" && t.t === e.name).length > 1) continue;
      problems.push({ file: rel(f), line: e.line, why: `export "${e.name}" is imported by nothing: remove it (or stop exporting it)` });
    }
  }
  return problems.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}

if (import.meta.main) {
  const root = resolve(process.argv[2] ?? join(import.meta.dir, ".."));
  const problems = lintTree(root);
  for (const p of problems) console.error(`${p.file}:${p.line}: ${p.why}`);
  if (problems.length) {
    console.error(`lint: ${problems.length} problem(s)`);
    process.exit(1);
  }
  console.log("lint: ok");
}
