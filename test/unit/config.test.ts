// coord.toml syntax errors name the line, which Bun's TOML parser does not report by itself.
import { describe, expect, test } from "bun:test";
import { tomlErrorLine } from "../../src/edges/config";

const err = (text: string) => {
  try {
    Bun.TOML.parse(text);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("parsed");
};

describe("the line of a TOML syntax error", () => {
  test.each([
    ["an unclosed table header", '[settings]\nrefresh_budget_ms = 2000\n\n[[zone]\nname = "api"\n', 4],
    ["a doubled equals sign", 'a = 1\nb = = 2\n', 2],
    ["an unterminated string after a multi-line array", 'paths = [\n  "a",\n  "b",\n]\nname = "x\n', 5],
  ])("%s", (_n, text, line) => {
    expect(tomlErrorLine(text, err(text))).toBe(line);
  });
});

describe("a long coord.toml with an error near its end", () => {
  const body = Array.from({ length: 20_000 }, (_, i) => `# zone ${i}\n[[zone]]\nname = "z${i}"\nkind = "owned"\npaths = ["d${i}/"]`).join("\n");
  const text = `${body}\nbroken = = 1\n${'x = "tail"\n'.repeat(10)}`;
  const line = body.split("\n").length + 1;

  test("names the line, parsing a handful of prefixes rather than one per line", () => {
    let parses = 0;
    const parse = Bun.TOML.parse;
    Bun.TOML.parse = (t) => {
      parses++;
      return parse(t);
    };
    try {
      expect(tomlErrorLine(text, err(text))).toBe(line);
    } finally {
      Bun.TOML.parse = parse;
    }
    expect(parses).toBeLessThanOrEqual(Math.ceil(Math.log2(line + 10)) + 2);
  }, 30_000);
});
