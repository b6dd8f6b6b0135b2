// The files a unified or git diff changes, read from its headers (`diff --git a/x b/y`, `--- x`,
// `+++ y`), with patch's -p stripping. Pure: the hook reads a patch file and hands its text here.

/** Paths named by a patch, `strip` leading parts removed (null: 0 and 1 both, as patch would guess). */
export function patchedPaths(text: string, strip: number | null): string[] {
  const names = new Set<string>();
  for (const line of text.split("\n")) {
    let m = /^diff --git "?a\/(.+?)"? "?b\/(.+?)"?$/.exec(line);
    if (m) {
      names.add(`a/${m[1]}`);
      names.add(`b/${m[2]}`);
      continue;
    }
    m = /^(?:---|\+\+\+) (.+?)(?:\t.*)?$/.exec(line);
    if (m?.[1] && m[1] !== "/dev/null") names.add(m[1].replace(/^"(.*)"$/, "$1"));
  }
  const out = new Set<string>();
  for (const n of names) {
    for (const p of strip === null ? [0, 1] : [strip]) {
      const parts = n.split("/").filter((x) => x !== "");
      if (parts.length > p) out.add(parts.slice(p).join("/"));
    }
  }
  return [...out];
}
