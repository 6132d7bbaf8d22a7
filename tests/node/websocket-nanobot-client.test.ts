/**
 * A client written from nanobot's WebSocket docs (tests/support/nanobot-ws-client.ts) against the real
 * `npm start` gateway, configured the way docs/websocket.md's "Example setup" is: a custom path, a token
 * issue path and secret. One gateway for all cases.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGatewayProcess, type GatewayProcess } from "../support/gateway-process.ts";
import { issueNanobotToken, NanobotClient } from "../support/nanobot-ws-client.ts";
import { startStandInLlm, type StandInLlm } from "../support/stand-in-llm.ts";

const WS_PATH = "/chat/ws";
const ISSUE_PATH = "/auth/token";
const SECRET = "issue-secret";
const API_KEY = "api-key-ws";

let llm: StandInLlm;
let gateway: GatewayProcess;
let persistDir: string;
const wsBase = () => gateway.url.replace(/^http/, "ws");
const label = (l: string) => `${l}-${Math.random().toString(36).slice(2, 10)}`;
const script = (match: string, steps: unknown[]) => fetch(`${llm.url}/__scripts`, { method: "POST", body: JSON.stringify({ match, steps }) });

beforeAll(async () => {
  llm = await startStandInLlm();
  persistDir = mkdtempSync(path.join(os.tmpdir(), "nanobot-ws-"));
  gateway = await startGatewayProcess(persistDir, {
    agents: { defaults: { provider: "custom", model: "test-model" } },
    providers: { custom: { apiKey: "sk-test", apiBase: `${llm.url}/v1` } },
    api: { apiKey: API_KEY },
    channels: { websocket: { path: `${WS_PATH}/`, tokenIssuePath: ISSUE_PATH, tokenIssueSecret: SECRET, allowFrom: ["*"] } },
  });
}, 150_000);

afterAll(async () => {
  await gateway?.stop();
  await llm?.close();
  if (persistDir) rmSync(persistDir, { recursive: true, force: true });
});

describe("a client written from nanobot's WebSocket docs", () => {
  it("should get single-use tokens from tokenIssuePath with either header, and nothing without the secret", async () => {
    expect((await fetch(`${gateway.url}${ISSUE_PATH}`)).status).toBe(401);
    expect((await fetch(`${gateway.url}${ISSUE_PATH}`, { headers: { "X-Nanobot-Auth": "wrong" } })).status).toBe(401);
    for (const via of ["bearer", "x-nanobot-auth"] as const) {
      const issued = await issueNanobotToken(gateway.url, ISSUE_PATH, SECRET, via);
      expect(issued.token).toMatch(/^nbwt_[A-Za-z0-9_-]{20,}$/);
      expect(issued).toMatchObject({ expires_in: 300, ws_path: WS_PATH });
    }
    const { token } = await issueNanobotToken(gateway.url, ISSUE_PATH, SECRET, "bearer");
    const first = await NanobotClient.connect(wsBase(), WS_PATH, { client_id: "alice", token });
    expect(first.ready).toMatchObject({ event: "ready", client_id: "alice" });
    first.close();
    await expect(NanobotClient.connect(wsBase(), WS_PATH, { client_id: "alice", token })).rejects.toThrow(/handshake failed/);
    await expect(NanobotClient.connect(wsBase(), WS_PATH, { client_id: "alice" })).rejects.toThrow(/handshake failed/);
  });

  it("should chat without a client_id, with streaming, then in a new_chat", { timeout: 60_000 }, async () => {
    const { token } = await issueNanobotToken(gateway.url, ISSUE_PATH, SECRET, "x-nanobot-auth");
    const client = await NanobotClient.connect(wsBase(), WS_PATH, { token });
    expect(client.ready.client_id).toMatch(/^anon-[0-9a-f]{12}$/);
    expect(client.ready.chat_id).toMatch(/^[A-Za-z0-9_:-]{1,64}$/);

    const one = label("one");
    await script(one, [{ content: "First answer, streamed in small pieces.", chunkSize: 5 }]);
    client.sendLegacy(`hello ${one}`);
    const first = await client.answer(client.ready.chat_id!);
    expect(first.text).toBe("First answer, streamed in small pieces.");
    expect(first.deltas).toBeGreaterThan(3);

    const chatId = await client.newChat();
    expect(chatId).not.toBe(client.ready.chat_id);
    const two = label("two");
    await script(two, [{ content: "Second chat answer.", chunkSize: 4 }]);
    client.send(chatId, `again ${two}`);
    expect((await client.answer(chatId)).text).toBe("Second chat answer.");

    // Each chat is its own conversation: the second request did not carry the first message.
    const requests = (await (await fetch(`${llm.url}/__requests?match=${two}`)).json()) as Array<{ body: unknown }>;
    expect(JSON.stringify(requests[0].body)).not.toContain(one);
    // Every frame is keyed `event`, and every chat frame names its chat.
    expect(client.frames.every((f) => typeof f.event === "string")).toBe(true);
    expect(client.frames.filter((f) => ["delta", "stream_end", "attached"].includes(f.event)).every((f) => f.chat_id)).toBe(true);

    client.send("bad id!", "x");
    expect(await client.next((f) => f.event === "error")).toMatchObject({ detail: "invalid chat_id" });
    client.close();
  });

  it("should serve the socket only at the configured path, and keep GET /webui/token working with the API key", async () => {
    const viaWebui = await fetch(`${gateway.url}/webui/token`, { headers: { Authorization: `Bearer ${API_KEY}` } });
    const body = (await viaWebui.json()) as { token: string; ws_path: string };
    expect(body.ws_path).toBe(WS_PATH);
    await expect(NanobotClient.connect(wsBase(), "/ws", { token: body.token })).rejects.toThrow(/handshake failed/);
    const client = await NanobotClient.connect(wsBase(), `${WS_PATH}/`, { client_id: "bob", token: body.token });
    expect(client.ready.client_id).toBe("bob");
    client.close();
  });
});
