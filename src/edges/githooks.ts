// The commit gate: a git pre-commit hook that runs `coord precommit`. It goes where git looks
// (core.hooksPath, else the common dir's hooks/) and keeps a hook that was already there by
// renaming it and calling it first.
import { chmodSync, existsSync, readFileSync, renameSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { writeAtomic } from "./fs";
import { runSync } from "./proc";
import type { Repo } from "./repo";
import { selfCommand } from "./self";

export const MARKER = "# coord pre-commit hook";
export const CHAINED = "pre-commit.coord-chained";

const shq = (v: string) => `'${v.replace(/'/g, `'\\''`)}'`;

/** The folder git runs hooks from for this checkout. */
export function hooksDir(repo: Repo): string {
  const r = runSync(["git", "config", "--get", "core.hooksPath"], { cwd: repo.root, timeoutMs: 5000 });
  const v = r.code === 0 ? r.stdout.trim() : "";
  if (!v) return join(repo.commonDir, "hooks");
  const home = process.env.HOME ?? "";
  const p = v.startsWith("~/") && home ? join(home, v.slice(2)) : v;
  // Git takes a relative core.hooksPath from the top of the working tree the hook runs in.
  return isAbsolute(p) ? p : resolve(repo.root, p);
}

export function preCommitScript(command: readonly string[]): string {
  return `#!/bin/sh
${MARKER} (written by coord init --git-hooks; safe to re-run).
# Refuses staged files claimed by another session or last edited by another live session.
# Bypass deliberately: git commit --no-verify, or COORD_SKIP=1 git commit ...
chained="$(dirname "$0")/${CHAINED}"
if [ -x "$chained" ]; then "$chained" "$@" || exit $?; fi
[ "\${COORD_SKIP:-}" = 1 ] && exit 0
if [ -x ${shq(command[0] ?? "coord")} ]; then
  exec ${command.map(shq).join(" ")} precommit
elif command -v coord >/dev/null 2>&1; then
  exec coord precommit
fi
echo "coord: not found; pre-commit check skipped" >&2
exit 0
`;
}

/** Installs (or refreshes) the pre-commit hook. `chained`: an earlier hook is kept and runs first. */
export function installGitHooks(repo: Repo, command: readonly string[] = selfCommand()): { path: string; chained: boolean } {
  const dir = hooksDir(repo);
  const path = join(dir, "pre-commit");
  const chainedPath = join(dir, CHAINED);
  let existing: string | null = null;
  try {
    existing = readFileSync(path, "utf8");
  } catch {
    existing = null;
  }
  if (existing !== null && !existing.includes(MARKER)) {
    if (existsSync(chainedPath)) throw new Error(`${path} is not coord's and ${chainedPath} already exists; merge them by hand, then re-run`);
    renameSync(path, chainedPath);
    // The chained hook ran because it was executable; keep it so even if a checkout lost the bit.
    chmodSync(chainedPath, 0o755);
  }
  writeAtomic(path, preCommitScript(command), 0o755);
  return { path, chained: existsSync(chainedPath) };
}
