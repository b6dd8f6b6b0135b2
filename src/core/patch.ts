// Codex's apply_patch format, read for the files it touches (the hunks themselves do not matter to
// a guard). Grammar, as Codex applies it: `*** Begin Patch`, then per file one of
// `*** Add File: p` (+lines), `*** Delete File: p`, `*** Update File: p` (optionally followed by
// `*** Move to: q`, then @@ hunks), and `*** End Patch`. Paths are as the model wrote them,
// relative to the event's cwd. Pure.

export type PatchOp = "add" | "update" | "delete" | "move-from" | "move-to";

export interface PatchTarget {
  op: PatchOp;
  path: string;
}

export interface ParsedPatch {
  /** Every file the patch writes, creates, deletes or moves, in patch order (a move gives two). */
  targets: PatchTarget[];
  /** What did not parse; a guard refuses rather than guess which files an unreadable patch touches. */
  errors: string[];
}

const HEADER = /^\*\*\* (Add File|Update File|Delete File|Move to): (.*)$/;
const OPS: Record<string, PatchOp> = { "Add File": "add", "Update File": "update", "Delete File": "delete", "Move to": "move-to" };

/** The files an apply_patch text touches. A `Move to` turns the Update before it into a move-from. */
export function parsePatch(text: string): ParsedPatch {
  const lines = text.replace(/\r\n/g, "\n").split("\n");
  const targets: PatchTarget[] = [];
  const errors: string[] = [];
  let begun = false;
  let ended = false;
  for (const [i, raw] of lines.entries()) {
    // Codex tolerates blanks around the markers (models add them); a heredoc wrapper is not ours to see here.
    const line = raw.trimEnd();
    if (!begun) {
      if (line.trim() === "*** Begin Patch") begun = true;
      else if (line.trim()) errors.push(`line ${i + 1}: text before "*** Begin Patch"`);
      continue;
    }
    if (line.trim() === "*** End Patch") {
      ended = true;
      break;
    }
    const m = HEADER.exec(line);
    if (!m) continue;
    const op = OPS[m[1] as string] as PatchOp;
    const path = (m[2] as string).trim();
    if (!path) {
      errors.push(`line ${i + 1}: "${m[1]}" without a path`);
      continue;
    }
    if (op === "move-to") {
      const prev = targets.at(-1);
      if (!prev || prev.op !== "update") {
        errors.push(`line ${i + 1}: "Move to" not right after an "Update File"`);
        continue;
      }
      prev.op = "move-from";
    }
    targets.push({ op, path });
  }
  if (!begun) errors.push(`no "*** Begin Patch" line`);
  else if (!ended) errors.push(`no "*** End Patch" line`);
  return { targets, errors };
}

/** The distinct paths of a patch's targets, in order. */
export function patchPaths(p: ParsedPatch): string[] {
  return [...new Set(p.targets.map((t) => t.path))];
}
