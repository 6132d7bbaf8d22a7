import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { cleanEnv, runCli } from "../support/run-cli.ts";

interface Seen {
  method: string;
  path: string;
  auth: string | undefined;
  body: unknown;
}

/** A gateway stand-in for /api/cron only: answers like src/api/cron-route.ts and records what it got. */
async function cronGateway(): Promise<{ url: string; seen: Seen[]; close(): Promise<void> }> {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (c: Buffer) => (raw += c.toString()));
    req.on("end", () => {
      seen.push({ method: req.method!, path: req.url!, auth: req.headers.authorization, body: raw ? JSON.parse(raw) : null });
      res.setHeader("content-type", "application/json");
      if (req.headers.authorization !== "Bearer key-1") return res.writeHead(401).end(JSON.stringify({ error: { message: "Invalid API key" } }));
      if (req.method === "GET")
        return res.end(
          JSON.stringify({ jobs: [{ id: "ab12cd34", name: "standup", session: "telegram:42", schedule: { kind: "cron", expr: "0 9 * * 1-5", tz: "UTC" }, nextRunAt: Date.UTC(2030, 0, 1, 9) }] }),
        );
      if (req.method === "POST") {
        const body = JSON.parse(raw) as { cron_expr?: string; message: string };
        if (body.cron_expr === "bad") return res.writeHead(400).end(JSON.stringify({ error: { message: "Error: invalid cron expression 'bad'" } }));
        return res.writeHead(201).end(JSON.stringify({ job: { id: "ef56ab78", name: body.message, nextRunAt: Date.UTC(2030, 0, 1) } }));
      }
      return res.end(JSON.stringify({ removed: req.url!.split("/").pop() }));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, seen, close: () => new Promise<void>((r) => server.close(() => r())) };
}

let gateway: Awaited<ReturnType<typeof cronGateway>> | null = null;
afterEach(async () => {
  await gateway?.close();
  gateway = null;
});

describe("npx nanobot cron", () => {
  it("should list, add and remove jobs through /api/cron with the API key", async () => {
    gateway = await cronGateway();
    const env = cleanEnv({ NANOBOT_URL: gateway.url, NANOBOT_API_KEY: "key-1" });
    const list = await runCli(["cron", "list"], { env });
    expect(list.code).toBe(0);
    expect(list.stdout).toContain("- standup (id: ab12cd34, cron: 0 9 * * 1-5 (UTC)) in telegram:42, next run: 2030-01-01T09:00:00.000Z");
    const add = await runCli(["cron", "add", "--session", "telegram:42", "-m", "water plants", "--every", "3600"], { env });
    expect(add.code).toBe(0);
    expect(add.stdout).toContain("Created job 'water plants' (id: ef56ab78)");
    expect(gateway.seen[1]).toMatchObject({ method: "POST", path: "/api/cron", auth: "Bearer key-1", body: { session: "telegram:42", message: "water plants", every_seconds: 3600 } });
    const remove = await runCli(["cron", "remove", "ef56ab78"], { env });
    expect(remove.code).toBe(0);
    expect(gateway.seen[2]).toMatchObject({ method: "DELETE", path: "/api/cron/ef56ab78" });
  });

  it("should print the gateway's error and exit non-zero for a bad expression", async () => {
    gateway = await cronGateway();
    const result = await runCli(["cron", "add", "-m", "x", "--cron", "bad"], { env: cleanEnv({ NANOBOT_URL: gateway.url, NANOBOT_API_KEY: "key-1" }) });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("invalid cron expression 'bad'");
  });
});
