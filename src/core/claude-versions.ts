// What the installed Claude Code supports, by version: knowledge as a table, measured with the
// real CLI. Pure.
import { compareVersions } from "./bdversions";
import { type WantedGroup, WANTED } from "./settings";

/** Features coord registers only where they exist, with the first version they were measured in. */
export const CLAUDE_FEATURES = {
  // A skill's or command's inline !`cmd`; never passes PreToolUse. Versions up to 2.1.331 show a
  // startup dialog when a settings file names the event, so it is registered only from here on.
  PreSkillShellCommand: "2.1.332",
  // `onFailure: "block"` on a command hook: a hook that fails (crash, timeout) refuses the action
  // instead of letting it run. 2.1.197 ignores the key (measured), so it would promise nothing.
  onFailure: "2.1.332",
} as const;

export function parseClaudeVersion(stdout: string): string | null {
  return /(\d+\.\d+\.\d+)/.exec(stdout)?.[1] ?? null;
}

export function claudeSupports(version: string | null, feature: keyof typeof CLAUDE_FEATURES): boolean {
  return version !== null && compareVersions(version, CLAUDE_FEATURES[feature]) >= 0;
}

/** The matcher groups coord registers for this Claude Code (unknown version: the ones every version has). */
export function wantedFor(version: string | null): WantedGroup[] {
  return [...WANTED, ...(claudeSupports(version, "PreSkillShellCommand") ? [{ event: "PreSkillShellCommand", matcher: "Bash" }] : [])];
}

/** Extra keys of each coord hook entry: under COORD_FAIL_CLOSED=1 a failing hook refuses too. */
export function entryExtras(version: string | null, failClosed: boolean): Record<string, string> {
  return failClosed && claudeSupports(version, "onFailure") ? { onFailure: "block" } : {};
}
