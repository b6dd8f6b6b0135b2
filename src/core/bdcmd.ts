// What one `bd ...` command would change in the beads database, read from its argv: which beads,
// and whether their assignee, status, existence or Files: change. The options are bd's own (1.0.5
// and 1.3.0, checked against their --help in test/fixtures/bd-help): a value-taking option must be
// known, or its value would be read as a bead id.
import { parseFilesField } from "./claims";
import { normalizeRepoPath } from "./paths";

export type Change = "assignee" | "status" | "close" | "reopen" | "delete" | "files" | "claim" | "release" | "rename";

export interface BdEffect {
  /** The subcommand as bd names it (`done` is `close`). */
  command: string;
  /** Bead ids named on the line; "" for one whose value is not known before the command runs. */
  ids: string[];
  changes: Change[];
  /** The new assignee (`--assignee x`, `bd assign id x`), when one is set. */
  assignee?: string;
  /** The new status (`--status x`), when one is set. */
  status?: string;
  /** Set when the command may change beads it does not name (bd reclaim, bd sql). */
  unnamed?: string;
  /** `--actor x`: bd acts (and --claim assigns) in that name. */
  actor?: string;
  /** `bd create ... --status in_progress`: the new bead's title and Files (null: in a file coord does not read). */
  created?: { title: string; files: string[] | null };
}

// bd's persistent flags, valid before or after the subcommand. Value-taking ones:
const GLOBAL_VALUE = new Set(["--actor", "--database", "--db", "-C", "--directory", "--dolt-auto-commit", "--mem-profile"]);

interface CommandSpec {
  /** Options that take a value (both spellings), besides the global ones. */
  value: string[];
  /** What the command does to the beads it names, given its options. */
  effect: (o: Options) => Omit<BdEffect, "command" | "ids" | "actor"> | null;
}

interface Options {
  /** Every option given, by long name (or short when it has none), with its values. */
  opts: Map<string, string[]>;
  positional: string[];
  dyn: boolean[];
  /** Options whose value depends on an expansion. */
  dynOpts: Set<string>;
}

const has = (o: Options, ...names: string[]) => names.some((n) => o.opts.has(n));
const last = (o: Options, ...names: string[]) => {
  for (const n of names) {
    const v = o.opts.get(n);
    if (v?.length) return v[v.length - 1];
  }
  return undefined;
};
const FILES_META = /(^|[{,\s"])files["\s]*[:=]/;

/** bd statuses that mean done: moving a bead there closes it. */
const CLOSING = new Set(["closed", "done", "tombstone"]);

const SPECS: Record<string, CommandSpec> = {
  update: {
    value: [
      "--acceptance", "--add-label", "--append-notes", "-a", "--assignee", "--await-id", "--body-file", "--defer", "-d",
      "--description", "--design", "--design-file", "--due", "-e", "--estimate", "--external-ref", "--if-assignee",
      "--if-status", "--metadata", "--notes", "--parent", "-p", "--priority", "--remove-label", "--session", "--set-labels",
      "--set-metadata", "--spec-id", "-s", "--status", "--title", "-t", "--type", "--unset-metadata",
    ],
    effect: (o) => {
      const changes: Change[] = [];
      const assignee = last(o, "--assignee", "-a");
      const status = last(o, "--status", "-s");
      if (has(o, "--claim")) changes.push("claim");
      if (assignee !== undefined) changes.push("assignee");
      if (status !== undefined) changes.push(CLOSING.has(status) ? "close" : "status");
      if (has(o, "--defer") && last(o, "--defer") !== "") changes.push("status");
      if (has(o, "--description", "-d", "--body-file", "--stdin")) changes.push("files");
      const meta = [...(o.opts.get("--metadata") ?? []), ...(o.opts.get("--set-metadata") ?? []), ...(o.opts.get("--unset-metadata") ?? [])];
      if (has(o, "--metadata") || meta.some((m) => m === "files" || FILES_META.test(m) || m.startsWith("files="))) changes.push("files");
      return { changes: [...new Set(changes)], ...(assignee !== undefined ? { assignee } : {}), ...(status !== undefined ? { status } : {}) };
    },
  },
  close: { value: ["-r", "--reason", "--reason-file", "--session"], effect: () => ({ changes: ["close"] }) },
  reopen: { value: ["-r", "--reason"], effect: () => ({ changes: ["reopen"] }) },
  delete: { value: ["--from-file"], effect: (o) => (has(o, "--dry-run") ? null : { changes: ["delete"] }) },
  unclaim: { value: ["--if-assignee", "-r", "--reason"], effect: () => ({ changes: ["release"] }) },
  defer: { value: ["--reason", "--until"], effect: () => ({ changes: ["status"], status: "deferred" }) },
  undefer: { value: [], effect: () => ({ changes: ["status"], status: "open" }) },
  duplicate: { value: ["--of"], effect: () => ({ changes: ["close"] }) },
  supersede: { value: ["--with"], effect: () => ({ changes: ["close"] }) },
  rename: { value: [], effect: () => ({ changes: ["rename"] }) },
  edit: {
    value: [],
    effect: (o) => (has(o, "--title", "--design", "--notes", "--acceptance") && !has(o, "--description") ? null : { changes: ["files"] }),
  },
  assign: { value: [], effect: () => ({ changes: ["assignee"] }) },
  reclaim: {
    value: ["-a", "--assignee", "--exclude-label", "--id", "-l", "--label", "--label-any", "--older-than"],
    effect: () => ({ changes: ["release"] }),
  },
  sql: { value: [], effect: () => ({ changes: [] }) },
  // `bd ready --claim` claims whichever ready bead bd ranks first: which one is not on the line.
  ready: {
    value: [
      "-a", "--assignee", "--exclude-label", "--exclude-type", "--has-metadata-key", "-l", "--label", "--label-any", "--label-pattern",
      "--label-regex", "-n", "--limit", "--max-rows", "--metadata-field", "--mol", "--mol-type", "--offset", "--parent", "-p",
      "--priority", "-s", "--sort", "-t", "--type",
    ],
    effect: (o) => (has(o, "--claim") ? { changes: ["claim"] } : null),
  },
  // A bead created in progress is a claim made without coord claim's overlap check.
  create: {
    value: [
      "--acceptance", "--append-notes", "-a", "--assignee", "--body-file", "--context", "--defer", "--deps", "-d", "--description",
      "--design", "--design-file", "--due", "-e", "--estimate", "--event-actor", "--event-category", "--event-payload", "--event-target",
      "--external-ref", "-f", "--file", "--graph", "--id", "-l", "--labels", "--metadata", "--mol-type", "--notes", "--parent", "-p",
      "--priority", "--repo", "--skills", "--spec-id", "-s", "--status", "--storage-class", "--title", "-t", "--type", "--waits-for",
      "--waits-for-gate", "--wisp-type",
    ],
    effect: (o) => (last(o, "--status", "-s") === "in_progress" ? { changes: ["claim"], status: "in_progress" } : null),
  },
};
const ALIASES: Record<string, string> = { done: "close" };

/** The option names this module knows for a subcommand (for the test against bd's --help). */
export function knownValueOptions(command: string): ReadonlySet<string> {
  return new Set([...(SPECS[command]?.value ?? []), ...GLOBAL_VALUE]);
}
export const GUARDED_COMMANDS = Object.keys(SPECS);

/**
 * What `argv` (one simple command, program first) changes, or null when it is not bd or changes
 * no bead's claim. `dyn[i]` marks words whose value is unknown before the command runs.
 */
export function bdEffect(argv: readonly string[], dyn: readonly boolean[] = []): BdEffect | null {
  if (!argv.length || argv[0]?.replace(/^.*\//, "") !== "bd") return null;
  let actor: string | undefined;
  let command: string | null = null;
  let spec: CommandSpec | null = null;
  const o: Options = { opts: new Map(), positional: [], dyn: [], dynOpts: new Set() };
  const put = (k: string, v: string) => o.opts.set(k, [...(o.opts.get(k) ?? []), v]);
  let i = 1;
  let flagsDone = false;
  for (; i < argv.length; i++) {
    const a = argv[i] as string;
    if (flagsDone || a === "-" || !a.startsWith("-")) {
      if (!command) {
        command = ALIASES[a] ?? a;
        spec = SPECS[command] ?? null;
        if (!spec) return null;
        continue;
      }
      o.positional.push(a);
      o.dyn.push(!!dyn[i]);
      continue;
    }
    if (a === "--") {
      flagsDone = true;
      continue;
    }
    const eq = a.startsWith("--") ? a.indexOf("=") : -1;
    const name = eq > 0 ? a.slice(0, eq) : a.startsWith("--") ? a : a.slice(0, 2);
    const inline = eq > 0 ? a.slice(eq + 1) : !a.startsWith("--") && a.length > 2 ? a.slice(2) : null;
    const takes = GLOBAL_VALUE.has(name) || (spec?.value.includes(name) ?? false);
    if (!takes) {
      // Booleans, also grouped short ones (-fq).
      if (!a.startsWith("--") && a.length > 2) for (const ch of a.slice(1)) put(`-${ch}`, "");
      else put(name, eq > 0 ? a.slice(eq + 1) : "");
      continue;
    }
    if (inline === null ? dyn[i + 1] : dyn[i]) o.dynOpts.add(name);
    const value = inline !== null ? inline : (argv[++i] ?? "");
    if (name === "--actor") actor = value;
    put(name, value);
  }
  if (!spec || !command) return null;
  // `bd sql` with a statement that writes can change any bead.
  if (command === "sql") {
    const text = o.positional.join(" ");
    if (!/\b(update|delete|insert|replace|drop|alter|truncate|merge)\b/i.test(text) && !o.dyn.some(Boolean)) return null;
    return { command, ids: [], changes: ["assignee", "status", "delete", "files"], unnamed: "bd sql can change any bead", ...(actor ? { actor } : {}) };
  }
  const effect = spec.effect(o);
  if (effect && command === "create") {
    const description = last(o, "--description", "-d");
    const meta = last(o, "--metadata");
    let files: string[] | null = description === undefined ? [] : parseFilesField(description);
    if (meta !== undefined) {
      try {
        const m = JSON.parse(meta) as { files?: unknown };
        if (Array.isArray(m.files)) files = [...(files ?? []), ...m.files.flatMap((f) => (typeof f === "string" ? (normalizeRepoPath(f) ?? []) : []))];
      } catch {
        files = null;
      }
    }
    if (has(o, "--body-file", "-f", "--file", "--graph") || ["--description", "-d", "--metadata"].some((n) => o.dynOpts.has(n))) files = null;
    const title = last(o, "--title") ?? o.positional[0] ?? "";
    return { command, ids: [], changes: effect.changes, status: "in_progress", created: { title, files }, ...(actor ? { actor } : {}) };
  }
  if (!effect || (!effect.changes.length && command !== "sql")) return null;
  const known = (k: number) => (o.dyn[k] ? "" : (o.positional[k] as string));
  let ids: string[];
  let assignee = effect.assignee;
  if (command === "assign") {
    ids = o.positional.length ? [known(0)] : [];
    if (o.positional.length > 1) assignee = o.dyn[1] ? "" : (o.positional[1] as string);
  } else if (command === "rename" || command === "duplicate" || command === "supersede" || command === "edit") {
    ids = o.positional.length ? [known(0)] : [];
  } else if (command === "ready") {
    ids = [""];
  } else if (command === "reclaim") {
    ids = o.opts.get("--id")?.flatMap((v) => v.split(",")) ?? [];
    const out: BdEffect = { command, ids, changes: effect.changes, ...(actor ? { actor } : {}) };
    if (!ids.length) out.unnamed = "bd reclaim releases every claim whose lease expired";
    return out;
  } else {
    ids = o.positional.map((_, k) => known(k));
    if (o.opts.has("--from-file")) ids.push("");
  }
  return {
    command,
    ids,
    changes: effect.changes,
    ...(assignee !== undefined ? { assignee } : {}),
    ...(effect.status !== undefined ? { status: effect.status } : {}),
    ...(actor ? { actor } : {}),
  };
}

// What `bd ready` prints rather than which beads it picks: dropped from a `bd ready --claim` line
// to list its candidates. `--brief` would drop the descriptions that hold Files:.
const READY_OUTPUT = new Set(["--claim", "--json", "--plain", "--pretty", "--explain", "--brief", "-n", "--limit", "--max-rows"]);

/**
 * The `bd ready` arguments that list every bead a `bd ready --claim` line (argv, program first)
 * may claim: its own filters and global options, every row, as JSON. Null when a word depends on
 * an expansion: then the filters, and so the candidates, are not known before it runs.
 */
export function readyListArgs(argv: readonly string[], dyn: readonly boolean[] = []): string[] | null {
  if (dyn.some(Boolean)) return null;
  const takes = knownValueOptions("ready");
  const out: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i] as string;
    const eq = a.startsWith("--") ? a.indexOf("=") : -1;
    const name = eq > 0 ? a.slice(0, eq) : a.startsWith("--") ? a : a.slice(0, 2);
    const inline = eq > 0 || (!a.startsWith("--") && a.startsWith("-") && a.length > 2 && takes.has(name));
    const value = a.startsWith("-") && a !== "-" && takes.has(name) && !inline ? (argv[++i] ?? "") : null;
    if (a.startsWith("-") && READY_OUTPUT.has(name)) continue;
    out.push(a, ...(value !== null ? [value] : []));
  }
  return [...out, "--json", "--limit", "0"];
}
