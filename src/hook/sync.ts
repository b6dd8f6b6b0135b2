// Other machines, from the hook: a pull at SessionStart and a push after a session's bd writes.
// Both run `coord sync` as a detached process, so the network never holds a hook past its
// deadline: SessionStart waits for the pull up to a budget, a push is never waited for.
import { isBdWrite } from "../core/sync";
import { locateBeads } from "../edges/bd";
import { doltRemote, readSyncRecord, syncDetached } from "../edges/dolt-sync";
import { type Repo, stateDir } from "../edges/repo";
import type { Ctx } from "./context";

/** How long SessionStart waits for its pull: the banner's refresh needs the rest of the 5 s deadline. */
const START_PULL_WAIT_MS = 2500;

const waitMs = (env: Record<string, string | undefined>) => {
  const v = Number(env.COORD_SYNC_WAIT_MS);
  return Number.isFinite(v) && v >= 0 ? v : START_PULL_WAIT_MS;
};

/**
 * SessionStart: pull, so the banner shows other machines' claims. Returns a note for the session
 * when the pull could not start or is still running; the banner's remote line says the rest.
 */
export async function pullAtStart(ctx: Ctx, repo: Repo): Promise<string | null> {
  const { w } = ctx;
  const loc = locateBeads(repo, w.env);
  if (!loc) return null;
  const remote = doltRemote(loc);
  if (!remote.configured || w.env.COORD_SYNC === "off") return null;
  const state = stateDir(repo);
  const start = w.now();
  if (!syncDetached("pull", repo.root, state, w.env)) return `coord: could not start a pull from ${remote.url}; other machines' claims are as of the last one`;
  const wait = waitMs(w.env);
  while (w.now() - start < wait) {
    await w.sleep(40);
    const at = readSyncRecord(state)?.lastPull?.at ?? 0;
    if (at >= start) return null;
  }
  return `coord: the pull from ${remote.url} is still running after ${wait} ms; it goes on in the background and the next edit sees what it brings`;
}

/** PostToolUse of a shell command: a bd write (a claim above all) is pushed in the background. */
export function pushAfterBdWrite(ctx: Ctx, repo: Repo, command: string): string | null {
  const { w } = ctx;
  if (ctx.ev.kind !== "post-tool" || !isBdWrite(command) || w.env.COORD_SYNC === "off") return null;
  const loc = locateBeads(repo, w.env);
  if (!loc || !doltRemote(loc).configured) return null;
  return syncDetached("push", repo.root, stateDir(repo), w.env) ? null : "coord: could not start the push of this bd change; run coord sync";
}
