// The bd versions coord supports, and what differs between them. Knowledge as a table: a new bd
// is a new row (measured with the real binary), not a branch in every caller. Pure.

export interface BdVersionRow {
  version: string;
  /** The database schema this version migrates a database to on its first command. */
  schema: number;
  /** Which actor variable wins when both are set (measured: `bd create` with both set, then its created_by). */
  actorFirst: "BD_ACTOR" | "BEADS_ACTOR";
  /** Claims carry a 5-minute lease renewed by `bd heartbeat <id>`. */
  leases: boolean;
  /**
   * Files (relative to the .beads folder) that this version, and no older one, leaves behind once
   * it has opened the database, and so migrated it. `.local_version` cannot tell: every bd rewrites
   * it, so after bd 1.0.5 reads a database bd 1.3.0 migrated, it says 1.0.5 again (measured).
   */
  traces: string[];
}

/** Tested versions, oldest first. scripts/setup installs the last one; the integration suite runs against each. */
export const BD_VERSIONS: readonly BdVersionRow[] = [
  { version: "1.0.5", schema: 49, actorFirst: "BD_ACTOR", leases: false, traces: [] },
  // Also `.beads.gate.lock` in the repository root, which a 1.0.5 repository does not ignore.
  { version: "1.3.0", schema: 66, actorFirst: "BEADS_ACTOR", leases: true, traces: ["embeddeddolt.gate.lock"] },
];

export const BD_MIN = "1.0.5";
/** The first version outside the range: the next minor may change the JSON or the schema again. */
export const BD_BEYOND = "1.4.0";
export const BD_INSTALLED = BD_VERSIONS[BD_VERSIONS.length - 1]?.version ?? BD_MIN;

/** The x.y.z in `bd version` / `bd --version` output ("bd version 1.3.0 (dev)"). */
export function parseBdVersion(stdout: string): string | null {
  return /(\d+\.\d+\.\d+)/.exec(stdout)?.[1] ?? null;
}

export function compareVersions(a: string, b: string): number {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

export type Support = "tested" | "in-range" | "too-old" | "too-new";

export function bdSupport(version: string): Support {
  if (BD_VERSIONS.some((r) => r.version === version)) return "tested";
  if (compareVersions(version, BD_MIN) < 0) return "too-old";
  if (compareVersions(version, BD_BEYOND) >= 0) return "too-new";
  return "in-range";
}

/** The row of the newest tested version not newer than `version` (what it most likely behaves like). */
export function rowFor(version: string): BdVersionRow | null {
  let best: BdVersionRow | null = null;
  for (const r of BD_VERSIONS) if (compareVersions(r.version, version) <= 0) best = r;
  return best;
}

/**
 * Will `runner` migrate a database last used by `lastUsed`? Only a newer schema migrates; patch
 * releases of one row share a schema.
 */
export function migratesFrom(runner: string, lastUsed: string): boolean {
  const to = rowFor(runner);
  const from = rowFor(lastUsed);
  if (!to || !from) return compareVersions(runner, lastUsed) > 0;
  return to.schema > from.schema;
}

/**
 * The newest bd that has opened a database, from `.local_version` and the trace files present
 * (`present(name)` says whether `.beads/<name>` exists).
 */
export function newestUser(localVersion: string | null, present: (file: string) => boolean): string | null {
  let newest = localVersion;
  for (const r of BD_VERSIONS) {
    if (r.traces.some(present) && (newest === null || compareVersions(r.version, newest) > 0)) newest = r.version;
  }
  return newest;
}
