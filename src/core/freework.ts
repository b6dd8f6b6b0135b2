// What a session can take without colliding, at the grain people claim: the packages and folders
// inside each zone, and those outside every zone. A zone with one claimed file is mostly free, not
// taken. Pure.
import type { Bead } from "./claims";
import { layoutUnits } from "./layout";
import { compile, isGlob, patternsOverlap } from "./match";
import type { Zone, ZoneKind } from "./zones";

export interface ZoneFreedom {
  zone: string;
  kind: ZoneKind;
  state: "free" | "partly" | "claimed";
  /** The zone's folders that no claim touches (empty without a file list, or when none is free). */
  free: string[];
  /** The claimed paths that fall inside the zone. */
  claimed: string[];
}

export interface FreeWork {
  zones: ZoneFreedom[];
  /** Units of the layout outside every zone that no claim touches. */
  outside: string[];
}

/** Folders one level below a zone's plain folder path, from the file list. */
function childFolders(path: string, files: readonly string[]): string[] {
  const base = path.endsWith("/") ? path : `${path}/`;
  const out = new Set<string>();
  for (const f of files) {
    if (!f.startsWith(base)) continue;
    const rest = f.slice(base.length);
    const i = rest.indexOf("/");
    if (i > 0) out.add(`${base}${rest.slice(0, i)}/`);
  }
  return [...out].sort();
}

/**
 * Each zone free, partly free (some claim inside it, naming the free folders when `files` is given)
 * or claimed (a claim covers the whole zone); and the free units of the layout outside every zone.
 */
export function freeWork(zones: readonly Zone[], claims: readonly Bead[], files: readonly string[] | null = null): FreeWork {
  const claimPaths = claims.flatMap((b) => b.files);
  const touched = (p: string) => claimPaths.some((c) => patternsOverlap(c, p));
  // A claim covers a zone path when it matches the path itself (a plain folder above it, or a glob).
  const covers = (c: string, p: string) => !isGlob(p) && compile(c)(p.replace(/\/+$/, ""));
  const out: ZoneFreedom[] = zones.map((z) => {
    const claimed = claimPaths.filter((c) => z.paths.some((p) => patternsOverlap(c, p)));
    if (!claimed.length) return { zone: z.name, kind: z.kind, state: "free", free: [], claimed };
    const whole = z.paths.every((p) => claimed.some((c) => covers(c, p)));
    if (whole) return { zone: z.name, kind: z.kind, state: "claimed", free: [], claimed };
    const folders = files ? z.paths.flatMap((p) => (isGlob(p) ? [p] : childFolders(p, files).length >= 2 ? childFolders(p, files) : [p])) : [];
    return { zone: z.name, kind: z.kind, state: "partly", free: folders.filter((f) => !touched(f)), claimed };
  });
  let outside: string[] = [];
  if (files) {
    // Plain zone paths (nearly all) by their folders, so a large repository costs one pass.
    const plain = new Set<string>();
    const globs: ((p: string) => boolean)[] = [];
    for (const z of zones) for (const p of z.paths) isGlob(p) ? globs.push(compile(p)) : plain.add(p.replace(/\/+$/, ""));
    const inZone = (f: string) => {
      for (let i = f.length; i > 0; i = f.lastIndexOf("/", i - 1)) if (plain.has(f.slice(0, i))) return true;
      return globs.some((m) => m(f));
    };
    outside = layoutUnits(files.filter((f) => !inZone(f)))
      .map((u) => u.path)
      .filter((p) => !touched(p));
  }
  return { zones: out, outside };
}

function list(items: readonly string[], max: number): string {
  return items.length > max ? `${items.slice(0, max).join(" ")} +${items.length - max}` : items.join(" ");
}

/** Banner lines: whole free zones, partly free ones with their free folders, free work outside zones. */
export function freeWorkLines(w: FreeWork): string[] {
  const label = (z: ZoneFreedom) => `${z.zone}${z.kind === "owned" ? "" : ` (${z.kind})`}`;
  const whole = w.zones.filter((z) => z.state === "free");
  const partly = w.zones.filter((z) => z.state === "partly");
  const parts = [`free zones: ${whole.length ? whole.map(label).join(", ") : partly.length ? "none whole" : "none"}`];
  if (partly.length) parts.push(`partly free: ${partly.map((z) => (z.free.length ? `${z.zone} (${list(z.free, 2)})` : `${z.zone} (all but ${list(z.claimed, 2)})`)).join(", ")}`);
  if (w.outside.length) parts.push(`outside zones: ${list(w.outside, 4)}`);
  return parts;
}

/**
 * The ready list as one session should see it: the best few, rotated by a hash of the session's
 * identity, so sessions that start together are offered different work first.
 */
export function rotateFor<T>(items: readonly T[], key: string, pool = 9): T[] {
  const best = items.slice(0, pool);
  if (best.length < 2) return [...items];
  let h = 2166136261;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619) >>> 0;
  const k = h % best.length;
  return [...best.slice(k), ...best.slice(0, k), ...items.slice(pool)];
}
