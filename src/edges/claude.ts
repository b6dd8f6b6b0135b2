// The Claude Code installed here: which version, so that coord init registers only the hook
// events and keys it understands.
import { parseClaudeVersion } from "../core/claude-versions";
import { runSync } from "./proc";

/** COORD_CLAUDE, else `claude` on PATH; its `--version`, or null when there is none. */
export function claudeVersion(env: Record<string, string | undefined>): { bin: string; version: string } | null {
  const bin = env.COORD_CLAUDE || Bun.which("claude", { PATH: env.PATH ?? "" });
  if (!bin) return null;
  const r = runSync([bin, "--version"], { env, timeoutMs: 15_000 });
  const version = r.code === 0 ? parseClaudeVersion(r.stdout) : null;
  return version ? { bin, version } : null;
}
