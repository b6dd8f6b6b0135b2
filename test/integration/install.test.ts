// install.sh against release files served over HTTP on 127.0.0.1, in clean HOMEs, run by /bin/sh.
// The release folder comes from scripts/release itself (host platform only: building all four is
// slow), so the installer is tested against the names and SHA256SUMS a real release has.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, cleanEnv, cleanupAll, must, sh, tempDir } from "../support/world";

const INSTALL = join(ROOT, "install.sh");
const VERSION = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;
const HOST = `${process.platform}-${process.arch}`;
const BINARY = `coord-${VERSION}-${HOST}`;

let served: string;
let server: ReturnType<typeof Bun.serve>;
let base: string;
const hits: string[] = [];

/** Serves `served/<dir>/<file>`; anything else is a 404, as GitHub answers a missing asset. */
function startServer(): void {
  server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(req) {
      const path = decodeURIComponent(new URL(req.url).pathname);
      hits.push(path);
      if (path.includes("..")) return new Response("no", { status: 400 });
      const file = Bun.file(join(served, path));
      return (await file.exists()) ? new Response(file) : new Response("Not Found", { status: 404 });
    },
  });
  base = `http://127.0.0.1:${server.port}`;
}

beforeAll(() => {
  served = tempDir("coord-served-");
  const release = join(served, "release");
  must(sh(["bash", join(ROOT, "scripts/release"), "--platform", HOST, "--out", release], ROOT, cleanEnv(tempDir())), "scripts/release");

  // Same SHA256SUMS, one flipped byte in the binary: what a corrupted or tampered download looks like.
  const tampered = join(served, "tampered");
  cpSync(release, tampered, { recursive: true });
  const bin = readFileSync(join(tampered, BINARY));
  bin.writeUInt8(bin.readUInt8(bin.length - 1) ^ 0xff, bin.length - 1);
  writeFileSync(join(tampered, BINARY), bin);

  // SHA256SUMS without the binary it lists.
  mkdirSync(join(served, "sums-only"));
  cpSync(join(release, "SHA256SUMS"), join(served, "sums-only/SHA256SUMS"));
  mkdirSync(join(served, "empty"));

  // A binary whose checksum is right but which this machine cannot execute (another CPU, another libc).
  const foreign = join(served, "foreign");
  mkdirSync(foreign);
  const junk = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46]), Buffer.alloc(60, 0xee)]);
  writeFileSync(join(foreign, BINARY), junk);
  writeFileSync(join(foreign, "SHA256SUMS"), `${new Bun.CryptoHasher("sha256").update(junk).digest("hex")}  ${BINARY}\n`);
  startServer();
});

afterAll(() => {
  server?.stop(true);
  cleanupAll();
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  home: string;
  bin: string;
}

/** Runs install.sh under /bin/sh in a fresh HOME. Asynchronous: the server answers from this process. */
async function install(args: string[], extra: Record<string, string | undefined> = {}, home = tempDir("coord-home-")): Promise<Run> {
  const env = cleanEnv(home, extra);
  const p = Bun.spawn(["/bin/sh", INSTALL, ...args], { cwd: home, env, stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  return { code, stdout, stderr, home, bin: join(extra.COORD_INSTALL_DIR ?? join(home, ".local/bin"), "coord") };
}

const leftovers = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((f) => f !== "coord") : []);

describe("install.sh --from a local HTTP server", () => {
  test("installs a working coord into ~/.local/bin of a clean HOME", async () => {
    expect(readFileSync(join(served, "release/SHA256SUMS"), "utf8")).toContain(`  ${BINARY}\n`);
    const r = await install(["--from", `${base}/release/`]);
    expect(r.stderr).toContain(`installed ${r.bin}`);
    expect(r.code).toBe(0);
    const v = sh([r.bin, "--version"], r.home, cleanEnv(r.home));
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(new RegExp(`^coord ${VERSION.replace(/\./g, "\\.")} \\([0-9a-f]{7,}(-dirty)?\\)\\n$`));
    expect(r.stderr).toContain(`warning: ${join(r.home, ".local/bin")} is not on your PATH`);
    expect(r.stderr).toContain("next: in your git repository, run: coord init");
    expect(leftovers(join(r.home, ".local/bin"))).toEqual([]);
    expect(hits).toContain(`/release/${BINARY}`);
  });

  test("with wget instead of curl, into COORD_INSTALL_DIR, which is on PATH: no PATH warning", async () => {
    const dir = join(tempDir(), "tools");
    const r = await install(["--from", `${base}/release`], { COORD_INSTALL_DIR: dir, COORD_INSTALL_DOWNLOADER: "wget", PATH: `${dir}:${process.env.PATH}` });
    expect(r.stderr).toContain(`installed ${dir}/coord`);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain("not on your PATH");
    expect(sh([join(dir, "coord"), "--version"], dir, cleanEnv(r.home)).stdout).toStartWith(`coord ${VERSION} (`);
  });

  test("a second install replaces the first and says which version it replaced", async () => {
    const first = await install(["--from", `${base}/release/`]);
    const again = await install(["--from", `${base}/release/`, "--version", `v${VERSION}`], {}, first.home);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain(`(replaced coord ${VERSION} (`);
  });

  test("a checksum mismatch is refused and leaves the installed coord untouched", async () => {
    const home = tempDir("coord-home-");
    const bin = join(home, ".local/bin/coord");
    mkdirSync(join(home, ".local/bin"), { recursive: true });
    writeFileSync(bin, "#!/bin/sh\necho 'coord 0.0.1 (old)'\n");
    chmodSync(bin, 0o755);
    const before = readFileSync(bin);

    const r = await install(["--from", `${base}/tampered/`], {}, home);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`checksum mismatch for ${BINARY}`);
    expect(r.stderr).toContain("Nothing was installed");
    expect(r.stderr).not.toContain("installed /");
    expect(readFileSync(bin).equals(before)).toBe(true);
    expect(leftovers(join(home, ".local/bin"))).toEqual([]);
  });

  test("a binary that cannot run here is refused after its checksum passed, and the old coord stays", async () => {
    const first = await install(["--from", `${base}/release/`]);
    const before = readFileSync(first.bin);
    const r = await install(["--from", `${base}/foreign/`], {}, first.home);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`the downloaded ${BINARY} does not run here`);
    expect(readFileSync(first.bin).equals(before)).toBe(true);
    expect(leftovers(join(first.home, ".local/bin"))).toEqual([]);
  });

  test("an unknown platform is refused before anything is downloaded", async () => {
    const before = hits.length;
    const cpu = await install(["--from", `${base}/release/`], { COORD_INSTALL_UNAME_M: "riscv64" });
    expect(cpu.code).toBe(1);
    expect(cpu.stderr).toContain("no coord binary for this processor");
    expect(cpu.stderr).toContain("riscv64");
    const os = await install(["--from", `${base}/release/`], { COORD_INSTALL_UNAME_S: "FreeBSD", COORD_INSTALL_UNAME_M: "amd64" });
    expect(os.code).toBe(1);
    expect(os.stderr).toContain("no coord binary for this system (FreeBSD amd64)");
    expect(hits.length).toBe(before);
    expect(existsSync(cpu.bin) || existsSync(os.bin)).toBe(false);
  });

  test("a known platform the release lacks is named, and nothing is installed", async () => {
    const other = process.arch === "arm64" ? "x86_64" : "aarch64";
    const r = await install(["--from", `${base}/release/`], { COORD_INSTALL_UNAME_M: other });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`has no coord binary for ${process.platform}-${process.arch === "arm64" ? "x64" : "arm64"}`);
    expect(existsSync(r.bin)).toBe(false);
  });

  test("a binary missing from the server is an error, and nothing is installed", async () => {
    const r = await install(["--from", `${base}/sums-only/`]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`could not get ${BINARY} from ${base}/sums-only/`);
    expect(existsSync(r.bin)).toBe(false);
    expect(leftovers(join(r.home, ".local/bin"))).toEqual([]);
  });

  test("a missing SHA256SUMS is an error: nothing unchecked is installed", async () => {
    const r = await install(["--from", `${base}/empty/`]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`could not get SHA256SUMS from ${base}/empty/`);
    expect(existsSync(r.bin)).toBe(false);
  });

  test("--from also takes a folder", async () => {
    const r = await install(["--from", join(served, "release")]);
    expect(r.code).toBe(0);
    expect(sh([r.bin, "--version"], r.home, cleanEnv(r.home)).stdout).toStartWith(`coord ${VERSION} (`);
  });
});
