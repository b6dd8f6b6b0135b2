// The `[worktree]` table of coord.toml rendered for one checkout: each worktree gets its own port,
// database and compose project, so two dev servers started in two worktrees do not collide.
//
// A template is text with `{{ … }}` holes. A hole holds one name (`index`, `name`, `root`,
// `main_root`, `db_dir`, `repo`) or a sum of whole numbers and `index` with `+`, `-` and `*`
// (`{{ 8080 + index }}`, `{{ 5432 + index * 10 }}`). No conditionals, no other functions: the file
// is read by people, and a port is all arithmetic ever needed for. Pure.
import type { TEMPLATE_NAMES } from "./zones";

export type TemplateVars = Record<(typeof TEMPLATE_NAMES)[number], string | number>;

export interface WorktreeFacts {
  /** 0 for the main checkout, 1, 2, … for worktrees (kept for a worktree's life: src/edges/worktree-env.ts). */
  index: number;
  name: string;
  root: string;
  mainRoot: string;
  dbDir: string;
}

export function templateVars(f: WorktreeFacts): TemplateVars {
  const base = f.mainRoot.replace(/\/+$/, "").split("/").pop() || "repo";
  return { index: f.index, name: f.name, root: f.root, main_root: f.mainRoot, db_dir: f.dbDir, repo: base };
}

function evalSum(expr: string, vars: TemplateVars): string {
  const tokens = expr.trim().split(/\s*([-+*])\s*/);
  const value = (w: string): number | string => (/^\d+$/.test(w) ? Number(w) : (vars[w as keyof TemplateVars] ?? ""));
  if (tokens.length === 1) return String(value(tokens[0] as string));
  // Products first, then sums, left to right: {{ 8080 + index * 10 }}.
  const terms: number[] = [];
  const signs: number[] = [1];
  let product = Number(value(tokens[0] as string));
  for (let i = 1; i < tokens.length; i += 2) {
    const op = tokens[i];
    const n = Number(value(tokens[i + 1] as string));
    if (op === "*") product *= n;
    else {
      terms.push(product);
      signs.push(op === "-" ? -1 : 1);
      product = n;
    }
  }
  terms.push(product);
  return String(terms.reduce((acc, t, i) => acc + (signs[i] as number) * t, 0));
}

/** Fills a template's holes (validated by templateProblem when coord.toml was read). */
export function renderTemplate(t: string, vars: TemplateVars): string {
  return t.replace(/\{\{(.*?)\}\}/g, (_m, expr: string) => evalSum(expr, vars));
}

/** Every `[worktree]` variable for one checkout, in the order coord.toml lists them. */
export function worktreeEnv(table: Readonly<Record<string, string>>, f: WorktreeFacts): [string, string][] {
  const vars = templateVars(f);
  return Object.entries(table).map(([k, t]) => [k, renderTemplate(t, vars)]);
}

const shq = (v: string) => (/^[A-Za-z0-9_./:@%+=,-]+$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`);

/** `export K=V` lines, for a shell, a test runner, or CLAUDE_ENV_FILE. */
export function exportLines(vars: readonly (readonly [string, string])[]): string[] {
  return vars.map(([k, v]) => `export ${k}=${shq(v)}`);
}
