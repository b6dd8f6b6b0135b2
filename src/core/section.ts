// The `## Multi-Session Coordination` section coord init keeps in CLAUDE.md and AGENTS.md:
// rendered from the zones config, and spliced between markers so the rest of the file is never touched.
import { isAreaPath } from "./layout";
import { isGlob } from "./match";
import type { Config } from "./zones";
import { CAP, cleanText } from "./text";

export const SECTION_BEGIN = "<!-- coord:begin -->";
export const SECTION_END = "<!-- coord:end -->";
export const SECTION_HEADING = "## Multi-Session Coordination";
export const SECTION_FILES = ["CLAUDE.md", "AGENTS.md"] as const;
export type SectionFile = (typeof SECTION_FILES)[number];

/**
 * What coord enforces for each agent host, and which section file that host reads. A host whose
 * hooks coord registers is guarded; the others follow the section by convention. Grows with
 * `coord init --host` (one row per host).
 */
export interface HostRow {
  name: string;
  /** The instructions file the host reads. */
  reads: SectionFile;
  enforced: "hooks" | "convention";
  /** What stops a session of that host, in one phrase. */
  how: string;
}

export const HOSTS: readonly HostRow[] = [
  { name: "Claude Code", reads: "CLAUDE.md", enforced: "hooks", how: "coord's hooks refuse a Write or Edit of another session's claimed file, check Bash commands, and show the banner at start" },
  {
    name: "Codex CLI",
    reads: "AGENTS.md",
    enforced: "hooks",
    how: "once a person has registered it (coord init --host codex) and trusted it in Codex: apply_patch and shell commands are checked like Claude Code's; claim with `bd update <id> --claim --actor <the name your banner gives>`",
  },
  {
    name: "Gemini CLI",
    reads: "AGENTS.md",
    enforced: "hooks",
    how: "once a person has registered it (coord init --host gemini) in a trusted folder: write_file, replace and run_shell_command are checked; claim with `--actor` as for Codex",
  },
  { name: "OpenCode", reads: "AGENTS.md", enforced: "hooks", how: "once a person has registered it (coord init --host opencode: a plugin in .opencode/plugin/): write, edit, patch and bash are checked" },
  {
    name: "Aider, Cursor and other agents",
    reads: "AGENTS.md",
    enforced: "convention",
    how: "no hooks: nothing is refused; claim before editing, edit only claimed files, check `coord status` yourself, and commit through git so the commit gate runs (Aider: `--git-commit-verify --no-dirty-commits`)",
  },
];

/**
 * The `Files:` example of the section: two of the repository's own zone paths, code before
 * documentation and scripts (owned first, plain folders before globs, deeper packages first), so
 * the example names folders that exist here.
 */
export function filesExample(cfg: Config): string {
  const rank = (kind: string, p: string) => [Number(kind !== "owned"), Number(isAreaPath(p)), Number(isGlob(p)), -p.split("/").length];
  const order = (a: number[], b: number[]) => a.reduce((d, x, i) => d || x - (b[i] as number), 0);
  const paths = cfg.zones
    .flatMap((z) => z.paths.map((p) => ({ p, r: rank(z.kind, p) })))
    .sort((a, b) => order(a.r, b.r))
    .map((x) => x.p);
  const picked = [...new Set(paths)].slice(0, 2);
  return picked.length ? picked.join(", ") : "<folder>/, <file>";
}

const cell = (s: string) => cleanText(s, CAP.note).replace(/\|/g, "\\|");

function zonesTable(cfg: Config): string[] {
  if (cfg.zones.length === 0) {
    return ["No zones are configured (coord.toml has none, or is absent): every file is `owned`, claimed through beads."];
  }
  return [
    "| Zone | Kind | Paths | Note |",
    "|---|---|---|---|",
    ...cfg.zones.map((z) => `| ${cell(z.name)} | ${z.kind} | ${z.paths.map((p) => `\`${cell(p)}\``).join(", ")} | ${cell(z.note)} |`),
  ];
}

function hostLines(file: SectionFile): string[] {
  if (file === "CLAUDE.md") {
    const claude = HOSTS.filter((h) => h.reads === file && h.enforced === "hooks");
    return claude.length ? [`Several Claude Code sessions may work in this repository at the same time: ${claude.map((h) => h.how).join("; ")}.`] : [];
  }
  return [
    "Several coding-agent sessions may work in this repository at the same time. What is enforced depends on the agent:",
    "",
    "| Agent | Enforced by | What that means |",
    "|---|---|---|",
    ...HOSTS.map((h) => `| ${cell(h.name)} | ${h.enforced === "hooks" ? "coord's hooks" : "convention"} | ${cell(h.how)} |`),
    "",
  ];
}

/** The whole section, markers included, with no trailing newline. Depends only on the config and the file. */
export function renderSection(cfg: Config, file: SectionFile = "CLAUDE.md"): string {
  const hours = cfg.settings.staleClaimHours;
  return [
    SECTION_BEGIN,
    "## Multi-Session Coordination",
    "",
    "<!-- Written by `coord init` from coord.toml. Edit coord.toml, then run `coord init` again; `coord init --check` tells when this is out of date. -->",
    "",
    ...hostLines(file),
    "Claims live in Beads (`bd`): an in-progress bead with an assignee and a `Files:` line.",
    "",
    "### Zones (coord.toml)",
    "",
    ...zonesTable(cfg),
    "",
    "- `owned`: normal work; claim a bead whose `Files:` names the files before editing them.",
    "- `shared`: used by everyone; an edit needs an in-progress bead of your own whose `Files:` names the file.",
    "- `stable`: rarely changed; an edit is allowed with a warning (an interactive session is asked first).",
    "",
    "### Files: and claiming",
    "",
    "Every bead names what it will change on a `Files:` line in its description (files, folders ending in `/`, or globs):",
    "",
    "```sh",
    `bd create "<title>" -t task --description "Files: ${filesExample(cfg)}"`,
    "```",
    "",
    "Claim a bead before editing its files: `bd update <id> --claim`, or `coord claim <id>`, which first",
    "checks that its `Files:` overlap nobody else's in-progress bead. `bd ready` lists unclaimed work;",
    "`coord status` shows who holds what. Close the bead when done (`bd close <id>`) so its files are free again.",
    // Plain text, not a code span: committing stays the user's permission to grant, not coord's.
    "Commit only your own files, by name, since other sessions stage into the same index: git commit -m \"<message>\" -- <your files> (git add new files first).",
    "",
    "### What the guard refuses, and why",
    "",
    "- A Write or Edit of a file named by another session's in-progress bead: that session is changing it, and",
    "  one of the two would silently lose their work.",
    "- A Write or Edit in a `shared` zone without an in-progress bead of your own naming the file: everyone",
    "  depends on it, so a change there must be announced in a bead first.",
    `- Claims not updated for ${hours} hours are shown as stale in \`coord status\`; they still hold until released.`,
    "",
    "### When an edit is refused",
    "",
    "The refusal names the file, the bead, its owner and the next command. Do not work around it (no writing",
    "the file through Bash, no copies): take other work (`bd ready`), ask the owner to finish or release the",
    "bead, add the file to a bead you hold, or work apart in a worktree.",
    "",
    "### Worktrees",
    "",
    "To work apart from the others, use a worktree (it shares the beads database; `coord wt env` prints its own port, database and other `[worktree]` variables):",
    "",
    "- `coord wt new <name>`: a checkout `../<repo>-<name>` on a new branch `work/<name>`.",
    "- `coord wt done <name>`: merge `work/<name>` into the main branch, then remove the worktree and its branch.",
    "- `coord wt list`: the worktrees, their sessions and claims, and predicted conflicts.",
    SECTION_END,
  ].join("\n");
}

export type SectionState = "missing" | "current" | "stale" | "broken" | "unmarked";

interface Located {
  state: "none" | "one" | "broken";
  start: number;
  end: number;
}

function locate(text: string): Located {
  const b = text.indexOf(SECTION_BEGIN);
  const e = text.indexOf(SECTION_END);
  if (b < 0 && e < 0) return { state: "none", start: -1, end: -1 };
  // A lone marker, two sections, or markers the wrong way round: guessing would risk the user's text.
  if (b < 0 || e < 0 || e < b || text.indexOf(SECTION_BEGIN, b + 1) >= 0 || text.indexOf(SECTION_END, e + 1) >= 0) {
    return { state: "broken", start: -1, end: -1 };
  }
  return { state: "one", start: b, end: e + SECTION_END.length };
}

/**
 * Sections headed `## Multi-Session Coordination` outside coord's markers (written by hand, or by
 * an older coord): from the heading to the next heading of the same or a higher level, code
 * fences skipped. Offsets into `text`; the end includes the blank lines before the next heading.
 */
export function unmarkedSections(text: string): { start: number; end: number }[] {
  const marked = locate(text);
  const out: { start: number; end: number }[] = [];
  const lines = text.split("\n");
  let offset = 0;
  let fence: string | null = null;
  let open: number | null = null;
  const close = (at: number) => {
    if (open !== null) out.push({ start: open, end: at });
    open = null;
  };
  for (const line of lines) {
    const f = /^\s*(```+|~~~+)/.exec(line);
    if (f) fence = fence === null ? (f[1] as string).slice(0, 3) : line.trim().startsWith(fence) ? null : fence;
    else if (fence === null) {
      const h = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
      const inside = marked.state === "one" && offset >= marked.start && offset < marked.end;
      if (h && !inside) {
        if (open !== null && (h[1] as string).length <= 2) close(offset);
        if (open === null && (h[1] as string).length === 2 && (h[2] as string).toLowerCase() === SECTION_HEADING.slice(3).toLowerCase()) open = offset;
      }
      if (marked.state === "one" && offset <= marked.start && marked.start <= offset + line.length) close(offset);
    }
    offset += line.length + 1;
  }
  close(text.length);
  return out;
}

export function sectionState(existing: string | null, section: string): SectionState {
  if (existing === null) return "missing";
  const at = locate(existing);
  if (at.state === "broken") return "broken";
  if (unmarkedSections(existing).length) return "unmarked";
  if (at.state === "none") return "missing";
  return existing.slice(at.start, at.end) === section ? "current" : "stale";
}

export type Upsert = { ok: true; text: string; changed: boolean; adopted: number } | { ok: false; error: string };

/**
 * Puts the section into a file's text, never a second time. Between coord's markers it is replaced;
 * a section with the same heading outside them (hand-written, or an older coord's) is replaced in
 * place, inside markers; with `keep`, a file that has one is left as it is. Otherwise it is appended.
 * Nothing else in the file moves.
 */
export function upsertSection(existing: string | null, section: string, opts: { keep?: boolean } = {}): Upsert {
  if (existing === null || existing === "") return { ok: true, text: `${section}\n`, changed: true, adopted: 0 };
  const at = locate(existing);
  if (at.state === "broken") {
    return { ok: false, error: `the ${SECTION_BEGIN} / ${SECTION_END} markers are not one pair in order; fix them by hand (or delete both) and run coord init again` };
  }
  const hand = unmarkedSections(existing);
  if (hand.length && opts.keep) return { ok: true, text: existing, changed: false, adopted: 0 };
  if (hand.length) {
    // The first one takes coord's section (unless coord's markers already hold it); the rest go.
    let text = "";
    let from = 0;
    hand.forEach((h, i) => {
      const trail = (/\n*$/.exec(existing.slice(h.start, h.end))?.[0] ?? "").length;
      const tail = h.end === existing.length ? "\n" : "\n".repeat(Math.max(1, trail));
      const replacement = i === 0 && at.state === "none" ? section + tail : "";
      text += existing.slice(from, h.start) + replacement;
      from = h.end;
    });
    text += existing.slice(from);
    if (at.state === "one") {
      const b = text.indexOf(SECTION_BEGIN);
      const e = text.indexOf(SECTION_END) + SECTION_END.length;
      text = text.slice(0, b) + section + text.slice(e);
    }
    return { ok: true, text, changed: text !== existing, adopted: hand.length };
  }
  if (at.state === "one") {
    const text = existing.slice(0, at.start) + section + existing.slice(at.end);
    return { ok: true, text, changed: text !== existing, adopted: 0 };
  }
  const sep = existing.endsWith("\n\n") ? "" : existing.endsWith("\n") ? "\n" : "\n\n";
  return { ok: true, text: `${existing}${sep}${section}\n`, changed: true, adopted: 0 };
}
