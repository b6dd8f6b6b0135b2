// The `## Multi-Session Coordination` section coord init keeps in CLAUDE.md and AGENTS.md:
// rendered from the zones config, and spliced between markers so the rest of the file is never touched.
import type { Config } from "./zones";

export const SECTION_BEGIN = "<!-- coord:begin -->";
export const SECTION_END = "<!-- coord:end -->";
export const SECTION_FILES = ["CLAUDE.md", "AGENTS.md"] as const;

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\r?\n/g, " ").trim();

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

/** The whole section, markers included, with no trailing newline. Depends only on the config. */
export function renderSection(cfg: Config): string {
  const hours = cfg.settings.staleClaimHours;
  return [
    SECTION_BEGIN,
    "## Multi-Session Coordination",
    "",
    "<!-- Written by `coord init` from coord.toml. Edit coord.toml, then run `coord init` again; `coord init --check` tells when this is out of date. -->",
    "",
    "Several Claude Code sessions may work in this repository at the same time. `coord` keeps them from",
    "overwriting each other's work: before a Write or Edit it checks who has claimed the file in Beads (`bd`).",
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
    'bd create "Add the orders endpoint" -t task --description "Files: src/api/, src/db/schema.ts"',
    "```",
    "",
    "Claim a bead before editing its files: `bd update <id> --claim`, or `coord claim <id>`, which first",
    "checks that its `Files:` overlap nobody else's in-progress bead. `bd ready` lists unclaimed work;",
    "`coord status` shows who holds what. Close the bead when done (`bd close <id>`) so its files are free again.",
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
    "To work apart from the others, use a worktree (it shares the beads database and has its own test databases):",
    "",
    "- `coord wt new <name>`: a checkout `../<repo>-<name>` on a new branch `work/<name>`.",
    "- `coord wt done <name>`: merge `work/<name>` into the main branch, then remove the worktree and its branch.",
    "- `coord wt list`: the worktrees, their sessions and claims, and predicted conflicts.",
    SECTION_END,
  ].join("\n");
}

export type SectionState = "missing" | "current" | "stale" | "broken";

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

export function sectionState(existing: string | null, section: string): SectionState {
  if (existing === null) return "missing";
  const at = locate(existing);
  if (at.state === "broken") return "broken";
  if (at.state === "none") return "missing";
  return existing.slice(at.start, at.end) === section ? "current" : "stale";
}

export type Upsert = { ok: true; text: string; changed: boolean } | { ok: false; error: string };

/** Puts the section into a file's text: replaced between the markers, or appended; nothing else moves. */
export function upsertSection(existing: string | null, section: string): Upsert {
  if (existing === null || existing === "") return { ok: true, text: `${section}\n`, changed: true };
  const at = locate(existing);
  if (at.state === "broken") {
    return { ok: false, error: `the ${SECTION_BEGIN} / ${SECTION_END} markers are not one pair in order; fix them by hand (or delete both) and run coord init again` };
  }
  if (at.state === "one") {
    const text = existing.slice(0, at.start) + section + existing.slice(at.end);
    return { ok: true, text, changed: text !== existing };
  }
  const sep = existing.endsWith("\n\n") ? "" : existing.endsWith("\n") ? "\n" : "\n\n";
  return { ok: true, text: `${existing}${sep}${section}\n`, changed: true };
}
