import { env } from "cloudflare:test";
import { afterAll, describe, expect, it } from "vitest";
import { configSchema } from "../../../src/config/schema.ts";
import { sandboxCheck } from "../../../src/doctor/checks/sandbox.ts";
import { standIns } from "../../support/llm-script.ts";

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
