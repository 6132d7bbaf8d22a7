import { existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bwrapWorks } from "../src/isolation.ts";
import { startTestRunner, type TestRunner } from "./runner-harness.ts";

const runnerSource = path.resolve(import.meta.dirname, "../src/server.ts");
const isRoot = process.getuid?.() === 0;
const hasBwrap = bwrapWorks();

async function exec(runner: TestRunner, workspace: string, command: string) {
  const res = await runner.call("POST", "/exec", { workspace, command, sync: { epoch: null } });
  return (await res.json()) as any;
}

describe("runner isolation (detected)", () => {
  let runner: TestRunner;
  beforeAll(async () => {
    runner = await startTestRunner();
  });
  afterAll(() => runner.dispose());

  it("should report the strongest isolation this host offers in /health", async () => {
    const health = (await (await runner.call("GET", "/health")).json()) as any;
    expect(health.isolation).toBe(hasBwrap ? "bwrap" : isRoot ? "user" : "none");
  });

  it("should keep the runner's own files out of reach and system directories read-only", async () => {
    writeFileSync(path.join(runner.root, "state", "secret-marker.txt"), "runner-private");
    const result = await exec(runner, "iso-ws", [
      `cat ${runnerSource} > /dev/null 2>&1 && echo SOURCE-READABLE`,
      `cat ${runner.root}/state/secret-marker.txt 2>/dev/null && echo STATE-READABLE`,
      `touch /usr/nanobot-probe 2>/dev/null && echo USR-WRITABLE`,
      "id -u",
      "echo ok > inside.txt && cat inside.txt",
    ].join("; "));
    if (hasBwrap) {
      expect(result.stdout).not.toContain("SOURCE-READABLE");
      expect(result.stdout).not.toContain("STATE-READABLE");
      expect(result.stdout).not.toContain("USR-WRITABLE");
      expect(result.stdout).toContain("1000\n");
      expect(existsSync("/usr/nanobot-probe")).toBe(false);
    } else if (isRoot) {
      // Fallback: a dedicated unprivileged uid per workspace; the state directory is root-only.
      expect(result.stdout).not.toContain("STATE-READABLE");
      expect(result.stdout).not.toContain("USR-WRITABLE");
      expect(result.stdout).toMatch(/^\d{6}$/m);
    } else {
      expect(result.stdout).toContain("ok\n");
    }
    expect(result.stdout).toContain("ok\n");
  });

  it("should mount the workspace at /workspace under bwrap and use the workspace directory otherwise", async () => {
    const result = await exec(runner, "mount-ws", "pwd; echo $HOME");
    const dir = hasBwrap ? "/workspace" : path.join(runner.root, "workspaces", "mount-ws");
    expect(result.stdout).toBe(`${dir}\n${dir}\n`);
  });
});

// As in the container image (RUNNER_CONTAINER=1), where the container is the sandbox and bwrap is often unusable.
describe("runner isolation (forced fallback in a container)", () => {
  let runner: TestRunner;
  beforeAll(async () => {
    runner = await startTestRunner({ isolation: isRoot ? "user" : "none", container: true });
  });
  afterAll(() => runner.dispose());

  it("should run each workspace as its own unprivileged user when bwrap is not used", async () => {
    const health = (await (await runner.call("GET", "/health")).json()) as any;
    expect(health.isolation).toBe(isRoot ? "user" : "none");
    const a = await exec(runner, "user-a", "id -u; echo private > mine.txt");
    const b = await exec(runner, "user-b", `id -u; cat ${runner.root}/workspaces/user-a/mine.txt 2>/dev/null || echo DENIED; cat ${runner.root}/state/uids.json 2>/dev/null || echo STATE-DENIED`);
    if (isRoot) {
      const [uidA, uidB] = [a.stdout.split("\n")[0], b.stdout.split("\n")[0]];
      expect(Number(uidA)).toBeGreaterThanOrEqual(100_000);
      expect(uidB).not.toBe(uidA);
      expect(b.stdout).toContain("DENIED\n");
      expect(b.stdout).toContain("STATE-DENIED\n");
      expect(a.changedFiles.changed.map((f: any) => f.path)).toEqual(["mine.txt"]);
    } else {
      expect(a.exitCode).toBe(0);
    }
  });
});
