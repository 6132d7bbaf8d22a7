/**
 * End to end with the real `npm start` in a throwaway project: a broken nanobot.config.json is reported on
 * /health (503) and the API (500) with line and column instead of hanging, and saving a fixed file recovers the
 * running gateway without a restart; the gateway's terminal says so each time.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startGatewayProcess, type GatewayProcess } from "../support/gateway-process.ts";
import { createTempProject, type TempProject } from "../support/temp-project.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const TRAILING_COMMA = '{\n  "api": { "apiKey": "e2e-key" },\n  "agents": { "defaults": { "model": "m" } },\n}\n';
const SYNTAX_ERROR = "nanobot.config.json: line 4, column 1: trailing comma before '}' (remove the last comma)";

async function timed(url: string, init?: RequestInit): Promise<{ status: number; body: string; ms: number }> {
  const started = Date.now();
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
  const body = await res.text();
  return { status: res.status, body, ms: Date.now() - started };
}

/** Polls /health until it answers `status`; returns how long that took. */
async function healthBecomes(gateway: GatewayProcess, status: number, timeoutMs = 30_000): Promise<{ body: string; ms: number }> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    try {
      const res = await fetch(`${gateway.url}/health`, { signal: AbortSignal.timeout(5_000) });
      const body = await res.text();
      if (res.status === status) return { body, ms: Date.now() - started };
    } catch {
      // reloading
    }
    await sleep(100);
  }
  throw new Error(`/health never answered ${status}. Output:\n${gateway.output()}`);
}

let project: TempProject | undefined;
let gateway: GatewayProcess | undefined;
const persistDir = mkdtempSync(path.join(os.tmpdir(), "nanobot-config-e2e-"));
afterAll(async () => {
  await gateway?.stop();
  project?.remove();
  rmSync(persistDir, { recursive: true, force: true });
});

describe("config mistakes under npm start", () => {
  it("should report a trailing comma with line and column, never hang, and recover after the fix without a restart", async () => {
    project = createTempProject();
    writeFileSync(project.file("nanobot.config.json"), TRAILING_COMMA);
    gateway = await startGatewayProcess(persistDir, {}, 120_000, { cwd: project.dir, readyStatuses: [200, 503] });

    const health = await timed(`${gateway.url}/health`);
    expect(health.status).toBe(503);
    expect(JSON.parse(health.body)).toEqual({ status: "error", error: SYNTAX_ERROR });
    expect(health.ms).toBeLessThan(1000);

    const chat = await timed(`${gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: "Bearer e2e-key", "content-type": "application/json" },
      body: JSON.stringify({ messages: [{ role: "user", content: "hi" }] }),
    });
    expect(chat.status).toBe(500);
    expect(JSON.parse(chat.body).error.message).toBe(`Invalid configuration: ${SYNTAX_ERROR}`);
    expect(chat.ms).toBeLessThan(1000);
    await expect.poll(() => gateway!.output(), { timeout: 10_000 }).toContain(`config invalid: ${SYNTAX_ERROR}; fix nanobot.config.json and save, the gateway reloads by itself`);

    writeFileSync(project.file("nanobot.config.json"), TRAILING_COMMA.replace("} },\n}", "} }\n}"));
    const recovered = await healthBecomes(gateway, 200);
    expect(recovered.ms).toBeLessThan(10_000);
    await expect.poll(() => gateway!.output(), { timeout: 10_000 }).toContain("nanobot.config.json fixed, config OK");

    writeFileSync(project.file("nanobot.config.json"), '{\n  "agnets": {}\n}\n');
    const unknown = await healthBecomes(gateway, 503);
    expect(unknown.ms).toBeLessThan(10_000);
    expect(JSON.parse(unknown.body).error).toBe('agnets: unknown key (did you mean "agents"?)');
    await expect.poll(() => gateway!.output(), { timeout: 10_000 }).toContain('nanobot.config.json changed, config invalid: agnets: unknown key (did you mean "agents"?)');
  }, 240_000);
});
