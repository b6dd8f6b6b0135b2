// The Bash parser, as a table: a command line → the paths it would write and the git operations
// that act on the whole checkout. Nothing is run.
import { describe, expect, test } from "bun:test";
import { analyze } from "../../src/core/bash";

/** "cwd/path via" strings, so a row reads like what the command does. */
const targets = (cmd: string) => analyze(cmd).targets.map((t) => `${t.cwd === "." ? "" : `${t.cwd}/`}${t.path} (${t.via})`);
const gitOps = (cmd: string) => analyze(cmd).git.map((g) => `${g.kind}${g.paths.length ? ` ${g.paths.join(" ")}` : ""}`);

const WRITES: [string, string[]][] = [
  ["echo hi > a.txt", ["a.txt (> redirection)"]],
  ["echo hi >> a.txt", ["a.txt (>> redirection)"]],
  ["make 2> err.log", ["err.log (2> redirection)"]],
  ["make &> all.log", ["all.log (&> redirection)"]],
  ["make >| forced.txt", ["forced.txt (>| redirection)"]],
  ["echo ok 2>/dev/null >&2", []],
  ["cat < in.txt", []],
  ["printf 'x' | tee out1 -a out2", ["out1 (tee)", "out2 (tee)"]],
  ["sed -i 's/a/b/' src/a.ts", ["src/a.ts (sed -i)"]],
  ["sed -i.bak -e 's/a/b/' x y", ["x (sed -i)", "y (sed -i)"]],
  ["sed -Ei 's/a/b/' f", ["f (sed -i)"]],
  ["sed --in-place=.orig s/a/b/ f", ["f (sed -i)"]],
  ["sed 's/a/b/' f > g", ["g (> redirection)"]],
  ["perl -pi -e 's/a/b/' f.pl", ["f.pl (perl -i)"]],
  ["perl -i.bak -pe 's/a/b/' g.pl h.pl", ["g.pl (perl -i)", "h.pl (perl -i)"]],
  ["perl -p -i -0777 -e 's/a/b/' k", ["k (perl -i)"]],
  ["sed --expression s/a/b/ --in-place f2", ["f2 (sed -i)"]],
  ["sed -l 80 -i s/a/b/ f3", ["f3 (sed -i)"]],
  ["sed -n p f4", []],
  ["perl -pe 's/a/b/' f5", []],
  ["cp a.txt b.txt", ["b.txt (cp)"]],
  ["cp -r src/ lib/ -t dest", ["dest (cp)"]],
  ["mv old.ts new.ts", ["new.ts (mv)", "old.ts (mv (source))"]],
  ["rm -rf build dist", ["build (rm)", "dist (rm)"]],
  ["rm -- -weird", ["-weird (rm)"]],
  ["touch -d yesterday a b", ["a (touch)", "b (touch)"]],
  ["truncate -s 0 log.txt", ["log.txt (truncate)"]],
  ["dd if=/dev/zero of=disk.img bs=1M count=1", ["disk.img (dd of=)"]],
  ["curl -sSo page.html https://example.invalid", ["page.html (curl -o)"]],
  ["ln -sf target link", ["link (ln)"]],
  ["ln -s target link", ["link (ln)"]],
  // Structure: lists, pipes, subshells, cd, wrappers, nested shells, substitutions.
  ["cd src && echo x > a.ts", ["src/a.ts (> redirection)"]],
  ["cd src; cd ../lib && rm x", ["lib/x (rm)"]],
  ["(cd sub && rm f); rm g", ["sub/f (rm)", "g (rm)"]],
  ["cd sub | true; rm g", ["g (rm)"]],
  ["FOO=1 BAR=2 rm x", ["x (rm)"]],
  ["env -i PATH=/bin sudo -u root nice -n 5 timeout 10 rm y", ["y (rm)"]],
  ["bash -c 'cd a && rm b'", ["a/b (rm)"]],
  ["sh -ec \"echo x > 'q r.txt'\"", ["q r.txt (> redirection)"]],
  ["eval 'rm z'", ["z (rm)"]],
  ["echo $(rm x) `touch y` <(sed -i s/a/b/ z)", ["x (rm)", "y (touch)", "z (sed -i)"]],
  ['echo "${X:-"}"}" > out3', ["out3 (> redirection)"]],
  ["echo ${Y:-$(touch w)} > out4", ["out4 (> redirection)", "w (touch)"]],
  ["if true; then rm a; else rm b; fi", ["a (rm)", "b (rm)"]],
  ["while read l; do echo $l >> out; done < in", ["out (>> redirection)"]],
  ["for f in a b; do rm $f; done", []],
  ["{ echo a; echo b; } > both.txt", ["both.txt (> redirection)"]],
  ["(make; make test) > build.log 2>&1", ["build.log (> redirection)"]],
  ["[[ a > b ]] && (( x > 3 )) && echo ok", []],
  ["echo 'a > b' \"c > d\" e\\>f", []],
  ["echo '#' > hash.txt # > not-this", ["hash.txt (> redirection)"]],
  ["cat <<EOF > out.txt\nrm -rf everything\nEOF\nrm after", ["out.txt (> redirection)", "after (rm)"]],
  ["cat <<-'X'\n\trm -rf no\n\tX\n", []],
  ["echo $'a\\'b' > \"$'q'\"", ["$'q' (> redirection)"]],
  ["rm src/*.ts", ["src/*.ts (rm)"]],
  ["git checkout -- a.ts b/", ["a.ts (git checkout --)", "b/ (git checkout --)"]],
  ["git checkout HEAD~1 -- a.ts", ["a.ts (git checkout --)"]],
  ["git restore .", [". (git restore)"]],
  ["git restore --staged a.ts", []],
  ["git restore --source HEAD --staged --worktree a.ts", ["a.ts (git restore)"]],
  ["git -C sub checkout -- x", ["sub/x (git checkout --)"]],
  ["git clean -fd", [". (git clean)"]],
  ["git clean -n", []],
  ["git stash push -m wip -- a.ts", ["a.ts (git stash)"]],
  ["git rm --cached a", []],
  ["git rm -r old/", ["old/ (git rm)"]],
];

describe("write targets", () => {
  for (const [cmd, want] of WRITES) {
    test(JSON.stringify(cmd), () => {
      expect(targets(cmd)).toEqual(want);
    });
  }
});

const GIT: [string, string[]][] = [
  ["git stash", ["stash"]],
  ["git stash -u", ["stash"]],
  ["git stash save 'msg words'", ["stash"]],
  ["git stash list && git stash pop", []],
  ["git reset --hard HEAD~1", ["reset-hard"]],
  ["git reset HEAD a.ts", []],
  ["git checkout main", ["checkout-ambiguous main"]],
  ["git checkout -b feature", []],
  ["git checkout -b feature origin/main", ["switch"]],
  ["git switch -c x", []],
  ["git add -A && git commit -m 'all of it'", ["add :/", "commit-staged"]],
  ["git add .", ["add ."]],
  ["git add src/a.ts", ["add src/a.ts"]],
  ["git commit -am 'quick'", ["commit-all :/"]],
  ["git commit -m msg -- a.ts b.ts", ["commit-paths a.ts b.ts"]],
  ["git -c user.name=x --no-pager commit --all -m m", ["commit-all :/"]],
  ["git log --oneline | head", []],
  ["cd sub && git stash", ["stash"]],
];

describe("git operations on the whole checkout", () => {
  for (const [cmd, want] of GIT) {
    test(JSON.stringify(cmd), () => {
      expect(gitOps(cmd)).toEqual(want);
    });
  }
  test("git -C records the folder the operation runs in", () => {
    expect(analyze("git -C ../other stash").git[0]?.cwd).toBe("../other");
  });
});

describe("what cannot be followed is reported, not guessed", () => {
  const UNKNOWN: [string, RegExp][] = [
    ["echo > $OUT", /expansion/],
    ["cd $DIR && rm x", /folder it runs in is not known/],
    ["cd - && rm x", /folder it runs in is not known/],
    ["ls | xargs rm", /xargs rm/],
    ["find . -name '*.o' -delete", /find/],
    ["echo 'unterminated", /could not be parsed/],
    ["bash -c \"$SCRIPT\"", /expanded script/],
    ["git --work-tree=$WT checkout -- .", /--work-tree/],
  ];
  for (const [cmd, re] of UNKNOWN) {
    test(JSON.stringify(cmd), () => {
      const a = analyze(cmd);
      expect(a.unknown.join("\n")).toMatch(re);
    });
  }
  test("a command that cannot be parsed yields one note and no guessed targets", () => {
    const a = analyze("rm first; echo 'oops");
    expect(a.targets).toEqual([]);
    expect(a.unknown).toHaveLength(1);
  });
});

describe("commit messages written the way Claude Code writes them", () => {
  test("a here-document inside $(...) with quotes and parentheses is data", () => {
    const a = analyze(`git commit -m "$(cat <<'EOF'\nFix: don't break (things) > 2\n\nCo-Authored-By: x\nEOF\n)"`);
    expect(a.unknown).toEqual([]);
    expect(a.targets).toEqual([]);
    expect(a.git.map((g) => g.kind)).toEqual(["commit-staged"]);
  });
});

describe("any input", () => {
  test("is analysed without throwing: 5,000 random strings of shell metacharacters", () => {
    const alphabet = ["a", " ", "'", '"', "\\", "$", "(", ")", "`", "<", ">", "&", "|", ";", "\n", "#", "{", "}", "*", "=", "-", "cd ", "rm ", "git ", "sed -i ", "<<E", "E\n", "$(", "2>"];
    let seed = 42;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed;
    };
    for (let n = 0; n < 5000; n++) {
      let s = "";
      const len = rnd() % 30;
      for (let i = 0; i < len; i++) s += alphabet[rnd() % alphabet.length];
      const a = analyze(s);
      expect(Array.isArray(a.targets) && Array.isArray(a.git) && Array.isArray(a.unknown)).toBe(true);
    }
  });
});

test("thousands of nested subshells are reported as unparseable, not a crash", () => {
  const deep = `${"( ".repeat(20_000)}rm x${" )".repeat(20_000)}`;
  expect(analyze(deep).unknown.join("")).toMatch(/could not be parsed/);
});
