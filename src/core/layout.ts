// The shape of a repository, read from its file list alone: which folders are packages by their
// language's conventions, and which are documentation, tests, examples or scripts. coord init
// proposes one zone per unit; the banner and `coord status` name free work at the same grain.
// Pure: a list of repository paths in, units out. No file is opened, so manifests count by name only.
import { DEFAULT_SETTINGS, type Zone, type ZoneKind } from "./zones";

export interface Unit {
  /** A folder ending in `/`, or a glob for the files directly in a source folder (`src/*.ts`). */
  path: string;
  kind: ZoneKind;
  /** Why this kind: shown as the zone's note. */
  note: string;
  /** How many of the listed files it holds. */
  files: number;
}

/** Folders that are never work: dependencies, build output, caches. */
const SKIP = new Set(["node_modules", "vendor", "dist", "target", "__pycache__", "coverage", "third_party", "bower_components"]);

/** Manifests that make the folder holding them a package of that language. */
const MANIFESTS: Record<string, Lang> = {
  "go.mod": "go",
  "package.json": "js",
  "deno.json": "js",
  "Cargo.toml": "rust",
  "pyproject.toml": "python",
  "setup.py": "python",
};
type Lang = "go" | "js" | "rust" | "python";

/** Source files directly in a source folder are one unit, matched by their extensions. */
const SOURCE_EXT: Record<Lang, RegExp> = {
  go: /\.go$/,
  js: /\.(?:[cm]?[jt]sx?|vue|svelte)$/,
  rust: /\.rs$/,
  python: /\.py$/,
};

/**
 * Top-level folders that are not packages but areas of their own, by name. One unit each, never
 * split: their inner folders are not what sessions claim separately.
 */
const AREAS: readonly { test: RegExp; kind: ZoneKind; note: string }[] = [
  { test: /^(?:docs?|documentation)$/, kind: "owned", note: "documentation" },
  { test: /^(?:examples?|samples?|demos?)$/, kind: "owned", note: "examples" },
  { test: /^(?:tests?|specs?|e2e|acceptance|integration|testdata|fixtures)$|[-_]tests?$/, kind: "owned", note: "tests" },
  { test: /^bench(?:mark)?(?:s|suite)?$/, kind: "owned", note: "benchmarks" },
  { test: /^(?:scripts?|ci|tools?|hack|build|bin|misc)$/, kind: "stable", note: "build and CI scripts: rarely changed" },
];

/** Package names that everything else imports: a change there must be announced in a bead. */
const SHARED_NAMES = /^(?:types|domain|models?|schemas?|shared|proto|protos)$/;

/** Go's conventional parents whose children are the packages: `internal/<pkg>/`, `pkg/<pkg>/`. */
const GO_PARENTS = new Set(["internal", "pkg"]);

interface Tree {
  files: string[];
  dirs: Map<string, Tree>;
  count: number;
}

function tree(paths: readonly string[]): Tree {
  const root: Tree = { files: [], dirs: new Map(), count: 0 };
  for (const p of paths) {
    const parts = p.split("/");
    let t = root;
    t.count++;
    for (const d of parts.slice(0, -1)) {
      let n = t.dirs.get(d);
      if (!n) t.dirs.set(d, (n = { files: [], dirs: new Map(), count: 0 }));
      n.count++;
      t = n;
    }
    t.files.push(parts[parts.length - 1] as string);
  }
  return root;
}

function langOf(t: Tree): Lang | null {
  for (const f of t.files) {
    const l = MANIFESTS[f];
    if (l) return l;
  }
  return null;
}

function hasExt(t: Tree, ext: RegExp): boolean {
  return t.files.some((f) => ext.test(f)) || [...t.dirs.values()].some((d) => hasExt(d, ext));
}

function sorted(t: Tree): [string, Tree][] {
  return [...t.dirs.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function keep(p: string): boolean {
  const parts = p.split("/");
  if (!parts[parts.length - 1]) return false;
  return parts.slice(0, -1).every((d) => d !== "" && !d.startsWith(".") && !SKIP.has(d));
}

/** Is a path in a documentation, tests, examples, benchmarks or scripts area (by its first folder)? */
export function isAreaPath(p: string): boolean {
  return area(p.split("/")[0] ?? "") !== null;
}

function area(name: string): { kind: ZoneKind; note: string } | null {
  const a = AREAS.find((x) => x.test.test(name.toLowerCase()));
  return a ? { kind: a.kind, note: a.note } : null;
}

function hasPackages(t: Tree): boolean {
  return [...t.dirs.values()].some((d) => langOf(d) !== null || hasPackages(d));
}

type AddUnit = (path: string, files: number, kind?: ZoneKind, note?: string) => void;

/** A folder of packages: each package one unit, each other folder one unit, its loose files one. */
function packageUnits(t: Tree, at: string, unit: AddUnit, kindOf: (p: string) => [ZoneKind, string]): void {
  if (langOf(t)) return unit(at, t.count, ...kindOf(at));
  for (const [name, d] of sorted(t)) {
    const p = `${at}${name}/`;
    if (langOf(d) || !hasPackages(d)) unit(p, d.count, ...kindOf(p));
    else packageUnits(d, p, unit, kindOf);
  }
  if (t.files.length) unit(`${at}*`, t.files.length, "owned", "files beside the packages");
}

/**
 * The units of a repository, in path order. A monorepo (packages with their own manifest below the
 * root) gets one unit per package; a single package is split by its language's conventions:
 * Go `internal/<pkg>/`, `pkg/<pkg>/`, `cmd/<bin>/` (stable); `src/<dir>/` for TypeScript,
 * JavaScript and Rust; a Python package's subpackages. Documentation, tests, examples and scripts
 * folders are one unit each, found by name.
 */
export function layoutUnits(allPaths: readonly string[]): Unit[] {
  const paths = allPaths.map((p) => p.replace(/^\.\//, "")).filter(keep);
  const root = tree(paths);
  const out: Unit[] = [];
  const unit = (path: string, files: number, kind: ZoneKind = "owned", note = "") => out.push({ path, kind, note, files });
  const named = (name: string): { kind: ZoneKind; note: string } => (SHARED_NAMES.test(name) ? { kind: "shared", note: "imported by the rest: announce changes in a bead" } : { kind: "owned", note: "" });
  const rootLang = langOf(root);

  for (const [name, d] of sorted(root)) {
    const top = `${name}/`;
    const a = area(name);
    if (a) {
      unit(top, d.count, a.kind, a.note);
      continue;
    }
    if (langOf(d) || hasPackages(d)) {
      // Workspace packages, crates, modules: one unit each, and so is every other folder beside them.
      packageUnits(d, top, unit, kindOf);
      continue;
    }
    if (rootLang === "go" || (!rootLang && hasExt(d, SOURCE_EXT.go))) {
      if (name === "cmd") {
        for (const [bin, t] of sorted(d)) unit(`${top}${bin}/`, t.count, "stable", "entry point: rarely changed");
        continue;
      }
      if (GO_PARENTS.has(name) && d.dirs.size) {
        for (const [pkg, t] of sorted(d)) unit(`${top}${pkg}/`, t.count, ...kindOf(pkg));
        const own = d.files.filter((f) => SOURCE_EXT.go.test(f)).length;
        if (own) unit(`${top}*.go`, own);
        continue;
      }
    }
    if (name === "src" && rootLang !== "python") {
      splitSource(d, top, rootLang, unit, named);
      continue;
    }
    if (rootLang === "python" || (name !== "src" && d.files.includes("__init__.py"))) {
      const pyPkgs = pythonPackages(d, top, name);
      if (pyPkgs) {
        for (const [p, t, splitIt] of pyPkgs) {
          if (splitIt) splitSource(t, p, "python", unit, named);
          else unit(p, t.count, ...kindOf(lastSegment(p)));
        }
        continue;
      }
    }
    unit(top, d.count, ...kindOf(name));
  }
  return out;

  function kindOf(p: string): [ZoneKind, string] {
    const n = named(lastSegment(p));
    return [n.kind, n.note];
  }
}

function lastSegment(p: string): string {
  const parts = p.replace(/\/+$/, "").split("/");
  return parts[parts.length - 1] ?? p;
}

/** A source folder: each inner folder a unit, and its own source files one unit by extension. */
function splitSource(d: Tree, at: string, lang: Lang | null, unit: AddUnit, named: (name: string) => { kind: ZoneKind; note: string }): void {
  for (const [sub, t] of sorted(d)) {
    const n = named(sub);
    unit(`${at}${sub}/`, t.count, n.kind, n.note);
  }
  if (!d.files.length) return;
  const exts = [...new Set(d.files.map((f) => /\.[A-Za-z0-9]+$/.exec(f)?.[0] ?? "").filter((e) => e && (!lang || SOURCE_EXT[lang].test(e))))].sort();
  if (!exts.length) return unit(`${at}*`, d.files.length);
  const glob = exts.length === 1 ? `${at}*${exts[0]}` : `${at}*.{${exts.map((e) => e.slice(1)).join(",")}}`;
  unit(glob, d.files.filter((f) => exts.some((e) => f.endsWith(e))).length);
}

/**
 * Python packages in a top-level folder: the folder itself when it has `__init__.py`, or the
 * packages one level down (`src/<pkg>/`). A package with two or more subpackages is split.
 */
function pythonPackages(d: Tree, at: string, name: string): [string, Tree, boolean][] | null {
  const isPkg = (t: Tree) => t.files.includes("__init__.py");
  const split = (t: Tree) => [...t.dirs.values()].filter((s) => hasExt(s, SOURCE_EXT.python)).length >= 2;
  if (isPkg(d)) return [[at, d, split(d)]];
  if (name !== "src") return null;
  const pkgs = sorted(d).filter(([, t]) => isPkg(t));
  return pkgs.length ? pkgs.map(([n, t]) => [`${at}${n}/`, t, split(t)]) : null;
}

/** A zone name for each unit: its last folder, or more of its path where two would clash. */
export function unitNames(units: readonly Unit[]): string[] {
  const clean = (s: string) => s.replace(/[^A-Za-z0-9_.-]+/g, "-").replace(/^[^A-Za-z0-9]+/, "").replace(/-+$/, "") || "root";
  const fixed = (p: string) => p.split("/").filter((s) => s && !/[*?{[]/.test(s));
  const short = units.map((u) => clean(fixed(u.path).slice(-1).join("-")));
  const long = units.map((u) => clean(fixed(u.path).join("-")));
  const count = new Map<string, number>();
  for (const s of short) count.set(s, (count.get(s) ?? 0) + 1);
  const names = units.map((_, i) => ((count.get(short[i] as string) ?? 0) > 1 ? (long[i] as string) : (short[i] as string)));
  // Still clashing (a folder and the glob of its own files): number them.
  const seen = new Map<string, number>();
  return names.map((n) => {
    const k = (seen.get(n) ?? 0) + 1;
    seen.set(n, k);
    return k === 1 ? n : `${n}-${k}`;
  });
}

/** The zones coord init proposes for a repository: one per unit of its layout (src/core/layout.ts). */
export function proposeZones(files: readonly string[]): Zone[] {
  const units: Unit[] = layoutUnits(files);
  const names = unitNames(units);
  return units.map((u, i) => ({ name: names[i] as string, kind: u.kind, paths: [u.path], note: u.note }));
}

/** A first zones file for a repository, proposed from its file list. */
export function proposeConfig(files: readonly string[]): { text: string; zones: Zone[] } {
  const zones = proposeZones(files);
  const header = `# coord zones: who may edit what when several sessions share this repository.
# Proposed by coord init from the repository's layout; merge, split or rename zones freely.
# kind = "owned"  : normal work; claim a bead whose Files: line names the files.
# kind = "shared" : used by everyone; editing needs an in-progress bead of your own naming the file.
# kind = "stable" : rarely changed; editing is allowed with a warning.
# After editing, run: coord init   (refreshes the section in CLAUDE.md and AGENTS.md)

[settings]
refresh_budget_ms = ${DEFAULT_SETTINGS.refreshBudgetMs}
stale_claim_hours = ${DEFAULT_SETTINGS.staleClaimHours}
session_idle_minutes = ${DEFAULT_SETTINGS.sessionIdleMinutes}
backups_kept = ${DEFAULT_SETTINGS.backupsKept}         # coord wt done keeps this many backup refs

# Variables for each worktree's sessions (exported at SessionStart; coord wt env prints them).
# {{ index }} is the worktree's number (0 in the main checkout), {{ name }} its name, {{ root }} its folder.
# [worktree]
# PORT = "{{ 8080 + index }}"
# COMPOSE_PROJECT_NAME = "{{ repo }}-{{ name }}"
`;
  const body = zones.map(
    (z) => `
[[zone]]
name = ${JSON.stringify(z.name)}
kind = "${z.kind}"
paths = [${z.paths.map((p) => JSON.stringify(p)).join(", ")}]
${z.note ? `note = ${JSON.stringify(z.note)}\n` : ""}`,
  );
  return { text: header + body.join(""), zones };
}
