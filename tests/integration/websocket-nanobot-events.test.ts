/**
 * nanobot's connection rules and the events beyond a plain answer. Cases that need another
 * `channels.websocket` call the Worker's app with a NANOBOT_CONFIG override (the hub objects stay the same).
 */
import { env, runInDurableObject, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { app } from "../../src/wiring/worker.ts";
import { loadConfigFrom } from "../../src/config/load-config.ts";
import { scriptLlm, uniqueToken } from "../support/llm-script.ts";
import { issueToken, openSocket, type TestSocket } from "../support/ws-client.ts";

const baseConfig = () => JSON.parse((env as unknown as { NANOBOT_CONFIG: string }).NANOBOT_CONFIG);

/** The Worker as it runs with `channels.websocket` set to `websocket`. */
function withWebsocketConfig(websocket: Record<string, unknown>) {
  const config = baseConfig();
  config.channels.websocket = websocket;
  const bindings = { ...env, NANOBOT_CONFIG: JSON.stringify(config) };
  return (url: string, init: RequestInit = {}) => app.fetch(new Request(url, init), bindings, { waitUntil: () => {}, passThroughOnException: () => {}, props: {} } as unknown as ExecutionContext);
}

function collect(ws: WebSocket): TestSocket {
  ws.accept();
  const events: Array<Record<string, any>> = [];
  ws.addEventListener("message", (m) => events.push(JSON.parse(m.data as string)));
  const next = async (pred: (e: Record<string, any>) => boolean) => {
    await expect.poll(() => events.some(pred), { timeout: 8000 }).toBe(true);
    return events.find(pred)!;
  };
  return { ws, events, next, sendJson: (frame) => ws.send(JSON.stringify(frame)) };
}

describe("WebSocket connections as nanobot accepts them", () => {
  it("should assign anon-<12 hex> to a connection without client_id, a new one per connection", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const token = await issueToken();
      const res = await SELF.fetch(`https://gw/ws?token=${token}`, { headers: { Upgrade: "websocket" } });
      expect(res.status).toBe(101);
      const sock = collect(res.webSocket!);
      const ready = await sock.next((e) => e.event === "ready");
      expect(Object.keys(ready).sort()).toEqual(["chat_id", "chats", "client_id", "event"]);
      ids.push(ready.client_id);
      sock.ws.close(1000);
    }
    for (const id of ids) expect(id).toMatch(/^anon-[0-9a-f]{12}$/);
    expect(ids[0]).not.toBe(ids[1]);
  });

  it("should accept the static token more than once, and refuse a wrong one", async () => {
    const worker = withWebsocketConfig({ token: "static-ws-secret" });
    for (let i = 0; i < 2; i++) {
      const res = await worker("https://gw/ws?client_id=staticuser&token=static-ws-secret", { headers: { Upgrade: "websocket" } });
      expect(res.status).toBe(101);
      res.webSocket!.accept();
      res.webSocket!.close(1000);
    }
    expect((await worker("https://gw/ws?client_id=staticuser&token=nope", { headers: { Upgrade: "websocket" } })).status).toBe(401);
    expect((await worker("https://gw/ws?client_id=staticuser", { headers: { Upgrade: "websocket" } })).status).toBe(401);
  });

  it("should let anyone in without a token only when websocketRequiresToken is false", async () => {
    const open = withWebsocketConfig({ websocketRequiresToken: false });
    const res = await open("https://gw/ws", { headers: { Upgrade: "websocket" } });
    expect(res.status).toBe(101);
    res.webSocket!.accept();
    res.webSocket!.close(1000);
    expect((await SELF.fetch("https://gw/ws", { headers: { Upgrade: "websocket" } })).status).toBe(401);
  });

  it("should check client_id against allowFrom before the upgrade", async () => {
    const worker = withWebsocketConfig({ allowFrom: ["alice"] });
    const denied = await worker("https://gw/ws?client_id=mallory&token=x", { headers: { Upgrade: "websocket" } });
    expect(denied.status).toBe(403);
    expect(((await denied.json()) as any).error.message).toContain("channels.websocket.allowFrom");
    expect((await worker("https://gw/ws?token=x", { headers: { Upgrade: "websocket" } })).status).toBe(403);
    expect((await worker("https://gw/ws?client_id=alice&token=x", { headers: { Upgrade: "websocket" } })).status).toBe(401); // allowed, but the token is bad
  });

  it("should serve the socket at channels.websocket.path only", async () => {
    const worker = withWebsocketConfig({ path: "/chat/ws/" });
    expect((await worker("https://gw/chat/ws?client_id=p1", { headers: { Upgrade: "websocket" } })).status).toBe(401);
    expect((await worker("https://gw/chat/ws")).status).toBe(426);
    expect((await worker("https://gw/ws?client_id=p1", { headers: { Upgrade: "websocket" } })).status).toBe(404);
  });

  it("should check the issue route against tokenIssueSecret, else the static token, else the API key", async () => {
    const get = async (worker: ReturnType<typeof withWebsocketConfig>, headers: Record<string, string>) => (await worker("https://gw/auth/token", { headers })).status;
    const byKey = withWebsocketConfig({ tokenIssuePath: "/auth/token" });
    expect(await get(byKey, { authorization: "Bearer key-123" })).toBe(200);
    expect(await get(byKey, { "x-nanobot-auth": "key-123" })).toBe(200);
    expect(await get(byKey, { "x-nanobot-auth": "nope" })).toBe(401);
    const byToken = withWebsocketConfig({ tokenIssuePath: "/auth/token", token: "static-ws" });
    expect(await get(byToken, { "x-nanobot-auth": "static-ws" })).toBe(200);
    expect(await get(byToken, { authorization: "Bearer key-123" })).toBe(401);
    const bySecret = withWebsocketConfig({ tokenIssuePath: "/auth/token", token: "static-ws", tokenIssueSecret: "issue" });
    expect(await get(bySecret, { authorization: "Bearer issue" })).toBe(200);
    expect(await get(bySecret, { "x-nanobot-auth": "static-ws" })).toBe(401);
    // Off by default: the path is nobody's route.
    expect((await SELF.fetch("https://gw/auth/token", { headers: { authorization: "Bearer key-123" } })).status).toBe(404);
  });

  it("should bootstrap like nanobot's WebUI: a token, where to connect, the model", async () => {
    expect((await SELF.fetch("https://gw/webui/bootstrap")).status).toBe(401);
    const res = await SELF.fetch("https://gw/webui/bootstrap", { headers: { "x-nanobot-auth": "key-123" } });
    const body = (await res.json()) as Record<string, any>;
    expect(body).toMatchObject({ token: expect.stringMatching(/^nbwt_/), expires_in: 300, ws_path: "/ws", ws_url: "wss://gw/ws", model_name: "test-model" });
    const up = await SELF.fetch(`https://gw/ws?token=${body.token}`, { headers: { Upgrade: "websocket" } });
    expect(up.status).toBe(101);
    up.webSocket!.accept();
    up.webSocket!.close(1000);
  });

  it("should not serve the socket when channels.websocket.enabled is false", async () => {
    const off = withWebsocketConfig({ enabled: false });
    expect((await off("https://gw/ws?client_id=x&token=y", { headers: { Upgrade: "websocket" } })).status).toBe(404);
  });

  it("should refuse paths that cannot work, naming the key", () => {
    const check = (websocket: Record<string, unknown>) => loadConfigFrom({}, JSON.stringify({ channels: { websocket } }), {});
    const root = check({ path: "/" });
    expect(root.ok ? "" : root.error.message).toContain('channels.websocket.path "/" is the WebUI page');
    const clash = check({ path: "/v1/ws" });
    expect(clash.ok ? "" : clash.error.message).toMatch(/channels\.websocket\.path collides with a route/);
    const same = check({ path: "/ws", tokenIssuePath: "/ws/" });
    expect(same.ok ? "" : same.error.message).toContain("tokenIssuePath must differ from channels.websocket.path");
    const ttl = check({ tokenTtlS: 10 });
    expect(ttl.ok ? "" : ttl.error.message).toContain("channels.websocket.tokenTtlS");
    expect(check({ path: "/chat/ws/", tokenIssuePath: "/auth/token" })).toMatchObject({ ok: true, config: { channels: { websocket: { path: "/chat/ws" } } } });
  });

  it("should answer in one message when streaming is false", async () => {
    const worker = withWebsocketConfig({ streaming: false });
    const token = await issueToken();
    const res = await worker(`https://gw/ws?token=${token}`, { headers: { Upgrade: "websocket" } });
    const sock = collect(res.webSocket!);
    const ready = await sock.next((e) => e.event === "ready");
    const t = uniqueToken("whole");
    await scriptLlm(t, [{ content: "One piece, not streamed.", chunkSize: 3 }]);
    sock.sendJson({ content: `whole ${t}` });
    await sock.next((e) => e.event === "turn_end");
    expect(sock.events.some((e) => e.event === "delta" || e.event === "stream_end")).toBe(false);
    expect(sock.events.find((e) => e.event === "message")).toMatchObject({ chat_id: ready.chat_id, text: "One piece, not streamed." });
    sock.ws.close(1000);
  });
});

describe("WebSocket frames as nanobot parses them", () => {
  it("should read legacy frames (text, then content/text/message, invalid JSON as text) into the default chat", async () => {
    const sock = await openSocket(uniqueToken("c"));
    const { chat_id } = await sock.next((e) => e.event === "ready");
    const t = uniqueToken("legacy");
    sock.sendJson({ content: "", text: `from text ${t}`, message: "ignored" });
    await sock.next((e) => e.event === "turn_end");
    sock.ws.send(`{not json ${t}`);
    await sock.next((e) => e.event === "turn_end");
    sock.sendJson({ type: "message", content: `no chat id ${t}` });
    await sock.next((e) => e.event === "turn_end");
    const answers = sock.events.filter((e) => e.event === "stream_end").map((e) => e.chat_id);
    expect(answers).toEqual([chat_id, chat_id, chat_id]);
    const text = sock.events.filter((e) => e.event === "delta").map((e) => e.text).join("");
    for (const sent of [`from text ${t}`, `{not json ${t}`, `no chat id ${t}`]) expect(text).toContain(sent);
    sock.sendJson({ type: "new_temporary_chat" });
    expect(await sock.next((e) => e.event === "error")).toMatchObject({ detail: "unknown type: 'new_temporary_chat'" });
    sock.ws.close(1000);
  });

  it("should send nothing but goal_status before a legacy message's answer, and session_updated after turn_end", async () => {
    const sock = await openSocket(uniqueToken("c"));
    const { chat_id } = await sock.next((e) => e.event === "ready");
    const t = uniqueToken("order");
    await scriptLlm(t, [{ content: "ordered answer", chunkSize: 4 }]);
    sock.ws.send(`order ${t}`);
    await sock.next((e) => e.event === "session_updated");
    const names = sock.events.slice(1).map((e) => e.event).filter((n, i, all) => n !== "delta" || all[i - 1] !== "delta");
    expect(names).toEqual(["goal_status", "delta", "stream_end", "turn_model_updated", "turn_end", "goal_status", "session_updated"]);
    expect(sock.events.at(-1)).toMatchObject({ chat_id, scope: "thread", chats: [{ chat_id, title: `order ${t}` }] });
    sock.ws.close(1000);
  });

  it("should keep one client's transcript from another client attaching to its chat id", async () => {
    const a = await openSocket(uniqueToken("a"));
    const { chat_id } = await a.next((e) => e.event === "ready");
    a.sendJson({ type: "message", chat_id, content: `private ${uniqueToken("p")}` });
    await a.next((e) => e.event === "turn_end");
    const b = await openSocket(uniqueToken("b"));
    await b.next((e) => e.event === "ready");
    b.sendJson({ type: "attach", chat_id });
    expect(await b.next((e) => e.event === "attached")).toMatchObject({ chat_id, history: [] });
    a.ws.close(1000);
    b.ws.close(1000);
  });

  it("should refuse to issue more than 10,000 outstanding tokens", async () => {
    await runInDurableObject(env.WEBSOCKETS.getByName(":issued-tokens"), (_hub, state) => {
      for (let i = 0; i < 10_000; i++) state.storage.sql.exec("INSERT OR IGNORE INTO tokens (token, expires_at) VALUES (?, ?)", `nbwt_fill_${i}`, Date.now() + 60_000);
    });
    try {
      const res = await SELF.fetch("https://gw/webui/token", { headers: { authorization: "Bearer key-123" } });
      expect(res.status).toBe(429);
      expect(await res.json()).toEqual({ error: "too many outstanding tokens" });
    } finally {
      await runInDurableObject(env.WEBSOCKETS.getByName(":issued-tokens"), (_hub, state) => {
        state.storage.sql.exec("DELETE FROM tokens WHERE token LIKE 'nbwt_fill_%'");
      });
    }
  });
});

describe("WebSocket events beyond the answer", () => {
  it("should report file edits, the model and usage for a turn", async () => {
    const sock = await openSocket(uniqueToken("c"));
    const { chat_id } = await sock.next((e) => e.event === "ready");
    const t = uniqueToken("edit");
    await scriptLlm(t, [{ toolCalls: [{ name: "write_file", arguments: { path: `notes-${t}.md`, content: "a\nb\nc\n" } }] }, { content: "Written." }]);
    sock.sendJson({ type: "message", chat_id, content: `write ${t}` });
    const end = await sock.next((e) => e.event === "turn_end");
    const edits = sock.events.filter((e) => e.event === "file_edit").map((e) => e.edits[0]);
    expect(edits).toMatchObject([
      { version: 1, tool: "write_file", path: `notes-${t}.md`, phase: "start", status: "editing" },
      { version: 1, tool: "write_file", path: `notes-${t}.md`, phase: "end", status: "done", added: 3, deleted: 0, approximate: true },
    ]);
    expect(sock.events.find((e) => e.event === "message" && e.kind === "tool_hint")?.text).toBe(`write notes-${t}.md`);
    expect(sock.events.find((e) => e.event === "turn_model_updated")).toMatchObject({ chat_id, model_name: "test-model" });
    expect(end.usage).toMatchObject({ prompt_tokens: expect.any(Number), completion_tokens: expect.any(Number) });
    sock.ws.close(1000);
  });

  it("should send goal_state when /goal sets a goal, and again on attach", async () => {
    const client = uniqueToken("c");
    const sock = await openSocket(client);
    const { chat_id } = await sock.next((e) => e.event === "ready");
    sock.sendJson({ type: "message", chat_id, content: "/goal write the quarterly report" });
    const state = await sock.next((e) => e.event === "goal_state");
    expect(state).toEqual({ event: "goal_state", chat_id, goal_state: { active: true, status: "active", objective: "write the quarterly report" } });
    const other = await openSocket(client);
    await other.next((e) => e.event === "ready");
    other.sendJson({ type: "attach", chat_id });
    await other.next((e) => e.event === "attached");
    expect(await other.next((e) => e.event === "goal_state")).toMatchObject({ chat_id, goal_state: { active: true } });
    sock.ws.close(1000);
    other.ws.close(1000);
  });

  it("should send runtime_model_updated when a client reconnects to another default model", async () => {
    const client = uniqueToken("c");
    const first = await openSocket(client);
    await first.next((e) => e.event === "ready");
    first.ws.close(1000);
    // What a deploy with another agents.defaults.model looks like to the hub: the model it last announced differs.
    await runInDurableObject(env.WEBSOCKETS.getByName(client), (_hub, state) => {
      state.storage.sql.exec("UPDATE hub_meta SET value = 'old-model' WHERE key = 'runtime_model'");
    });
    const second = await openSocket(client);
    expect(await second.next((e) => e.event === "runtime_model_updated")).toEqual({ event: "runtime_model_updated", model_name: "test-model" });
    second.ws.close(1000);
    const third = await openSocket(client);
    await third.next((e) => e.event === "ready");
    await new Promise((r) => setTimeout(r, 100));
    expect(third.events.some((e) => e.event === "runtime_model_updated")).toBe(false);
    third.ws.close(1000);
  });
});
