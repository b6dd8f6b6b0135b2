// bd's raw errors that mean something to a person, as a table: what bd printed, what it means,
// and what to do. Pure.

export interface BdErrorFacts {
  /** The version of the bd coord ran, when known. */
  runner: string | null;
  /** The bd that last used the database (.beads/.local_version), when known. */
  lastUsed: string | null;
}

interface Row {
  match: RegExp;
  explain: (f: BdErrorFacts) => { why: string; next: string[] };
}

const ROWS: readonly Row[] = [
  {
    // Measured: bd 1.0.5 writing to a database bd 1.3.0 migrated (schema v49 → v66) fails on
    // every write with this, while reads still work.
    match: /record event in events: Error 1105: Field 'id' doesn't have a default value/,
    explain: (f) => ({
      why: `the beads database was migrated by a newer bd${f.lastUsed && f.lastUsed !== f.runner ? ` (${f.lastUsed})` : ""} than the one coord runs${f.runner ? ` (bd ${f.runner})` : ""}, which can still read it but no longer write to it`,
      next: [
        "run the newer bd for coord too: scripts/setup installs it, or point COORD_BD at it (coord doctor shows which bd runs)",
        "then claim again",
      ],
    }),
  },
];

/** A clear reading of a bd error line, or null when the table does not know it. */
export function explainBdError(stderr: string, f: BdErrorFacts): { why: string; next: string[] } | null {
  for (const r of ROWS) if (r.match.test(stderr)) return r.explain(f);
  return null;
}
