// What one hook event concludes, as a value: every rule (file guard, Bash guard, commit gate)
// returns one, they combine through strongest(), and only the host's encoder turns it into bytes.

export type Verdict = "allow" | "warn" | "ask" | "deny";

export interface Outcome {
  verdict: Verdict;
  /** The rendered card of a refusal or a question; null otherwise. */
  reason: string | null;
  /** Lines the model sees (Claude Code's additionalContext), also shown to the person. */
  context: string[];
  /** Diagnostics for stderr only: neither the model nor the person reads them. */
  log: string[];
}

const RANK: Record<Verdict, number> = { allow: 0, warn: 1, ask: 2, deny: 3 };

export const allow = (context: string[] = [], log: string[] = []): Outcome => ({ verdict: context.length ? "warn" : "allow", reason: null, context, log });
export const denyOut = (card: string, context: string[] = []): Outcome => ({ verdict: "deny", reason: card, context, log: [] });
export const askOut = (card: string, context: string[] = []): Outcome => ({ verdict: "ask", reason: card, context, log: [] });
export const logOut = (log: string[]): Outcome => ({ verdict: "allow", reason: null, context: [], log });

/**
 * The strongest verdict wins (deny > ask > warn > allow) and keeps its reason: the first outcome
 * of that rank. Every context and log line is kept, in order, without repeats.
 */
export function strongest(...outcomes: readonly Outcome[]): Outcome {
  let best: Outcome = allow();
  for (const o of outcomes) if (RANK[o.verdict] > RANK[best.verdict]) best = o;
  const uniq = (xs: string[]) => [...new Set(xs.filter(Boolean))];
  const context = uniq(outcomes.flatMap((o) => o.context));
  const verdict = best.verdict === "allow" && context.length ? "warn" : best.verdict;
  return { verdict, reason: best.reason, context, log: uniq(outcomes.flatMap((o) => o.log)) };
}

/** An ask that nobody can answer (a headless session) becomes a warning: the tool runs, the model is told. */
export function unaskable(o: Outcome): Outcome {
  if (o.verdict !== "ask") return o;
  return { ...o, verdict: "warn", reason: null, context: [o.reason ?? "", ...o.context].filter(Boolean) };
}
