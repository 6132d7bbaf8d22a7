import { env } from "cloudflare:test";
import { afterAll, describe, expect, it } from "vitest";
import { configSchema } from "../../../src/config/schema.ts";
import type { Env } from "../../../src/env.ts";
import { sandboxCheck } from "../../../src/doctor/checks/sandbox.ts";
import { standIns } from "../../support/llm-script.ts";
import { containerBinding } from "../../support/stand-in-container.ts";

const ids: string[] = [];
async function brokenBwrapRunner(): Promise<{ url: string; secret: string }> {
  const runner = (await (await fetch(`${standIns().runner.control}/runners?bwrap=missing`, { method: "POST" })).json()) as { url: string; secret: string; id: string };
  ids.push(runner.id);
  return runner;
}
afterAll(async () => {
  for (const id of ids) await fetch(`${standIns().runner.control}/runners/${id}`, { method: "DELETE" });
});

const check = (runner: { url: string; secret: string }, sandbox?: string) =>
  sandboxCheck({
    config: configSchema.parse({ tools: { exec: { runnerUrl: runner.url, runnerSecret: runner.secret, ...(sandbox ? { sandbox } : {}) } } }),
    env,
    origin: "http://127.0.0.1:8787",
    local: true,
  });

describe("doctor: sandbox", () => {
  it("should show bwrap as the sandbox in effect where bubblewrap works", async () => {
    expect(await check(standIns().runner)).toEqual([
      { check: "sandbox", status: "ok", detail: 'runner up, isolation bwrap: sandbox bwrap (tools.exec.sandbox "auto")', fix: "" },
    ]);
  });

  it("should fail, with the fix, when exec would refuse every command", async () => {
    const [finding] = await check(await brokenBwrapRunner());
    expect(finding.status).toBe("fail");
    expect(finding.detail).toMatch(/exec refuses commands — no sandbox — bubblewrap is not usable/);
    expect(finding.fix).toContain("apt-get install bubblewrap");
    expect(finding.fix).toContain('set tools.exec.sandbox to "none"');
  });

  it('should warn that commands run unsandboxed with tools.exec.sandbox "none"', async () => {
    const [finding] = await check(await brokenBwrapRunner(), "none");
    expect(finding.status).toBe("warn");
    expect(finding.detail).toContain('sandbox none — commands run without isolation (tools.exec.sandbox "none")');
  });
});


const deployedCheck = (isolation: "agent" | "user", workerEnv: Env) =>
  sandboxCheck({
    config: configSchema.parse({ agents: { isolation }, tools: { exec: { runnerSecret: standIns().runner.secret, sandbox: "bwrap" } } }),
    env: workerEnv,
    origin: "https://nanobot.example.workers.dev",
    local: false,
  });

describe("doctor: which sandbox instance it checked", () => {
  it('should name the shared container instance it reached with agents.isolation "agent"', async () => {
    const { reached, env: workerEnv } = containerBinding(standIns().runner);
    const [finding] = await deployedCheck("agent", workerEnv);
    expect(reached.length).toBeGreaterThan(0);
    expect(new Set(reached)).toEqual(new Set(["runner"]));
    expect(finding).toEqual({
      check: "sandbox",
      status: "ok",
      detail: 'runner up in a Cloudflare Container, instance "runner", isolation bwrap: sandbox bwrap (tools.exec.sandbox "bwrap")',
      fix: "",
    });
  });

  it('should say that instances are per workspace, started on first use, and not all checked with agents.isolation "user"', async () => {
    const { reached, env: workerEnv } = containerBinding(standIns().runner);
    const [finding] = await deployedCheck("user", workerEnv);
    expect(new Set(reached)).toEqual(new Set(["runner"]));
    expect(finding.status).toBe("ok");
    expect(finding.detail).toContain('instance "runner"');
    expect(finding.detail).toContain(
      'agents.isolation "user": every workspace has its own instance, started on its first command — doctor checked "runner" only and cannot check them all',
    );
  });

  it('should name the container instance it could not reach', async () => {
    const workerEnv = { ...env, SANDBOX_CONTAINER: { getByName: () => ({ fetch: async () => new Response("no container", { status: 503 }) }) } } as unknown as Env;
    const [finding] = await deployedCheck("user", workerEnv);
    expect(finding.status).toBe("fail");
    expect(finding.detail).toMatch(/^the sandbox runner is not reachable \(container instance "runner"\): /);
    expect(finding.detail).toContain("every workspace has its own instance");
  });

  it('should say that every workspace shares a runner reached by URL under agents.isolation "user"', async () => {
    const [finding] = await sandboxCheck({
      config: configSchema.parse({ agents: { isolation: "user" }, tools: { exec: { runnerUrl: standIns().runner.url, runnerSecret: standIns().runner.secret } } }),
      env,
      origin: "http://127.0.0.1:8787",
      local: true,
    });
    expect(finding.detail).toMatch(/^runner up, isolation bwrap: /);
    expect(finding.detail).toContain('agents.isolation "user": every workspace shares this runner');
  });
});
