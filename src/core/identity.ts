// Who "I" am: the name a session's claims are assigned to.

export interface IdentityInput {
  beadsActor?: string | undefined;
  sessionId?: string | undefined;
}

/** BEADS_ACTOR when the session was started with one, else `claude-` + the session id's first 8 characters. */
export function identityOf(input: IdentityInput): string | null {
  const actor = input.beadsActor?.trim();
  if (actor) return actor;
  const sid = input.sessionId?.trim().replace(/[^A-Za-z0-9_-]/g, "");
  if (sid) return `claude-${sid.slice(0, 8)}`;
  return null;
}
