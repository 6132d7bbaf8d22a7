import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { findProgram, hostMountsFor } from "../src/mcp/sandboxed-launch.ts";

const base = mkdtempSync(path.join(os.tmpdir(), "launch-test-"));
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe("what a stdio MCP server gets mounted in the sandbox", () => {
  it("should mount the project folder of a script (nearest package.json), read-only at the same path", () => {
    const project = path.join(base, "proj");
    mkdirSync(path.join(project, "src", "deep"), { recursive: true });
    writeFileSync(path.join(project, "package.json"), "{}");
    writeFileSync(path.join(project, "src", "deep", "server.js"), "");
    expect(hostMountsFor("/usr/bin/node", { command: "node", args: ["--flag", path.join(project, "src", "deep", "server.js")], env: {} })).toEqual([project]);
  });

  it("should mount a symlinked program's target folder too, and a script without a project as its folder", () => {
    const tools = path.join(base, "tools");
    const bin = path.join(base, "bin");
    mkdirSync(tools);
    mkdirSync(bin);
    writeFileSync(path.join(tools, "server.py"), "");
    symlinkSync(path.join(tools, "server.py"), path.join(bin, "server"));
    expect(hostMountsFor(path.join(bin, "server"), { command: path.join(bin, "server"), args: [], env: {} }).sort()).toEqual([bin, tools].sort());
  });

  it("should mount nothing for system programs and relative arguments", () => {
    expect(hostMountsFor("/usr/bin/env", { command: "env", args: ["-y", "some-server", "./rel"], env: {} })).toEqual([]);
    expect(findProgram("sh")).toMatch(/\/sh$/);
    expect(findProgram("/nonexistent/x")).toBeNull();
  });
});
