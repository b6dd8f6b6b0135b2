// coord.toml's [worktree] table: templates checked when the file is read, rendered per checkout.
import { describe, expect, test } from "bun:test";
import { exportLines, renderTemplate, templateVars, worktreeEnv } from "../../src/core/wtenv";
import { ConfigError, templateProblem, validateConfig } from "../../src/core/zones";

const facts = (index: number) => ({ index, name: index ? `w${index}` : "main", root: `/r/shop${index ? `-w${index}` : ""}`, mainRoot: "/r/shop", dbDir: `/r/shop-w${index}/.coord/db` });

describe("[worktree] templates", () => {
  test("a port offset per worktree: the main checkout keeps the fixed port", () => {
    expect(renderTemplate("{{ 8080 + index }}", templateVars(facts(0)))).toBe("8080");
    expect(renderTemplate("{{ 8080 + index }}", templateVars(facts(2)))).toBe("8082");
    expect(renderTemplate("{{5432+index*10}}", templateVars(facts(3)))).toBe("5462");
    expect(renderTemplate("{{ 9000 - index }}", templateVars(facts(1)))).toBe("8999");
  });

  test("names fill text: a database URL, a compose project", () => {
    const env = worktreeEnv({ DATABASE_URL: "sqlite:///{{ db_dir }}/dev.db", COMPOSE_PROJECT_NAME: "{{repo}}-{{name}}", PORT: "{{ 3000 + index }}" }, facts(1));
    expect(env).toEqual([
      ["DATABASE_URL", "sqlite:////r/shop-w1/.coord/db/dev.db"],
      ["COMPOSE_PROJECT_NAME", "shop-w1"],
      ["PORT", "3001"],
    ]);
    expect(exportLines(env)).toEqual(["export DATABASE_URL=sqlite:////r/shop-w1/.coord/db/dev.db", "export COMPOSE_PROJECT_NAME=shop-w1", "export PORT=3001"]);
    expect(exportLines([["X", "a b'c"]])).toEqual([`export X='a b'\\''c'`]);
  });

  test("mistakes are named when coord.toml is read, not when a session starts", () => {
    expect(templateProblem("{{ 8080 + idx }}")).toContain('unknown name "idx"');
    expect(templateProblem("{{ 8080 + }}")).toContain("is not a sum");
    expect(templateProblem("{{ name + 1 }}")).toContain("only index and whole numbers");
    expect(templateProblem("{{ 8080 + index")).toContain("unbalanced");
    expect(templateProblem("plain")).toBeNull();
    expect(() => validateConfig({ worktree: { "BAD-NAME": "1" } })).toThrow(ConfigError);
    expect(() => validateConfig({ worktree: { PORT: "{{ port }}" } })).toThrow(/worktree\.PORT: unknown name "port"/);
    expect(validateConfig({ worktree: { PORT: "{{ 8080 + index }}", N: 3 } }).worktreeEnv).toEqual({ PORT: "{{ 8080 + index }}", N: "3" });
  });

  test("backups_kept is a whole number in [settings]", () => {
    expect(validateConfig({ settings: { backups_kept: 3 } }).settings.backupsKept).toBe(3);
    expect(() => validateConfig({ settings: { backups_kept: 2.5 } })).toThrow(/whole number/);
  });
});
