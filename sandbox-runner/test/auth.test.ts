import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestRunner, type TestRunner } from "./runner-harness.ts";

let runner: TestRunner;
beforeAll(async () => {
  runner = await startTestRunner();
});
afterAll(() => runner.dispose());

describe("runner authentication", () => {
  it("should answer a correctly signed health check", async () => {
    const res = await runner.call("GET", "/health");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok", isolation: runner.isolation });
  });

  it("should reject a request without a signature with 401", async () => {
    const res = await fetch(`${runner.url}/health`);
    expect(res.status).toBe(401);
    const exec = await fetch(`${runner.url}/exec`, { method: "POST", body: JSON.stringify({ workspace: "w", command: "id" }) });
    expect(exec.status).toBe(401);
  });

  it("should reject a signature made with another secret with 401", async () => {
    const res = await runner.call("GET", "/health", undefined, { "x-runner-signature": "ab".repeat(32) });
    expect(res.status).toBe(401);
  });

  it("should reject a body that differs from the signed one with 401", async () => {
    const signed = JSON.stringify({ workspace: "auth-ws", command: "echo signed" });
    const res = await fetch(`${runner.url}/exec`, {
      method: "POST",
      headers: runner.signedHeaders("POST", "/exec", signed),
      body: JSON.stringify({ workspace: "auth-ws", command: "echo tampered" }),
    });
    expect(res.status).toBe(401);
  });

  it("should reject a replayed request with 401", async () => {
    const headers = runner.signedHeaders("GET", "/health", "");
    expect((await fetch(`${runner.url}/health`, { headers })).status).toBe(200);
    expect((await fetch(`${runner.url}/health`, { headers })).status).toBe(401);
  });

  it("should reject a timestamp older than five minutes with 401", async () => {
    const headers = runner.signedHeaders("GET", "/health", "", Date.now() - 6 * 60 * 1000);
    expect((await fetch(`${runner.url}/health`, { headers })).status).toBe(401);
  });

  it("should answer the unauthenticated liveness probe without details", async () => {
    const res = await fetch(`${runner.url}/livez`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
  });
});
