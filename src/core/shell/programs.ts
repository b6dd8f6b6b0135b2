// The one table of programs coord knows: how each spells its options, which of its arguments it
// writes or removes, which command it runs (wrappers), which code it runs that coord cannot read
// (interpreters). The set of writers and the set of wrappers are derived from it. A row's columns
// say the common cases; `handle` says what the columns cannot.
import { posix } from "node:path";
import type { Word } from "./lex";
import { type Emit, word } from "./types";

/** How a program spells its options. */
export interface Opts {
  /** Short options that take a value: the rest of their cluster, or the next word. */
  short?: string;
  /** Short options whose value can only be attached (sed -i[SUFFIX], xargs -i[R]). */
  attached?: string;
  /** Long options that take a value: `--opt=v` or `--opt v`. */
  long?: string[];
  /** Options end at the first operand: a wrapper's command has options of its own. */
  stop?: boolean;
  /** `-NUM` is an option (nice -5). */
  numeric?: boolean;
  /** Long spellings of short options, so a row tests one name. */
  alias?: Record<string, string>;
}

export interface Parsed {
  flags: Set<string>;
  values: Map<string, Word[]>;
  operands: Word[];
}

type Which = "all" | "rest" | "last" | "dest";

export interface Program {
  opts?: Opts;
  /** Operands it writes or removes: all, all but the first (a script, a mode), the last, a copy's destination. */
  writes?: Which;
  /** Options whose value it writes (sort -o, curl -o). */
  writesOpt?: string[];
  /** Writes only with one of these options; never with these. */
  when?: string[];
  unless?: string[];
  /** Runs the command that follows its options and `skip` operands. */
  runs?: { skip?: number };
  /** Runs code coord does not read: in an option's value (python -c), or from a script file operand. */
  code?: { inline?: string[]; file?: boolean };
  /** What the columns cannot say. */
  handle?: (p: Parsed, e: Emit, name: string, raw: Word[]) => void;
  /** For rows with a handler: what it does, for the derived sets. */
  is?: ("writer" | "wrapper")[];
}

const COPY: Opts = { short: "tS", long: ["--target-directory", "--suffix"], alias: { "--target-directory": "-t", "--no-target-directory": "-T", "--force": "-f" } };

/** Splits arguments into options and operands; `--` ends options. */
export function parse(args: readonly Word[], o: Opts = {}): Parsed & { end: number } {
  const operands: Word[] = [];
  const flags = new Set<string>();
  const values = new Map<string, Word[]>();
  const put = (k: string, v: Word) => {
    const key = o.alias?.[k] ?? k;
    flags.add(key);
    values.set(key, [...(values.get(key) ?? []), v]);
  };
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i] as Word;
    const v = a.v;
    if (a.dyn && !v.startsWith("-")) {
      if (o.stop) break;
      operands.push(a);
      continue;
    }
    if (v === "--") {
      i++;
      if (!o.stop) operands.push(...args.slice(i));
      else return { operands, flags, values, end: i };
      i = args.length;
      break;
    }
    if (v.startsWith("--") && v.length > 2) {
      const eq = v.indexOf("=");
      const name = eq < 0 ? v : v.slice(0, eq);
      if (eq >= 0) put(name, word(v.slice(eq + 1)));
      else if (o.long?.includes(name) && i + 1 < args.length) put(name, args[++i] as Word);
      else flags.add(o.alias?.[name] ?? name);
      continue;
    }
    if (v.startsWith("-") && v.length > 1) {
      if (o.numeric && /^-\d+$/.test(v)) {
        flags.add(v);
        continue;
      }
      for (let k = 1; k < v.length; k++) {
        const ch = v[k] as string;
        const rest = v.slice(k + 1);
        if (o.short?.includes(ch)) {
          if (rest) put(`-${ch}`, word(rest));
          else if (i + 1 < args.length) put(`-${ch}`, args[++i] as Word);
          else flags.add(`-${ch}`);
          break;
        }
        if (o.attached?.includes(ch)) {
          if (rest) put(`-${ch}`, word(rest));
          else flags.add(`-${ch}`);
          break;
        }
        flags.add(`-${ch}`);
      }
      continue;
    }
    if (o.stop) break;
    operands.push(a);
  }
  return { operands, flags, values, end: i };
}

const has = (p: Parsed, names: readonly string[]) => names.some((n) => p.flags.has(n));
const val = (p: Parsed, ...names: string[]) => names.flatMap((n) => p.values.get(n) ?? []);
export { patchSource };
export const base = (v: string) => v.slice(v.lastIndexOf("/") + 1);

function copyLike(via: string, alsoSources: boolean) {
  return (p: Parsed, e: Emit) => {
    const targetDir = val(p, "-t")[0];
    const noDir = p.flags.has("-T");
    let srcs = p.operands;
    let dest: Word | undefined = targetDir;
    if (!dest) {
      dest = p.operands[p.operands.length - 1];
      srcs = p.operands.slice(0, -1);
    }
    if (!dest || (srcs.length === 0 && !targetDir)) return;
    const fixed = srcs.filter((s) => !s.dyn && !s.glob);
    if (fixed.length < srcs.length && !noDir) e.unknown(`${via} into ${dest.text}: some source names depend on an expansion`);
    e.write(dest, via, noDir ? {} : { into: fixed.map((s) => posix.basename(s.v.replace(/\/+$/, ""))) });
    if (alsoSources) for (const s of srcs) e.write(s, `${via} (source)`);
  };
}

/** sed -i and perl -i write their file operands; without -e/-f the first operand is the script. */
function inPlace(via: string, scriptOpts: string[], inPlaceOpts: string[]) {
  return (p: Parsed, e: Emit) => {
    if (!has(p, inPlaceOpts)) return;
    const script = has(p, scriptOpts);
    for (const o of script ? p.operands : p.operands.slice(1)) e.write(o, via);
  };
}

const ARCHIVE_EXT: Record<string, string> = { gzip: ".gz", pigz: ".gz", bzip2: ".bz2", pbzip2: ".bz2", xz: ".xz", lzma: ".lzma", zstd: ".zst", lz4: ".lz4", lzip: ".lz", compress: ".Z" };
const UNPACK: Record<string, string> = { gunzip: "gzip", bunzip2: "bzip2", unxz: "xz", unlzma: "lzma", unzstd: "zstd", unlz4: "lz4", uncompress: "compress" };

/** gzip f replaces f by f.gz; gzip -d f.gz replaces it by f; -c, -t, -l write no file; -k keeps the source. */
function compressor(p: Parsed, e: Emit, name: string): void {
  const prog = UNPACK[name] ?? name;
  const ext = val(p, "-S")[0]?.v ?? ARCHIVE_EXT[prog] ?? ".gz";
  const decompress = !!UNPACK[name] || has(p, ["-d", "--decompress", "--uncompress"]);
  if (has(p, ["-c", "--stdout", "--to-stdout", "-t", "--test", "-l", "--list"])) return;
  const out = val(p, "-o");
  if (out.length) for (const o of out) e.write(o, name);
  const keep = has(p, ["-k", "--keep"]) || (prog === "zstd" && !has(p, ["--rm"])) || (prog === "lz4" && !has(p, ["--rm"]));
  for (const f of p.operands) {
    if (f.v === "-") continue;
    if (!out.length) e.write({ ...f, v: decompress ? (f.v.endsWith(ext) ? f.v.slice(0, -ext.length) : `${f.v}.out`) : f.v + ext }, name);
    if (!keep) e.write(f, `${name} (source)`);
  }
}

/** tar: -c/-r/-u write the archive (and --remove-files its members); -x writes what the archive holds. */
function tar(p: Parsed, e: Emit, _name: string, raw: Word[]): void {
  // Old style: `tar xzf a.tgz` is `tar -x -z -f a.tgz`.
  const first = raw[0];
  if (first && !first.v.startsWith("-") && /^[A-Za-z]+$/.test(first.v)) {
    const letters = first.v.split("");
    const rest = raw.slice(1);
    const words: Word[] = [];
    let k = 0;
    for (const l of letters) {
      words.push(word(`-${l}`));
      if ("fCTXgIbNKLV".includes(l) && rest[k]) words.push(rest[k++] as Word);
    }
    return tar(parse([...words, ...rest.slice(k)], TAR), e, _name, []);
  }
  const dir = val(p, "-C", "--directory")[0];
  const archive = val(p, "-f", "--file")[0];
  if (has(p, ["-x", "--extract", "--get"])) {
    if (has(p, ["-O", "--to-stdout"])) return;
    e.unknown(`tar -x${dir ? ` into ${dir.text}` : ""}: the files it writes come from the archive ${archive?.text ?? ""}`.trim());
    return;
  }
  if (has(p, ["-c", "--create", "-r", "--append", "-u", "--update", "-A", "--catenate", "--concatenate", "--delete"])) {
    if (archive && archive.v !== "-") e.write(archive, "tar -f");
    if (has(p, ["--remove-files"])) for (const o of p.operands) e.write(o, "tar --remove-files");
  }
}
const TAR: Opts = { short: "fCTXgIbNKLV", long: ["--file", "--directory", "--files-from", "--exclude-from", "--listed-incremental", "--use-compress-program", "--exclude", "--transform", "--xform", "--strip-components", "--owner", "--group", "--mode", "--mtime", "--newer", "--blocking-factor", "--label", "--format", "-H"] };

function rsync(p: Parsed, e: Emit): void {
  const ops = p.operands.filter((o) => !/^[^/]*:/.test(o.v) || o.v.startsWith("/"));
  if (p.operands.length < 2) return;
  const dest = p.operands[p.operands.length - 1] as Word;
  if (!ops.includes(dest)) return; // a remote destination
  const srcs = p.operands.slice(0, -1);
  const names = srcs.filter((s) => !s.dyn && !s.glob && !s.v.endsWith("/")).map((s) => posix.basename(s.v));
  const contents = srcs.some((s) => s.v.endsWith("/") || s.glob || s.dyn);
  const deletes = [...p.flags].some((f) => f.startsWith("--delete") || f === "--remove-source-files");
  // src/ copies the folder's contents (names coord does not list): the destination as a whole.
  e.write(dest, deletes ? "rsync --delete" : "rsync", contents || deletes ? {} : { into: names });
  if (p.flags.has("--remove-source-files")) for (const s of srcs) e.write(s, "rsync --remove-source-files");
}

/** awk -i inplace writes its file operands; a program with `print > f` or system() writes what coord cannot see. */
function awk(p: Parsed, e: Emit, name: string): void {
  const includes = val(p, "-i", "--include").map((w) => w.v);
  const progFile = val(p, "-f", "--file").length > 0;
  const program = progFile ? null : p.operands[0];
  const files = progFile ? p.operands : p.operands.slice(1);
  if (includes.some((x) => x === "inplace" || x === "inplace.awk")) for (const f of files) e.write(f, `${name} -i inplace`);
  if (progFile) e.unknown(`${name} -f: the program is read from a file`);
  else if (program && /\b(print|printf)\b[^;}]*>|system\s*\(|\|\s*"|"\s*\|/.test(program.v)) e.unknown(`${name}: the program writes files or runs commands (${program.text.slice(0, 60)})`);
}

function dd(_p: Parsed, e: Emit, _n: string, raw: Word[]): void {
  for (const a of raw) if (a.v.startsWith("of=")) e.write({ ...a, v: a.v.slice(3) }, "dd of=");
}

function curl(p: Parsed, e: Emit): void {
  for (const o of val(p, "-o", "--output")) if (o.v !== "-") e.write(o, "curl -o");
  if (has(p, ["-O", "--remote-name"]))
    for (const u of p.operands) {
      const m = /^[a-z]+:\/\/[^/]+\/(?:.*\/)?([^/?#]+)/.exec(u.v);
      if (m?.[1] && !u.dyn) e.write(word(decodeURIComponent(m[1])), "curl -O");
    }
}

const XARGS: Opts = { short: "adEILnPsR", attached: "eil", long: ["--arg-file", "--delimiter", "--eof", "--replace", "--max-lines", "--max-args", "--max-procs", "--max-chars", "--process-slot-var"], stop: true };

function xargs(_p: Parsed, e: Emit, name: string, raw: Word[]): void {
  const p = parse(raw, XARGS);
  const repl = val(p, "-I", "--replace", "-i")[0]?.v ?? (p.flags.has("-i") ? "{}" : null);
  let cmd = raw.slice(p.end);
  if (repl) cmd = cmd.map((w) => (w.v.includes(repl) ? { ...w, dyn: true } : w));
  e.run(cmd.length ? cmd : [word("echo")], { ...e.ctx, fromInput: `${name} ${cmd[0]?.text ?? "echo"}` });
}

function find(_p: Parsed, e: Emit, _n: string, raw: Word[]): void {
  for (let k = 0; k < raw.length; k++) {
    const a = (raw[k] as Word).v;
    if (a === "-delete") e.unknown("find -delete: the files it removes come from the search");
    if (a === "-fprint" || a === "-fprint0" || a === "-fprintf" || a === "-fls") {
      const f = raw[k + 1];
      if (f) e.write(f, `find ${a}`);
    }
    if (a === "-exec" || a === "-execdir" || a === "-ok" || a === "-okdir") {
      let j = k + 1;
      while (j < raw.length && (raw[j] as Word).v !== ";" && (raw[j] as Word).v !== "+") j++;
      const cmd = raw.slice(k + 1, j).map((w) => (w.v.includes("{}") ? { ...w, dyn: true } : w));
      // -execdir runs in each found file's folder.
      if (cmd.length) e.run(cmd, { ...e.ctx, fromInput: `find ${a} ${cmd[0]?.text}`, cwd: a.endsWith("dir") ? null : e.ctx.cwd });
      k = j;
    }
  }
}

/** bash/sh option parsing: `-c` takes the first operand as the script, wherever the options put it. */
const SHELL_OPTS: Opts = { short: "oO", long: ["--rcfile", "--init-file"], stop: true };
function shell(_p: Parsed, e: Emit, name: string, raw: Word[]): void {
  const p = parse(
    raw.map((w) => (w.v.startsWith("+") && w.v.length > 1 ? { ...w, v: `-${w.v.slice(1)}` } : w)),
    SHELL_OPTS,
  );
  const rest = raw.slice(p.end);
  if (p.flags.has("-c")) {
    const src = rest[0];
    if (src) e.script(src, `${name} -c`);
    return;
  }
  if (p.flags.has("-s") || !rest[0] || rest[0].v === "-") return; // commands from stdin: a here-document or a pipe
  e.unknown(`${name} ${rest[0].text}: the script is read from a file coord does not read`);
}

function env(_p: Parsed, e: Emit, _n: string, raw: Word[]): void {
  let cwd = e.ctx.cwd;
  let k = 0;
  for (; k < raw.length; k++) {
    const w = raw[k] as Word;
    if (w.assign) continue;
    if (w.v === "--") {
      k++;
      break;
    }
    if (!w.v.startsWith("-") || w.v === "-") break;
    if (w.v === "-u" || w.v === "--unset" || w.v === "-a" || w.v === "--argv0") k++;
    else if (w.v === "-C" || w.v === "--chdir") cwd = joinCwd(cwd, raw[++k]);
    else if (w.v.startsWith("--chdir=")) cwd = joinCwd(cwd, { ...w, v: w.v.slice(8) });
    else if (w.v === "-S" || w.v === "--split-string" || w.v.startsWith("-S") || w.v.startsWith("--split-string=")) {
      const s = w.v === "-S" || w.v === "--split-string" ? raw[++k] : { ...w, v: w.v.replace(/^(-S|--split-string=)/, "") };
      if (s) e.script({ ...s, v: [s.v, ...raw.slice(k + 1).map((x) => x.text)].join(" ") }, "env -S", { ...e.ctx, cwd });
      return;
    }
  }
  e.run(raw.slice(k), { ...e.ctx, cwd });
}

export function joinCwd(cwd: string | null, dir: Word | undefined): string | null {
  if (!dir || cwd === null || dir.dyn || dir.glob || dir.v === "-") return null;
  return posix.isAbsolute(dir.v) ? posix.normalize(dir.v) : posix.normalize(posix.join(cwd, dir.v));
}

function flock(_p: Parsed, e: Emit, _n: string, raw: Word[]): void {
  const p = parse(raw, { short: "wEc", long: ["--timeout", "--conflict-exit-code", "--command"], stop: true });
  const c = val(p, "-c", "--command")[0];
  const rest = raw.slice(p.end + 1); // the lock file or descriptor
  const c2 = rest[0]?.v === "-c" || rest[0]?.v === "--command" ? rest[1] : undefined;
  if (c ?? c2) return e.script((c ?? c2) as Word, "flock -c");
  if (rest.length) e.run(rest);
}

function su(_p: Parsed, e: Emit, name: string, raw: Word[]): void {
  const p = parse(raw, { short: "csgGwu", long: ["--command", "--shell", "--group", "--supp-group", "--whitelist-environment", "--user"] });
  const c = val(p, "-c", "--command")[0];
  if (c) return e.script(c, `${name} -c`);
  const dd = raw.findIndex((w) => w.v === "--");
  if (name === "runuser" && val(p, "-u", "--user").length && dd >= 0) e.run(raw.slice(dd + 1));
}

function script(_p: Parsed, e: Emit, _n: string, raw: Word[]): void {
  const p = parse(raw, { short: "cEmOIBT", attached: "t", long: ["--command", "--echo", "--logging-format", "--log-out", "--log-in", "--log-io", "--log-timing", "--output-limit"] });
  const c = val(p, "-c", "--command")[0];
  if (c) e.script(c, "script -c");
}

function watch(_p: Parsed, e: Emit, _n: string, raw: Word[]): void {
  const p = parse(raw, { short: "nq", attached: "d", long: ["--interval", "--equexit"], stop: true });
  const rest = raw.slice(p.end);
  if (!rest.length) return;
  if (p.flags.has("-x") || p.flags.has("--exec")) return e.run(rest);
  e.script({ ...(rest[0] as Word), v: rest.map((w) => w.v).join(" "), dyn: rest.some((w) => w.dyn) }, "watch");
}

function command(_p: Parsed, e: Emit, _n: string, raw: Word[]): void {
  const p = parse(raw, { stop: true });
  if (p.flags.has("-v") || p.flags.has("-V")) return; // a lookup, nothing runs
  e.run(raw.slice(p.end));
}

function evalCmd(_p: Parsed, e: Emit, _n: string, raw: Word[]): void {
  if (!raw.length) return;
  e.script({ v: raw.map((w) => w.v).join(" "), dyn: raw.some((w) => w.dyn), glob: false, assign: false, text: raw.map((w) => w.text).join(" ") }, "eval");
}

function source(p: Parsed, e: Emit, name: string): void {
  const f = p.operands[0];
  if (f) e.unknown(`${name} ${f.text}: the script is read from a file coord does not read`);
}

function perl(p: Parsed, e: Emit): void {
  if (has(p, ["-i"])) return inPlace("perl -i", ["-e", "-E"], ["-i"])(p, e);
  if (has(p, ["-e", "-E"]) && !has(p, ["-n", "-p"])) e.unknown("perl -e: the code is not read");
  else if (!has(p, ["-e", "-E"]) && p.operands[0]) e.unknown(`perl ${p.operands[0].text}: the script is read from a file coord does not read`);
}

/** The patch a command reads: a file operand or option, else its standard input. */
function patchSource(e: Emit, file: Word | undefined, strip: number | null, via: string, cwd?: string | null): void {
  const src = file ? { path: file } : e.stdin;
  const at = cwd !== undefined ? { cwd } : {};
  if (src && "text" in src) return e.patch({ text: src.text, path: null, strip, via, ...at });
  if (src && !src.path.dyn) return e.patch({ text: null, path: src.path.v, strip, via, ...at });
  e.unknown(`${via}: the files it changes are named inside the patch`);
}

function patch(p: Parsed, e: Emit): void {
  for (const o of val(p, "-o", "--output")) if (o.v !== "-") e.write(o, "patch -o");
  if (val(p, "-o", "--output").length) return;
  if (has(p, ["--dry-run", "-C", "--check"])) return;
  if (p.operands[0]) return e.write(p.operands[0], "patch");
  const strip = val(p, "-p", "--strip")[0];
  const dir = val(p, "-d", "--directory")[0];
  patchSource(e, val(p, "-i", "--input")[0] ?? p.operands[1], strip && /^\d+$/.test(strip.v) ? Number(strip.v) : null, "patch", dir ? joinCwd(e.ctx.cwd, dir) : undefined);
}

function ownerMode(p: Parsed, e: Emit, name: string): void {
  for (const o of val(p, "--reference").length ? p.operands : p.operands.slice(1)) e.write(o, name);
}

function unzip(p: Parsed, e: Emit): void {
  if (has(p, ["-l", "-t", "-v", "-p", "-Z", "-z"])) return;
  const dir = val(p, "-d")[0];
  e.unknown(`unzip${p.flags.has("-o") ? " -o" : ""}${dir ? ` -d ${dir.text}` : ""}: the files it writes come from the archive ${p.operands[0]?.text ?? ""}`.trim());
}

function zip(p: Parsed, e: Emit): void {
  const [archive, ...files] = p.operands;
  if (!archive) return;
  e.write(archive, "zip");
  if (has(p, ["-m", "--move"])) for (const f of files) e.write(f, "zip -m");
}

function uniq(p: Parsed, e: Emit): void {
  const out = p.operands[1];
  if (out) e.write(out, "uniq");
}

function formatter(flagsNeeded: string[] | null, unless: string[], sub?: string[]) {
  return (p: Parsed, e: Emit, name: string) => {
    let ops = p.operands;
    if (sub) {
      if (!ops[0] || !sub.includes(ops[0].v)) return;
      ops = ops.slice(1);
    }
    if (flagsNeeded && !has(p, flagsNeeded)) return;
    if (has(p, unless)) return;
    // A formatter over a folder rewrites only files that are not formatted yet: judged like git restore (what is changed there).
    for (const o of ops.length ? ops : [word(".")]) e.write(o, `${name}${flagsNeeded ? ` ${flagsNeeded[0]}` : ""}`, { scope: "changed" });
  };
}

/** An interpreter: inline code (python -c) and, with `file`, a script file operand are named, not read. */
function interpreter(inline: string[], file: boolean, sub?: string) {
  return (_p: Parsed, e: Emit, name: string, raw: Word[]) => {
    const p = parse(raw, (program(name) as { row: Program }).row.opts);
    const first = raw[p.end];
    if (sub && first?.v === sub) return e.unknown(`${name} ${sub}: the code is not read`);
    const opt = inline.find((o) => p.flags.has(o));
    if (opt) return e.unknown(`${name} ${opt}: the code is not read`);
    if (p.flags.has("-m") || !file || !first || first.v === "-") return;
    e.unknown(`${name} ${first.text}: the script is read from a file coord does not read`);
  };
}

function vim(p: Parsed, e: Emit, name: string): void {
  if (has(p, ["-R", "--version", "-h", "--help"]) || name === "view") return;
  for (const o of p.operands) if (!o.v.startsWith("+")) e.write(o, name);
}

function parallel(_p: Parsed, e: Emit, name: string, raw: Word[]): void {
  const p = parse(raw, { short: "jSIN", long: ["--jobs", "--sshlogin", "--replace", "--max-args", "--delay", "--timeout", "--joblog", "--results"], stop: true });
  const sep = raw.findIndex((w) => w.v === ":::" || w.v === "::::");
  const cmd = raw.slice(p.end, sep < 0 ? raw.length : sep);
  if (cmd.length) e.run(cmd, { ...e.ctx, fromInput: `${name} ${cmd[0]?.text}` });
}

export const PROGRAMS: Record<string, Program> = {
  // Files removed or written in place.
  rm: { writes: "all", opts: { alias: { "--recursive": "-r" } } },
  unlink: { writes: "all" },
  shred: { writes: "all", opts: { short: "ns", long: ["--iterations", "--size", "--random-source"] } },
  touch: { writes: "all", opts: { short: "dtr", long: ["--date", "--reference", "--time"] } },
  truncate: { writes: "all", opts: { short: "sr", long: ["--size", "--reference"] } },
  fallocate: { writes: "all", opts: { short: "lo", long: ["--length", "--offset"] } },
  tee: { writes: "all" },
  sponge: { writes: "all" },
  dos2unix: { writes: "all" },
  unix2dos: { writes: "all" },
  chmod: { handle: ownerMode, is: ["writer"], opts: { long: ["--reference"] } },
  chown: { handle: ownerMode, is: ["writer"], opts: { long: ["--reference", "--from"] } },
  chgrp: { handle: ownerMode, is: ["writer"], opts: { long: ["--reference"] } },
  cp: { handle: copyLike("cp", false), is: ["writer"], opts: COPY },
  mv: { handle: copyLike("mv", true), is: ["writer"], opts: COPY },
  ln: { handle: copyLike("ln", false), is: ["writer"], opts: COPY },
  link: { writes: "last" },
  install: { handle: copyLike("install", false), is: ["writer"], opts: { ...COPY, short: "tSgmo", long: [...(COPY.long ?? []), "--group", "--mode", "--owner"] } },
  rsync: { handle: rsync, is: ["writer"], opts: { short: "eBfMT@", long: ["--rsh", "--exclude", "--include", "--filter", "--exclude-from", "--include-from", "--files-from", "--backup-dir", "--suffix", "--chmod", "--log-file", "--temp-dir", "--partial-dir", "--compare-dest", "--copy-dest", "--link-dest", "--password-file", "--port", "--timeout", "--bwlimit", "--block-size", "--remote-option", "--info", "--debug", "--out-format", "--max-size", "--min-size", "--max-delete", "--modify-window", "--iconv", "--chown", "--usermap", "--groupmap"] } },
  dd: { handle: dd, is: ["writer"] },
  sed: { handle: inPlace("sed -i", ["-e", "-f", "--expression", "--file"], ["-i", "--in-place"]), is: ["writer"], opts: { short: "efl", attached: "i", long: ["--expression", "--file", "--line-length"] } },
  perl: { handle: perl, is: ["writer"], opts: { short: "eE", attached: "iIMmxdDC0l" } },
  awk: { handle: awk, is: ["writer"], opts: { short: "fvFiElW", long: ["--file", "--assign", "--field-separator", "--include", "--load", "--exec"] } },
  sort: { writesOpt: ["-o", "--output"], opts: { short: "okStT", long: ["--output", "--key", "--buffer-size", "--field-separator", "--temporary-directory", "--parallel", "--batch-size", "--compress-program", "--files0-from", "--random-source", "--sort"] } },
  uniq: { handle: uniq, is: ["writer"], opts: { short: "fsw", long: ["--skip-fields", "--skip-chars", "--check-chars", "--all-repeated", "--group"] } },
  iconv: { writesOpt: ["-o", "--output"], opts: { short: "fto", long: ["--from-code", "--to-code", "--output"] } },
  split: { handle: (p, e) => p.operands[1] && e.unknown(`split: writes files named ${p.operands[1].text}…`), is: ["writer"], opts: { short: "abClnt", long: ["--suffix-length", "--additional-suffix", "--bytes", "--line-bytes", "--lines", "--number", "--separator", "--filter"] } },
  gzip: { handle: compressor, is: ["writer"], opts: { short: "S", long: ["--suffix"] } },
  curl: { handle: curl, is: ["writer"], opts: { short: "oHdXuAeErFTwxKbcCmyYz", long: ["--output", "--header", "--data", "--data-raw", "--data-binary", "--request", "--user", "--url", "--config", "--user-agent", "--referer", "--form", "--upload-file", "--write-out", "--proxy", "--cookie", "--cookie-jar", "--max-time", "--connect-timeout", "--retry", "--output-dir"] } },
  wget: { writesOpt: ["-O", "--output-document", "-o", "--output-file", "-a", "--append-output"], opts: { short: "OoaPeUtTwQ", long: ["--output-document", "--output-file", "--append-output", "--directory-prefix", "--tries", "--timeout", "--user-agent", "--header"] } },
  patch: { handle: patch, is: ["writer"], opts: { short: "BdDFioprVYzg", long: ["--input", "--output", "--strip", "--directory", "--reject-file", "--fuzz", "--prefix", "--suffix", "--basename-prefix", "--ifdef", "--quoting-style", "--version-control", "--get"] } },
  tar: { handle: tar, is: ["writer"], opts: TAR },
  unzip: { handle: unzip, is: ["writer"], opts: { short: "dxP" } },
  zip: { handle: zip, is: ["writer"], opts: { short: "bnPOZst", long: ["--temp-path", "--suffixes", "--password", "--output-file", "--compression-method"] } },
  ed: { writes: "all", opts: { short: "p", long: ["--prompt"] } },
  vim: { handle: vim, is: ["writer"], opts: { short: "cSuUiTwWtq", long: ["--cmd"] } },
  emacs: { writes: "all", when: ["--batch", "-batch", "--script"], opts: { long: ["--eval", "-l", "--load", "-f", "--funcall", "--script"] } },
  // Formatters rewrite their operands (a folder: the files in it).
  gofmt: { handle: formatter(["-w"], []), is: ["writer"] },
  goimports: { handle: formatter(["-w"], []), is: ["writer"] },
  "clang-format": { handle: formatter(["-i"], []), is: ["writer"], opts: { long: ["--style", "--assume-filename"] } },
  prettier: { handle: formatter(["--write", "-w"], []), is: ["writer"], opts: { long: ["--config", "--ignore-path", "--parser", "--plugin"] } },
  black: { handle: formatter(null, ["--check", "--diff", "--version", "--help"]), is: ["writer"], opts: { short: "lt", long: ["--line-length", "--target-version", "--config", "--include", "--exclude", "--extend-exclude"] } },
  isort: { handle: formatter(null, ["--check", "--check-only", "-c", "--diff", "--version"]), is: ["writer"] },
  rustfmt: { handle: formatter(null, ["--check", "--version"]), is: ["writer"], opts: { long: ["--edition", "--config-path"] } },
  shfmt: { handle: formatter(["-w", "--write"], []), is: ["writer"], opts: { short: "i", long: ["--indent"] } },
  ruff: { handle: formatter(null, ["--check", "--diff"], ["format"]), is: ["writer"], opts: { long: ["--config", "--line-length", "--target-version"] } },
  eslint: { handle: formatter(["--fix"], []), is: ["writer"], opts: { short: "c", long: ["--config", "--ext", "--rule", "--format"] } },
  biome: { handle: formatter(["--write", "--apply"], [], ["format", "check", "lint"]), is: ["writer"] },
  // Commands that run another command.
  sudo: { runs: {}, opts: { short: "CDghpRrTtUu", stop: true } },
  doas: { runs: {}, opts: { short: "uC", stop: true } },
  timeout: { runs: { skip: 1 }, opts: { short: "sk", long: ["--signal", "--kill-after"], stop: true } },
  nice: { runs: {}, opts: { short: "n", long: ["--adjustment"], stop: true, numeric: true } },
  nohup: { runs: {}, opts: { stop: true } },
  setsid: { runs: {}, opts: { stop: true } },
  ionice: { runs: {}, opts: { short: "cnpPu", long: ["--class", "--classdata", "--pid", "--pgid", "--uid"], stop: true } },
  chrt: { runs: { skip: 1 }, opts: { short: "TPD", long: ["--sched-runtime", "--sched-period", "--sched-deadline"], stop: true } },
  taskset: { runs: { skip: 1 }, opts: { stop: true } },
  stdbuf: { runs: {}, opts: { short: "ioe", long: ["--input", "--output", "--error"], stop: true } },
  time: { runs: {}, opts: { short: "fo", long: ["--format", "--output"], stop: true } },
  builtin: { runs: {}, opts: { stop: true } },
  exec: { runs: {}, opts: { short: "a", stop: true } },
  chronic: { runs: {}, opts: { stop: true } },
  unbuffer: { runs: {}, opts: { stop: true } },
  caffeinate: { runs: {}, opts: { short: "tw", stop: true } },
  fakeroot: { runs: {}, opts: { short: "lsi", long: ["--lib", "--faked"], stop: true } },
  strace: { runs: {}, writesOpt: ["-o", "--output"], opts: { short: "oepsSabEIuXP", long: ["--output", "--trace", "--attach", "--string-limit", "--summary-columns", "--env", "--user"], stop: true } },
  ltrace: { runs: {}, writesOpt: ["-o", "--output"], opts: { short: "oeplsuaAnx", long: ["--output"], stop: true } },
  valgrind: { runs: {}, opts: { stop: true } },
  nsenter: { runs: {}, opts: { short: "tSG", long: ["--target"], stop: true } },
  unshare: { runs: {}, opts: { stop: true } },
  prlimit: { runs: {}, opts: { short: "p", long: ["--pid"], stop: true } },
  numactl: { runs: {}, opts: { short: "CNmpiP", stop: true } },
  firejail: { runs: {}, opts: { stop: true } },
  busybox: { runs: {}, opts: { stop: true } },
  npx: { runs: {}, opts: { short: "p", long: ["--package"], stop: true } },
  bunx: { runs: {}, opts: { stop: true } },
  command: { handle: command, is: ["wrapper"] },
  env: { handle: env, is: ["wrapper"] },
  flock: { handle: flock, is: ["wrapper"] },
  script: { handle: script, is: ["wrapper"] },
  watch: { handle: watch, is: ["wrapper"] },
  su: { handle: su, is: ["wrapper"] },
  runuser: { handle: su, is: ["wrapper"] },
  xargs: { handle: xargs, is: ["wrapper"] },
  parallel: { handle: parallel, is: ["wrapper"] },
  find: { handle: find, is: ["wrapper", "writer"] },
  eval: { handle: evalCmd, is: ["wrapper"] },
  bash: { handle: shell, is: ["wrapper"] },
  // Code coord does not read: named to the model.
  source: { handle: source },
  ".": { handle: source },
  python: { handle: interpreter(["-c"], true), opts: { short: "cmWXQ", stop: true } },
  node: { handle: interpreter(["-e", "--eval", "-p", "--print"], true), opts: { short: "epr", long: ["--eval", "--print", "--require", "--import", "--loader"], stop: true } },
  // bun's operands are mostly subcommands (bun test, bun install): only its inline code is named.
  bun: { handle: interpreter(["-e", "--eval", "-p", "--print"], false), opts: { short: "ep", long: ["--eval", "--print", "--cwd", "--preload"], stop: true } },
  deno: { handle: interpreter([], false, "eval"), opts: { stop: true } },
  ruby: { handle: interpreter(["-e"], true), opts: { short: "eIr", stop: true } },
  php: { handle: interpreter(["-r"], true), opts: { short: "rdc", stop: true } },
  lua: { handle: interpreter(["-e"], true), opts: { short: "el", stop: true } },
  Rscript: { handle: interpreter(["-e"], true), opts: { short: "e", stop: true } },
  osascript: { handle: interpreter(["-e"], true), opts: { short: "e", stop: true } },
};

/** Names that run under another row's name (gawk is awk, python3.12 is python). */
const ALIASES: Record<string, string> = {
  gawk: "awk", mawk: "awk", nawk: "awk", busybox_awk: "awk",
  sh: "bash", dash: "bash", zsh: "bash", ksh: "bash", ash: "bash", mksh: "bash",
  ex: "vim", red: "ed", vi: "vim", nvim: "vim",
  gunzip: "gzip", pigz: "gzip", bzip2: "gzip", bunzip2: "gzip", pbzip2: "gzip", xz: "gzip", unxz: "gzip", lzma: "gzip", unlzma: "gzip", zstd: "gzip", unzstd: "gzip", lz4: "gzip", unlz4: "gzip", lzip: "gzip", compress: "gzip", uncompress: "gzip",
  rmdir: "unlink", mac2unix: "dos2unix", nodejs: "node", pypy: "python", pypy3: "python",
  gtar: "tar", bsdtar: "tar", gsed: "sed", pnpx: "npx", sudoedit: "vim",
};

/** The row of a program name (a path's last part; python3.12 is python). */
export function program(name: string): { name: string; row: Program } | null {
  const n = base(name);
  const key = PROGRAMS[n] ? n : ALIASES[n] ?? (/^python[0-9.]*$/.test(n) ? "python" : null);
  const row = key ? PROGRAMS[key] : undefined;
  return row ? { name: n, row } : null;
}

const tags = (r: Program) => new Set([...(r.is ?? []), ...(r.writes || r.writesOpt ? ["writer"] : []), ...(r.runs ? ["wrapper"] : [])]);
const namesWith = (tag: string) => new Set([...Object.keys(PROGRAMS), ...Object.keys(ALIASES)].filter((n) => { const p = program(n); return p && tags(p.row).has(tag); }));

/** Programs that write or remove files they are given. */
export const WRITERS: ReadonlySet<string> = namesWith("writer");
/** Programs that run another command. */
export const WRAPPERS: ReadonlySet<string> = namesWith("wrapper");

/** Applies a program's row to its arguments. Returns false when coord has no row for it. */
export function runProgram(name: string, args: Word[], e: Emit): boolean {
  const found = program(name);
  if (!found) return false;
  const { row } = found;
  const n = found.name;
  if (e.ctx.fromInput && tags(row).has("writer") && row.handle !== find) e.unknown(`${e.ctx.fromInput}: the files it changes come from its input`);
  const p = parse(args, row.opts);
  if (row.handle) {
    row.handle(p, e, n, args);
    return true;
  }
  if (row.when && !has(p, row.when)) return true;
  if (row.unless && has(p, row.unless)) return true;
  for (const o of row.writesOpt ?? []) for (const w of val(p, o)) if (w.v !== "-") e.write(w, `${n} ${o}`);
  const ops = p.operands;
  const pick: Record<Which, Word[]> = { all: ops, rest: ops.slice(1), last: ops.slice(-1), dest: ops.slice(-1) };
  if (row.writes) for (const w of pick[row.writes]) e.write(w, n);
  if (row.runs) {
    const rest = args.slice(p.end + (row.runs.skip ?? 0));
    if (rest.length) e.run(rest);
  }
  return true;
}

