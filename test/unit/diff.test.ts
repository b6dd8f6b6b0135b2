// The unified diff coord init --dry-run prints: hunks with three lines of context, new and removed files.
import { describe, expect, test } from "bun:test";
import { unifiedDiff } from "../../src/core/diff";

/** Applies a unified diff the way patch would, to check the hunks say what changed. */
function apply(before: string, diff: string): string {
  const src = before === "" ? [] : before.replace(/\n$/, "").split("\n");
  const out: string[] = [];
  let at = 0;
  for (const hunk of diff.split(/^(?=@@ )/m).slice(1)) {
    const m = /^@@ -(\d+),(\d+) \+\d+,\d+ @@\n/.exec(hunk);
    if (!m) throw new Error(`bad hunk: ${hunk}`);
    const start = Number(m[2]) === 0 ? Number(m[1]) : Number(m[1]) - 1;
    while (at < start) out.push(src[at++] as string);
    for (const line of hunk.slice(m[0].length).split("\n")) {
      if (line.startsWith(" ")) {
        expect(src[at]).toBe(line.slice(1));
        out.push(src[at++] as string);
      } else if (line.startsWith("-")) {
        expect(src[at]).toBe(line.slice(1));
        at++;
      } else if (line.startsWith("+")) out.push(line.slice(1));
    }
  }
  while (at < src.length) out.push(src[at++] as string);
  return out.length ? `${out.join("\n")}\n` : "";
}

describe("unified diff", () => {
  test("one changed line, with its context", () => {
    expect(unifiedDiff("f", "a\nb\nc\n", "a\nB\nc\n")).toBe("--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c");
  });

  test("a new file comes from /dev/null; equal texts give nothing", () => {
    expect(unifiedDiff("coord.toml", null, "x\n")).toBe("--- /dev/null\n+++ b/coord.toml\n@@ -0,0 +1,1 @@\n+x");
    expect(unifiedDiff("f", "same\n", "same\n")).toBe("");
  });

  test.each([
    ["two distant changes", "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n", "1\n2\nX\n4\n5\n6\n7\n8\n9\n10\nY\n12\n13\n"],
    ["an appended section", "# T\n\nrules\n", "# T\n\nrules\n\n<!-- coord:begin -->\n## S\n<!-- coord:end -->\n"],
    ["a replaced middle", "a\nb\nc\nd\ne\nf\ng\nh\n", "a\nb\nc\nX\nY\nZ\ng\nh\n"],
    ["everything removed", "a\nb\n", ""],
  ])("%s: applying the hunks gives the new text", (_n, before, after) => {
    expect(apply(before, unifiedDiff("f", before, after))).toBe(after);
  });
});
