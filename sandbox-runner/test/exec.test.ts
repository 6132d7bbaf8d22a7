import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { processesWith, startTestRunner, type TestRunner } from "./runner-harness.ts";

let runner: TestRunner;
beforeAll(async () => {
  runner = await startTestRunner();
});
afterAll(() => runner.dispose());

const exec = async (body: Record<string, unknown>) => {
  const res = await runner.call("POST", "/exec", { workspace: "exec-ws", ...body });
  return { status: res.status, body: (await res.json()) as any };
};

describe("runner exec", () => {
  it("should report stdout, stderr and the exit code separately", async () => {
    const { status, body } = await exec({ command: "echo out; echo err >&2; exit 3" });
    expect(status).toBe(200);
    expect(body).toMatchObject({ stdout: "out\n", stderr: "err\n", exitCode: 3, timedOut: false });
    expect(body.durationMs).toBeGreaterThanOrEqual(0);
  });

  it("should kill the whole process tree on timeout and leave no process behind", async () => {
    const marker = `sleep 37.${Date.now() % 100000}`;
    const { body } = await exec({ command: `(${marker}) & ${marker}; echo never`, timeoutS: 1 });
    expect(body.timedOut).toBe(true);
    expect(body.stdout).not.toContain("never");
    expect(() => process.kill(body.pid, 0)).toThrow(/ESRCH/);
    expect(await processesWith(marker)).toEqual([]);
  });

  it("should not let background children outlive a finished command", async () => {
    const marker = `sleep 41.${Date.now() % 100000}`;
    const { body } = await exec({ command: `${marker} > /dev/null 2>&1 & echo started` });
    expect(body).toMatchObject({ stdout: "started\n", exitCode: 0, timedOut: false });
    expect(await processesWith(marker)).toEqual([]);
  });

  it("should cap 1 MB of output to its head and tail with a truncation note", async () => {
    const { body } = await exec({
      command: "echo FIRST-LINE; head -c 1048576 /dev/zero | tr '\\0' 'x'; echo; echo LAST-LINE",
      maxOutputBytes: 16 * 1024,
    });
    expect(body.exitCode).toBe(0);
    expect(body.stdout.startsWith("FIRST-LINE\n")).toBe(true);
    expect(body.stdout.trimEnd().endsWith("LAST-LINE")).toBe(true);
    expect(body.stdout).toMatch(/\.\.\. \(\d+ bytes truncated\) \.\.\./);
    expect(body.stdout.length).toBeLessThan(20 * 1024);
    expect(body.truncated.stdout).toBeGreaterThan(1_000_000);
  });

  it("should give commands a minimal environment without the runner's secret", async () => {
    process.env.RUNNER_TEST_LEAK = "leaked-value";
    const { body } = await exec({ command: "env", env: { GREETING: "hello" } });
    delete process.env.RUNNER_TEST_LEAK;
    expect(body.stdout).toContain("GREETING=hello");
    expect(body.stdout).toContain("TERM=dumb");
    expect(body.stdout).not.toContain(runner.secret);
    expect(body.stdout).not.toContain("leaked-value");
  });

  it("should refuse runner settings in the requested environment", async () => {
    const { status, body } = await exec({ command: "env", env: { RUNNER_SECRET: "x" } });
    expect(status).toBe(400);
    expect(body.message).toContain("RUNNER_");
  });

  it("should run in a working directory inside the workspace and refuse a missing one", async () => {
    await exec({ command: "mkdir -p sub/dir" });
    const ok = await exec({ command: "pwd", cwd: "sub/dir" });
    expect(ok.body.stdout.trim()).toMatch(/sub\/dir$/);
    const missing = await exec({ command: "pwd", cwd: "nope" });
    expect(missing.status).toBe(400);
    expect(missing.body.message).toContain("working_dir 'nope' does not exist");
    const escape = await exec({ command: "pwd", cwd: "../other" });
    expect(escape.status).toBe(400);
  });

  it("should kill the command when the client goes away", async () => {
    const marker = `sleep 43.${Date.now() % 100000}`;
    const pending = runner
      .call("POST", "/exec", { workspace: "exec-abort", command: marker, timeoutS: 30 })
      .catch(() => null);
    // the abort must reach a running command: wait until it shows up
    for (let i = 0; i < 100 && (await processesWith(marker)).length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect((await processesWith(marker)).length).toBeGreaterThan(0);
    runner.server.closeAllConnections(); // what a Worker's aborted fetch looks like to the runner
    await pending;
    for (let i = 0; i < 100 && (await processesWith(marker)).length > 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await processesWith(marker)).toEqual([]);
  });

  it("should answer 429 when a workspace has too many queued commands", async () => {
    const busy = await startTestRunner({ maxConcurrentPerWorkspace: 1, maxQueuedPerWorkspace: 0 });
    try {
      const first = busy.call("POST", "/exec", { workspace: "q", command: "sleep 1" });
      await new Promise((r) => setTimeout(r, 300));
      const second = await busy.call("POST", "/exec", { workspace: "q", command: "true" });
      expect(second.status).toBe(429);
      const other = await busy.call("POST", "/exec", { workspace: "other", command: "true" });
      expect(other.status).toBe(200);
      expect((await first).status).toBe(200);
    } finally {
      await busy.dispose();
    }
  });
});
