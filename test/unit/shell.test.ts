// The shell analyzer (src/core/shell/), table by table: what bash does with quoting and
// expansions, the structure it runs, each program of the table, git, and the bounds on hostile input.
import { describe, expect, test } from "bun:test";
import { analyze } from "../../src/core/shell/walk";
import { pathspecsMatch } from "../../src/core/shell/git";
import { patchedPaths } from "../../src/core/shell/patch";
import { ansiC, braceExpand, LIMITS } from "../../src/core/shell/lex";
import { PROGRAMS, WRAPPERS, WRITERS } from "../../src/core/shell/programs";

const targets = (cmd: string) => analyze(cmd).targets.map((t) => `${t.cwd === "." ? "" : `${t.cwd}/`}${t.path} (${t.via})${t.scope && t.scope !== "all" ? ` [${t.scope}]` : ""}`);
const gitOps = (cmd: string) => analyze(cmd).git.map((g) => `${g.kind}${g.paths.length ? ` ${g.paths.join(" ")}` : ""}${g.cwd && g.cwd !== "." ? ` @${g.cwd}` : ""}`);
const unknown = (cmd: string) => analyze(cmd).unknown.join("\n");

function table(name: string, rows: [string, string[]][], f: (cmd: string) => string[] = targets) {
  describe(name, () => {
    for (const [cmd, want] of rows) test(JSON.stringify(cmd), () => expect(f(cmd)).toEqual(want));
  });
}

table("quoting: what the shell passes after quote removal", [
  ["echo x > $'f\\x2etxt'", ["f.txt (> redirection)"]],
  ["echo x > $'\\u0066.txt'", ["f.txt (> redirection)"]],
  ["echo x > $'\\146.txt'", ["f.txt (> redirection)"]],
  ["echo x > $'a\\tb'", ["a\tb (> redirection)"]],
  ["echo x > $\"loc.txt\"", ["loc.txt (> redirection)"]],
  ["echo x > 'it''s'", ["its (> redirection)"]],
  ["echo x > \"a b\"", ["a b (> redirection)"]],
  ["echo x > a\\ b", ["a b (> redirection)"]],
  ["echo x > '*.txt'", ["*.txt (> redirection)"]],
]);

table("brace and range expansion", [
  ["tee {e..g}.txt", ["e.txt (tee)", "f.txt (tee)", "g.txt (tee)"]],
  ["rm src/{a,b}.ts", ["src/a.ts (rm)", "src/b.ts (rm)"]],
  ["touch f{1..3}", ["f1 (touch)", "f2 (touch)", "f3 (touch)"]],
  ["touch f{01..10..4}", ["f01 (touch)", "f05 (touch)", "f09 (touch)"]],
  ["rm {a,b{c,d}}", ["a (rm)", "bc (rm)", "bd (rm)"]],
  ["rm '{a,b}'", ["{a,b} (rm)"]],
  ["rm {a}", ["{a} (rm)"]],
  ["X={a,b} rm y", ["y (rm)"]],
  ["cp x{,.bak}", ["x.bak (cp)"]],
]);

describe("ANSI-C quoting and brace expansion as functions", () => {
  test("escapes", () => {
    expect(ansiC("\\x41\\101\\u00e9\\cA\\E'", 0).value).toBe("AAé\x01\x1b");
  });
  test("a brace expansion larger than the limit is refused, not expanded", () => {
    const w = "{1..100000}".split("");
    expect(() => braceExpand(w, w.map(() => false))).toThrow(/brace expansion/);
    expect(unknown("touch {1..100000}")).toMatch(/brace expansion of more than/);
  });
});

table("structure: subshells, arithmetic, functions, case", [
  ["((rm f) )", ["f (rm)"]],
  ["(( x > 3 )) && rm g", ["g (rm)"]],
  ["echo $((rm h) )", ["h (rm)"]],
  ["echo $(( 1 > 2 ))", []],
  ["f() { :; }; rm a", ["a (rm)"]],
  ["f() { rm inside; }; f", ["inside (rm)"]],
  ["function g { echo x > in.txt; }; g", ["in.txt (> redirection)"]],
  ["case x in y) ;; esac; rm after", ["after (rm)"]],
  ["case $1 in a|b) rm a;; (c) rm c;& *) echo > d;; esac", ["a (rm)", "c (rm)", "d (> redirection)"]],
  ["case x in\n  y)\n    rm y\n    ;;\nesac", ["y (rm)"]],
  ["[[ -f a && b > c ]] && rm d", ["d (rm)"]],
  ["for ((i=0; i<3; i++)); do rm x; done", ["x (rm)"]],
  ["cat <<EOF\n$(rm inheredoc)\nEOF", ["inheredoc (rm)"]],
  ["cat <<'EOF'\n$(rm quoted)\nEOF", []],
  ["exec 3> fd.txt", ["3> (redirection)".replace("3> (redirection)", "fd.txt (3> redirection)")]],
  ["exec {out}> named.txt", ["named.txt (> redirection)"]],
  ["cmd <> rw.txt", ["rw.txt (<> redirection)"]],
  ["rm first\necho 'unterminated", ["first (rm)"]],
  ["cd a && (cd b; rm x) && rm y", ["a/b/x (rm)", "a/y (rm)"]],
]);

table("bash and sh option parsing", [
  ["bash -c -- 'echo x > a.txt'", ["a.txt (> redirection)"]],
  ["bash -c -e 'rm b'", ["b (rm)"]],
  ["bash -O extglob -c 'rm c'", ["c (rm)"]],
  ["bash --rcfile F -c 'rm d'", ["d (rm)"]],
  ["bash --norc --noprofile -c 'rm e'", ["e (rm)"]],
  ["sh -xec 'rm f'", ["f (rm)"]],
  ["bash -lc 'cd sub && rm g'", ["sub/g (rm)"]],
  ["bash +x -c 'rm h'", ["h (rm)"]],
  ["bash -o pipefail -c 'rm i'", ["i (rm)"]],
  ["dash -c 'rm j' arg0 arg1", ["j (rm)"]],
  ["busybox sh -c 'rm k'", ["k (rm)"]],
  ["bash <<'EOF'\nrm l\nEOF", []],
]);

// Every row of the program table: what a typical use writes (or that it writes nothing).
const PROGRAM_ROWS: Record<string, [string, string[]][]> = {
  rm: [["rm -rf build", ["build (rm)"]], ["rm -- -x", ["-x (rm)"]]],
  unlink: [["unlink a", ["a (unlink)"]], ["rmdir d", ["d (rmdir)"]]],
  shred: [["shred -n 3 -u secret", ["secret (shred)"]]],
  touch: [["touch -r ref a", ["a (touch)"]]],
  truncate: [["truncate -s 0 log", ["log (truncate)"]]],
  fallocate: [["fallocate -l 1M img", ["img (fallocate)"]]],
  tee: [["echo x | tee -a o1 o2", ["o1 (tee)", "o2 (tee)"]]],
  sponge: [["sort f | sponge f", ["f (sponge)"]]],
  dos2unix: [["dos2unix a.txt", ["a.txt (dos2unix)"]]],
  unix2dos: [["unix2dos b.txt", ["b.txt (unix2dos)"]]],
  chmod: [["chmod +x run.sh", ["run.sh (chmod)"]], ["chmod --reference=r a", ["a (chmod)"]]],
  chown: [["chown u:g f", ["f (chown)"]]],
  chgrp: [["chgrp g f", ["f (chgrp)"]]],
  cp: [["cp a b", ["b (cp)"]], ["cp -t dest a", ["dest (cp)"]], ["cp -rT src out", ["out (cp)"]]],
  mv: [["mv a b", ["b (mv)", "a (mv (source))"]]],
  ln: [["ln -sf t l", ["l (ln)"]]],
  link: [["link a b", ["b (link)"]]],
  install: [["install -m 755 bin /usr/local/bin/x", ["/usr/local/bin/x (install)"]]],
  rsync: [["rsync -av --exclude x src dst", ["dst (rsync)"]], ["rsync -a --delete src/ dst/", ["dst/ (rsync --delete)"]], ["rsync -a src host:dst", []]],
  dd: [["dd if=a of=b", ["b (dd of=)"]]],
  sed: [["sed -i s/a/b/ f", ["f (sed -i)"]], ["sed -n p f", []]],
  perl: [["perl -pi -e s/a/b/ f", ["f (perl -i)"]]],
  awk: [["awk -i inplace '{print}' f g", ["f (awk -i inplace)", "g (awk -i inplace)"]], ["gawk -i inplace -v x=1 '{print}' h", ["h (gawk -i inplace)"]], ["awk '{print $1}' f", []]],
  sort: [["sort -o out.txt in.txt", ["out.txt (sort -o)"]], ["sort -k2 -t, in", []]],
  uniq: [["uniq in out", ["out (uniq)"]]],
  iconv: [["iconv -f latin1 -t utf8 -o out in", ["out (iconv -o)"]]],
  split: [["split -l 10 f", []]],
  gzip: [
    ["gzip f", ["f.gz (gzip)", "f (gzip (source))"]],
    ["gzip -k f", ["f.gz (gzip)"]],
    ["gzip -c f > f.gz", ["f.gz (> redirection)"]],
    ["gunzip a.gz", ["a (gunzip)", "a.gz (gunzip (source))"]],
    ["xz -d b.xz", ["b (xz)", "b.xz (xz (source))"]],
    ["zstd c", ["c.zst (zstd)"]],
  ],
  curl: [["curl -sSo page.html https://x.invalid", ["page.html (curl -o)"]], ["curl -O https://x.invalid/a/b.tgz", ["b.tgz (curl -O)"]], ["curl https://x.invalid", []]],
  wget: [["wget -O out https://x.invalid", ["out (wget -O)"]]],
  patch: [["patch f.c fix.diff", ["f.c (patch)"]], ["patch -o out.c f.c < d", ["out.c (patch -o)"]]],
  tar: [["tar -czf out.tgz src", ["out.tgz (tar -f)"]], ["tar czf out2.tgz src", ["out2.tgz (tar -f)"]], ["tar -tf a.tar", []]],
  unzip: [["unzip -l a.zip", []]],
  zip: [["zip -r out.zip src", ["out.zip (zip)"]], ["zip -m a.zip f", ["a.zip (zip)", "f (zip -m)"]]],
  ed: [["ed -s f < script", ["f (ed)"]], ["ex -sc 'wq' g", ["g (ex)"]]],
  vim: [["vim -es +%s/a/b/ +wq f", ["f (vim)"]], ["vim -R f", []]],
  emacs: [["emacs --batch f --eval '(save-buffer)'", ["f (emacs)"]], ["emacs f", []]],
  gofmt: [["gofmt -w main.go", ["main.go (gofmt -w) [changed]"]], ["gofmt -l .", []]],
  goimports: [["goimports -w x.go", ["x.go (goimports -w) [changed]"]]],
  "clang-format": [["clang-format -i a.c", ["a.c (clang-format -i) [changed]"]]],
  prettier: [["prettier --write src", ["src (prettier --write) [changed]"]], ["prettier --check src", []]],
  black: [["black .", [". (black) [changed]"]], ["black --check .", []]],
  isort: [["isort a.py", ["a.py (isort) [changed]"]]],
  rustfmt: [["rustfmt src/main.rs", ["src/main.rs (rustfmt) [changed]"]]],
  shfmt: [["shfmt -w s.sh", ["s.sh (shfmt -w) [changed]"]]],
  ruff: [["ruff format", [". (ruff) [changed]"]], ["ruff check .", []]],
  eslint: [["eslint --fix src", ["src (eslint --fix) [changed]"]], ["eslint src", []]],
  biome: [["biome format --write src", ["src (biome --write) [changed]"]]],
  sudo: [["sudo -u root rm x", ["x (rm)"]]],
  doas: [["doas -u root rm x", ["x (rm)"]]],
  timeout: [["timeout -s KILL 10 rm x", ["x (rm)"]]],
  nice: [["nice -n 5 rm x", ["x (rm)"]], ["nice -5 rm y", ["y (rm)"]]],
  nohup: [["nohup rm x &", ["x (rm)"]]],
  setsid: [["setsid -f rm x", ["x (rm)"]]],
  ionice: [["ionice -c 3 rm x", ["x (rm)"]]],
  chrt: [["chrt -f 10 rm x", ["x (rm)"]]],
  taskset: [["taskset -c 0 rm x", ["x (rm)"]]],
  stdbuf: [["stdbuf -oL rm x", ["x (rm)"]]],
  time: [["time -p rm x", ["x (rm)"]]],
  builtin: [["builtin cd sub && rm x", ["sub/x (rm)"]]],
  exec: [["exec rm x", ["x (rm)"]]],
  chronic: [["chronic rm x", ["x (rm)"]]],
  unbuffer: [["unbuffer rm x", ["x (rm)"]]],
  caffeinate: [["caffeinate -i rm x", ["x (rm)"]]],
  fakeroot: [["fakeroot rm x", ["x (rm)"]]],
  strace: [["strace -o trace.txt rm x", ["trace.txt (strace -o)", "x (rm)"]]],
  ltrace: [["ltrace rm x", ["x (rm)"]]],
  valgrind: [["valgrind rm x", ["x (rm)"]]],
  nsenter: [["nsenter -t 1 rm x", ["x (rm)"]]],
  unshare: [["unshare -r rm x", ["x (rm)"]]],
  prlimit: [["prlimit --nofile=10 rm x", ["x (rm)"]]],
  numactl: [["numactl -N 0 rm x", ["x (rm)"]]],
  firejail: [["firejail --quiet rm x", ["x (rm)"]]],
  busybox: [["busybox rm x", ["x (rm)"]]],
  npx: [["npx prettier --write a.ts", ["a.ts (prettier --write) [changed]"]]],
  bunx: [["bunx prettier --write b.ts", ["b.ts (prettier --write) [changed]"]]],
  command: [["command rm x", ["x (rm)"]], ["command -v rm", []]],
  env: [["env -i A=1 rm x", ["x (rm)"]], ["env -C sub rm x", ["sub/x (rm)"]], ["env -S 'rm y z'", ["y (rm)", "z (rm)"]]],
  flock: [["flock /tmp/l rm x", ["x (rm)"]], ["flock -w 5 /tmp/l -c 'rm y'", ["y (rm)"]]],
  script: [["script -qc 'rm x' /dev/null", ["x (rm)"]]],
  watch: [["watch -n 1 rm x", ["x (rm)"]]],
  su: [["su -c 'rm x' root", ["x (rm)"]]],
  runuser: [["runuser -u nobody -- rm x", ["x (rm)"]]],
  xargs: [["ls | xargs -0 sh -c 'echo > fixed.txt'", ["fixed.txt (> redirection)"]], ["ls | xargs grep x", []]],
  parallel: [["parallel rm fixed ::: a b", ["fixed (rm)"]]],
  find: [["find . -name x -exec rm fixed \\;", ["fixed (rm)"]], ["find . -fprint list.txt", ["list.txt (find -fprint)"]], ["find . -name '*.ts'", []]],
  eval: [["eval 'rm x'", ["x (rm)"]]],
  bash: [["bash -c 'rm x'", ["x (rm)"]]],
  source: [["source env.sh", []]],
  ".": [[". env.sh", []]],
  python: [["python3 -m pytest", []]],
  node: [["node -e 'x'", []]],
  bun: [["bun test", []]],
  deno: [["deno fmt --check", []]],
  ruby: [["ruby -e 'x'", []]],
  php: [["php -r 'x'", []]],
  lua: [["lua -e 'x'", []]],
  Rscript: [["Rscript -e 'x'", []]],
  osascript: [["osascript -e 'x'", []]],
};

describe("the program table", () => {
  test("every program has a row in this test's table, and every row here names a program", () => {
    expect(Object.keys(PROGRAM_ROWS).sort()).toEqual(Object.keys(PROGRAMS).sort());
  });
  test("writers and wrappers are derived from the table", () => {
    for (const w of ["rm", "cp", "sed", "tar", "gzip", "gunzip", "gawk", "rsync", "patch", "vim"]) expect(WRITERS.has(w)).toBe(true);
    for (const w of ["sudo", "timeout", "env", "nice", "nohup", "setsid", "ionice", "flock", "script", "busybox", "xargs", "find", "sh", "bash"]) expect(WRAPPERS.has(w)).toBe(true);
    for (const w of ["ls", "cat", "grep", "git"]) expect(WRITERS.has(w) || WRAPPERS.has(w)).toBe(false);
  });
  for (const [name, rows] of Object.entries(PROGRAM_ROWS)) {
    describe(name, () => {
      for (const [cmd, want] of rows) test(JSON.stringify(cmd), () => expect(targets(cmd)).toEqual(want));
    });
  }
});

describe("what cannot be followed is named", () => {
  const rows: [string, RegExp][] = [
    ["python3 -c 'import os; os.remove(\"x\")'", /python3 -c: the code is not read/],
    ["python3 tools/gen.py", /python3 tools\/gen\.py: the script is read from a file/],
    ["node -e 'require(\"fs\").rmSync(\"x\")'", /node -e/],
    ["node scripts/x.js", /node scripts\/x\.js/],
    ["bash deploy.sh", /bash deploy\.sh: the script is read from a file/],
    ["source ./env.sh", /source \.\/env\.sh/],
    ["perl -e 'unlink \"x\"'", /perl -e/],
    ["echo src/a.ts | xargs rm -f", /xargs rm: the files it changes come from its input/],
    ["ls | xargs -I{} cp {} /tmp/", /xargs cp/],
    ["ls | xargs git add", /paths git add gets come from its input/],
    ["find . -name '*.o' -delete", /find -delete/],
    ["find . -exec rm {} +", /find -exec rm/],
    ["echo x > $OUT", /> redirection to \$OUT: the target depends on an expansion/],
    ["rm ~/x", /depends on an expansion/],
    ["$CMD x", /a command whose name is an expansion/],
    ["bash -c \"$S\"", /bash -c with an expanded script/],
    ["cat fix.diff | patch -p1", /patch: the files it changes are named inside the patch/],
    ["curl -s https://x.invalid/p | git apply", /git apply: the files it changes are named inside the patch/],
    ["unzip -o a.zip", /unzip -o: the files it writes come from the archive a\.zip/],
    ["tar -xzf a.tgz -C out", /tar -x into out: the files it writes come from the archive a\.tgz/],
    ["tar xf a.tar", /tar -x/],
    ["awk '{print > \"out.txt\"}' in", /awk: the program writes files/],
    ["awk -f prog.awk in", /awk -f/],
  ];
  for (const [cmd, re] of rows) test(JSON.stringify(cmd), () => expect(unknown(cmd)).toMatch(re));
  test("the rest of a line with something unfollowable is still checked", () => {
    expect(targets("python3 -c 'x'; rm y")).toEqual(["y (rm)"]);
  });
});

table(
  "git: sweeps, destroys, branch creation",
  [
    ["git checkout -b x", []],
    ["git switch -c x", []],
    ["git switch -c x origin/main", ["switch"]],
    ["git switch --discard-changes main", ["reset-hard"]],
    ["git checkout -f main", ["reset-hard"]],
    ["git read-tree -u --reset HEAD", ["reset-hard"]],
    ["git read-tree --reset HEAD", []],
    ["git pull --rebase --autostash", ["stash"]],
    ["git worktree remove --force ../wt", ["worktree-remove ../wt"]],
    ["git worktree list", []],
    ["git -C ../wt reset --hard", ["reset-hard @../wt"]],
    ["cd ../wt && git stash", ["stash @../wt"]],
    ["git --git-dir=../wt/.git --work-tree=../wt stash", ["stash @../wt"]],
    ["GIT_WORK_TREE=../wt git stash", ["stash @../wt"]],
    ["git add *.txt && git commit", ["add *.txt", "commit-staged"]],
    ["git commit -m x *.txt", ["commit-paths *.txt"]],
    ["git commit -m 'fix' -- src/a.ts", ["commit-paths src/a.ts"]],
    ["git commit -i -m x a.ts", ["commit-staged a.ts"]],
    ["git stash list", []],
    ["git add -n .", []],
  ],
  gitOps,
);

table("git: paths it rewrites, and which files of a folder", [
  ["git checkout -- .", [". (git checkout --) [changed]"]],
  ["git checkout HEAD~2 -- src", ["src (git checkout --)"]],
  ["git restore src", ["src (git restore) [changed]"]],
  ["git restore --source HEAD~1 src", ["src (git restore)"]],
  ["git clean -fd", [". (git clean) [untracked]"]],
  ["git clean -fdX", [". (git clean -X) [ignored]"]],
  ["git clean -fdx", [". (git clean -x) [untracked+ignored]"]],
  ["git checkout-index -f -a", [". (git checkout-index -f -a) [changed]"]],
  ["git checkout-index -a", []],
  ["git -C ../wt checkout -- .", ["../wt/. (git checkout --) [changed]"]],
  ["git --work-tree=/tmp/x checkout -- .", ["/tmp/x/. (git checkout --) [changed]"]],
  ["git stash push -- a.ts", ["a.ts (git stash) [changed]"]],
]);

describe("patches: where the patch comes from, and the files it names", () => {
  const refs = (cmd: string) => analyze(cmd).patches.map((p) => `${p.via} ${p.path ?? `text:${p.text?.split("\n")[0]}`} -p${p.strip ?? "?"} @${p.cwd}`);
  const rows: [string, string[]][] = [
    ["patch -p1 < fix.diff", ["patch fix.diff -p1 @."]],
    ["patch -p0 -i fix.diff", ["patch fix.diff -p0 @."]],
    ["patch -d sub -p1 < ../fix.diff", ["patch ../fix.diff -p1 @sub"]],
    ["patch < fix.diff", ["patch fix.diff -p? @."]],
    ["git apply fix.diff other.diff", ["git apply fix.diff -p1 @.", "git apply other.diff -p1 @."]],
    ["git apply -p2 fix.diff", ["git apply fix.diff -p2 @."]],
    ["git apply --check fix.diff", []],
    ["cd src && git apply < ../fix.diff", ["git apply ../fix.diff -p1 @src"]],
    ["patch -p1 <<'EOF'\n--- a/x.ts\n+++ b/x.ts\nEOF", ["patch text:--- a/x.ts -p1 @."]],
  ];
  for (const [cmd, want] of rows) test(JSON.stringify(cmd), () => expect(refs(cmd)).toEqual(want));
  test("the files named by a unified diff and a git diff, stripped as -p says", () => {
    const diff = "diff --git a/src/a.ts b/src/b.ts\nsimilarity index 90%\n--- a/src/a.ts\n+++ b/src/b.ts\n@@ -1 +1 @@\n--- /dev/null\n+++ b/new.ts\t2024-01-01 00:00:00\n";
    expect(patchedPaths(diff, 1).sort()).toEqual(["new.ts", "src/a.ts", "src/b.ts"]);
    expect(patchedPaths("--- x.ts\n+++ x.ts\n", null)).toEqual(["x.ts"]);
  });
});

describe("git pathspecs, matched as git matches them", () => {
  const rows: [string[], string, string, boolean][] = [
    [["*.txt"], "", "a/b.txt", true],
    [["*.txt"], "", "a/b.ts", false],
    [[":(glob)*.txt"], "", "a/b.txt", false],
    [[":(glob)**/*.txt"], "", "a/b.txt", true],
    [["src"], "", "src/a.ts", true],
    [["."], "src", "src/a.ts", true],
    [["."], "src", "lib/a.ts", false],
    [[":/lib"], "src", "lib/a.ts", true],
    [["../lib"], "src", "lib/a.ts", true],
    [[".", ":!src/a.ts"], "", "src/a.ts", false],
    [[":^src/a.ts"], "", "src/b.ts", true],
    [["f?.md"], "", "f1.md", true],
    [[":(literal)*.txt"], "", "x.txt", false],
  ];
  for (const [specs, prefix, path, want] of rows) test(`${specs.join(" ")} in ${prefix || "/"} ${want ? "selects" : "leaves"} ${path}`, () => expect(pathspecsMatch(specs, prefix, path)).toBe(want));
});

describe("the commands that run, for readers of argv", () => {
  test("wrappers, nested shells and substitutions all report their commands", () => {
    const a = analyze("cd sub && sudo bd close b-1 && bash -c 'bd update b-2 --status=closed' && echo $(bd list)");
    const argv = a.commands.map((c) => c.argv.join(" "));
    expect(argv).toContain("bd close b-1");
    expect(argv).toContain("bd update b-2 --status=closed");
    expect(argv).toContain("bd list");
    expect(a.commands.find((c) => c.argv[1] === "close")?.cwd).toBe("sub");
  });
});

describe("bounds on hostile input", () => {
  test("a command larger than the limit is not read at all", () => {
    const big = `echo ${"x".repeat(LIMITS.chars + 1)} > a`;
    const t0 = performance.now();
    const a = analyze(big);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(a.unknown.join("")).toMatch(/more than coord reads/);
  });
  test("deep nesting of every kind ends with a named note, not a crash", () => {
    for (const deep of [`${"( ".repeat(20_000)}rm x${" )".repeat(20_000)}`, `${"$(".repeat(5000)}rm x${")".repeat(5000)}`, `${'"$('.repeat(3000)}x${')"'.repeat(3000)}`, `${"{ ".repeat(5000)}rm x${"; }".repeat(5000)}`, `${"bash -c '".repeat(1)}${"eval ".repeat(50)}rm x'`]) {
      const a = analyze(deep);
      expect(Array.isArray(a.targets)).toBe(true);
      if (!a.targets.length) expect(a.unknown.join("")).toMatch(/nested too deeply|could not be parsed/);
    }
  });
});
