import { env, runInDurableObject, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { llmRequests, scriptLlm, uniqueToken } from "../support/llm-script.ts";
import { issueToken, openSocket } from "../support/ws-client.ts";

const upgrade = (url: string) => SELF.fetch(url, { headers: { Upgrade: "websocket" } });

describe("WebSocket channel: authentication", () => {
  it("should refuse a token request without the API key", async () => {
    const res = await SELF.fetch("https://gw/webui/token?client_id=x1");
    expect(res.status).toBe(401);
  });

  it("should reject a bad token before the upgrade", async () => {
    const res = await upgrade(`https://gw/ws?client_id=${uniqueToken("c")}&token=nbwt_forged`);
    expect(res.status).toBe(401);
    expect(res.webSocket).toBeFalsy();
    expect(((await res.json()) as any).error.message).toMatch(/Invalid or expired WebSocket token/);
  });

  it("should reject a missing token and accept a fresh one only once", async () => {
    const client = uniqueToken("c");
    expect((await upgrade(`https://gw/ws?client_id=${client}`)).status).toBe(401);
    const token = await issueToken(client);
    const first = await upgrade(`https://gw/ws?client_id=${client}&token=${token}`);
    expect(first.status).toBe(101);
    first.webSocket!.accept();
    first.webSocket!.close(1000);
    const reused = await upgrade(`https://gw/ws?client_id=${client}&token=${token}`);
    expect(reused.status).toBe(401);
  });

  it("should reject an expired token", async () => {
    const client = uniqueToken("c");
    const token = await issueToken(client);
    await runInDurableObject(env.WEBSOCKETS.getByName(client), (_hub, state) => {
      state.storage.sql.exec("UPDATE tokens SET expires_at = ?", Date.now() - 1);
    });
    const res = await upgrade(`https://gw/ws?client_id=${client}&token=${token}`);
    expect(res.status).toBe(401);
    expect(res.webSocket).toBeFalsy();
  });

  it("should not accept one client's token for another client id", async () => {
    const token = await issueToken(uniqueToken("a"));
    expect((await upgrade(`https://gw/ws?client_id=${uniqueToken("b")}&token=${token}`)).status).toBe(401);
  });
});

describe("WebSocket channel: protocol", () => {
  it("should greet with ready and stream a reply as delta, stream_end and turn_end", async () => {
    const sock = await openSocket(uniqueToken("c"));
    const ready = await sock.next((e) => e.event === "ready");
    expect(ready.chat_id).toMatch(/^[A-Za-z0-9_:-]{1,64}$/);
    const token = uniqueToken("hello");
    await scriptLlm(token, [{ reasoning: "thinking hard", content: "Hello there, streamed in pieces.", chunkSize: 4 }]);
    sock.sendJson({ type: "message", chat_id: ready.chat_id, content: `hi ${token}` });
    const end = await sock.next((e) => e.event === "turn_end");
    expect(end).toMatchObject({ chat_id: ready.chat_id, stop_reason: "completed", latency_ms: expect.any(Number) });
    expect(sock.events.every((e) => typeof e.event === "string" && !("type" in e))).toBe(true);
    const text = sock.events.filter((e) => e.event === "delta").map((e) => e.text).join("");
    expect(text).toBe("Hello there, streamed in pieces.");
    expect(sock.events.filter((e) => e.event === "delta").length).toBeGreaterThan(3);
    expect(sock.events.filter((e) => e.event === "reasoning_delta").map((e) => e.text).join("")).toBe("thinking hard");
    expect(sock.events.some((e) => e.event === "reasoning_end")).toBe(true);
    expect(sock.events.some((e) => e.event === "stream_end" && e.chat_id === ready.chat_id)).toBe(true);
    sock.ws.close(1000);
  });

  it("should send plain text to the current chat", async () => {
    const sock = await openSocket(uniqueToken("c"));
    await sock.next((e) => e.event === "ready");
    const token = uniqueToken("plain");
    sock.ws.send(`plain text ${token}`);
    await sock.next((e) => e.event === "turn_end");
    expect(sock.events.filter((e) => e.event === "delta").map((e) => e.text).join("")).toContain(`echo: plain text ${token}`);
    sock.ws.close(1000);
  });

  it("should answer an oversized frame with an error event and keep the connection", async () => {
    const sock = await openSocket(uniqueToken("c"));
    await sock.next((e) => e.event === "ready");
    sock.ws.send("x".repeat(70 * 1024));
    const error = await sock.next((e) => e.event === "error");
    expect(error).toMatchObject({ event: "error", code: "frame_too_large" });
    expect(error.detail).toMatch(/larger than the 65536-byte limit/);
    const token = uniqueToken("after");
    sock.ws.send(`still here ${token}`);
    await sock.next((e) => e.event === "turn_end");
    expect(sock.events.filter((e) => e.event === "delta").map((e) => e.text).join("")).toContain(token);
    sock.ws.close(1000);
  });

  it("should answer ping with pong without running the object's message handler", async () => {
    const client = uniqueToken("c");
    const sock = await openSocket(client);
    await sock.next((e) => e.event === "ready");
    const stats = async () => (await SELF.fetch(`https://gw/webui/stats?client_id=${client}`, { headers: { authorization: "Bearer key-123" } })).json() as Promise<Record<string, number>>;
    const before = await stats();
    const pongs: string[] = [];
    sock.ws.addEventListener("message", (m) => {
      if (m.data === "pong") pongs.push(m.data);
    });
    for (let i = 0; i < 3; i++) sock.ws.send("ping");
    await expect.poll(() => pongs.length).toBe(3);
    expect((await stats()).messages ?? 0).toBe(before.messages ?? 0);
    sock.ws.close(1000);
  });

  it("should attach to any well-formed chat id (a capability, as in nanobot) and refuse malformed ones softly", async () => {
    const sock = await openSocket(uniqueToken("c"));
    await sock.next((e) => e.event === "ready");
    sock.sendJson({ type: "attach", chat_id: "fresh-chat" });
    expect(await sock.next((e) => e.event === "attached")).toMatchObject({ chat_id: "fresh-chat", history: [] });
    sock.sendJson({ type: "attach", chat_id: "bad id!" });
    expect(await sock.next((e) => e.event === "error")).toMatchObject({ detail: "invalid chat_id" });
    sock.sendJson({ type: "teleport" });
    expect(await sock.next((e) => e.event === "error")).toMatchObject({ detail: "unknown type: 'teleport'" });
    sock.sendJson({ type: "message", chat_id: "fresh-chat" });
    expect(await sock.next((e) => e.event === "error")).toMatchObject({ detail: "missing content", chat_id: "fresh-chat" });
    sock.sendJson({ type: "rename_chat", chat_id: "never-used", title: "x" });
    expect(await sock.next((e) => e.event === "error")).toMatchObject({ code: "unknown_chat", detail: 'Unknown chat "never-used".' });
    // Still open: a legacy frame after the errors is answered.
    const token = uniqueToken("after-errors");
    sock.sendJson({ content: `still open ${token}` });
    await sock.next((e) => e.event === "turn_end");
    sock.ws.close(1000);
  });

  it("should deliver the reply to two tabs attached to the same chat", async () => {
    const client = uniqueToken("c");
    const tabA = await openSocket(client);
    const { chat_id } = await tabA.next((e) => e.event === "ready");
    const tabB = await openSocket(client);
    await tabB.next((e) => e.event === "ready");
    tabB.sendJson({ type: "attach", chat_id });
    await tabB.next((e) => e.event === "attached" && e.chat_id === chat_id);
    const token = uniqueToken("both");
    tabA.sendJson({ type: "message", chat_id, content: `for both ${token}`, webui: true, turn_id: "t-1" });
    expect(await tabA.next((e) => e.event === "message_accepted")).toEqual({ event: "message_accepted", chat_id, turn_id: "t-1", starts_turn: true });
    await Promise.all([tabA.next((e) => e.event === "turn_end"), tabB.next((e) => e.event === "turn_end")]);
    for (const tab of [tabA, tabB]) expect(tab.events.filter((e) => e.event === "delta").map((e) => e.text).join("")).toContain(`echo: for both ${token}`);
    expect(await tabB.next((e) => e.event === "user_message")).toMatchObject({ chat_id, text: `for both ${token}`, turn_id: "t-1", starts_turn: true });
    expect(tabA.events.some((e) => e.event === "user_message")).toBe(false);
    expect(tabB.events.find((e) => e.event === "turn_end")).toMatchObject({ turn_id: "t-1" });
    await tabB.next((e) => e.event === "goal_status" && e.status === "idle");
    expect(tabB.events.filter((e) => e.event === "goal_status")).toMatchObject([
      { chat_id, status: "running", turn_id: "t-1", started_at: expect.any(Number) },
      { chat_id, status: "idle", turn_id: "t-1" },
    ]);
    tabA.ws.close(1000);
    tabB.ws.close(1000);
  });

  it("should keep each chat's history apart and replay it on attach", async () => {
    const sock = await openSocket(uniqueToken("c"));
    const { chat_id: first } = await sock.next((e) => e.event === "ready");
    const one = uniqueToken("one");
    sock.sendJson({ type: "message", chat_id: first, content: `first chat ${one}` });
    await sock.next((e) => e.event === "turn_end");
    sock.sendJson({ type: "new_chat" });
    const second = await sock.next((e) => e.event === "attached" && e.chat_id !== first);
    expect(second.history).toEqual([]);
    const two = uniqueToken("two");
    sock.sendJson({ type: "message", chat_id: second.chat_id, content: `second chat ${two}` });
    await sock.next((e) => e.event === "turn_end");
    const [request] = await llmRequests(two);
    expect(JSON.stringify(request.body.messages)).not.toContain(one);
    sock.sendJson({ type: "attach", chat_id: first });
    const back = await sock.next((e) => e.event === "attached" && e.chat_id === first);
    expect(back.history.map((h: any) => h.role)).toEqual(["user", "assistant"]);
    expect(back.history[1].text).toContain(`echo: first chat ${one}`);
    sock.sendJson({ type: "rename_chat", chat_id: first, title: "Renamed" });
    const updated = await sock.next((e) => e.event === "session_updated" && e.chats.some((c: any) => c.title === "Renamed"));
    expect(updated).toMatchObject({ chat_id: first, scope: "metadata" });
    expect(updated.chats.length).toBe(2);
    sock.sendJson({ type: "delete_chat", chat_id: second.chat_id });
    const afterDelete = await sock.next((e) => e.event === "session_updated" && e.chats.length === 1);
    expect(afterDelete.chats[0].chat_id).toBe(first);
    sock.ws.close(1000);
  });

  it("should answer a follow-up sent during an answer once, after it, without doubled deltas", async () => {
    const sock = await openSocket(uniqueToken("c"));
    const { chat_id } = await sock.next((e) => e.event === "ready");
    const first = uniqueToken("first");
    const second = uniqueToken("second");
    // The session injects follow-ups after a tool step, so the first answer calls a tool while B is sent.
    await scriptLlm(first, [{ content: "let me look.", chunkSize: 3, chunkDelayMs: 30, toolCalls: [{ name: "list_dir", arguments: { path: "." } }] }, { content: " done." }]);
    sock.sendJson({ type: "message", chat_id, content: `one ${first}` });
    await sock.next((e) => e.event === "delta");
    sock.sendJson({ type: "message", chat_id, content: `two ${second}` });
    await sock.next((e) => e.event === "turn_end");
    await sock.next((e) => e.event === "turn_end");
    expect(sock.events.filter((e) => e.event === "delta").map((e) => e.text).join("")).toBe(`let me look. done.echo: two ${second}`);
    expect(sock.events.filter((e) => e.event === "stream_end" && !e.resuming).length).toBe(2);
    // nanobot's segments: the tool call closed the first one with resuming, the answer went on in the next.
    const ends = sock.events.filter((e) => e.event === "stream_end").map((e) => [e.stream_id, e.resuming ?? false]);
    expect(ends).toEqual([[expect.stringMatching(/:0$/), true], [expect.stringMatching(/:1$/), false], [expect.stringMatching(/:0$/), false]]);
    sock.ws.close(1000);
  });

  it("should stop a long answer with /stop", async () => {
    const sock = await openSocket(uniqueToken("c"));
    const { chat_id } = await sock.next((e) => e.event === "ready");
    const token = uniqueToken("long");
    await scriptLlm(token, [{ content: "word ".repeat(400), chunkSize: 5, chunkDelayMs: 20 }]);
    sock.sendJson({ type: "message", chat_id, content: `long one ${token}` });
    await sock.next((e) => e.event === "delta");
    sock.sendJson({ type: "message", chat_id, content: "/stop" });
    const ends = [await sock.next((e) => e.event === "turn_end"), await sock.next((e) => e.event === "turn_end")];
    expect(ends.map((e) => e.stop_reason).sort()).toEqual(["aborted", "command"]);
    expect(sock.events.filter((e) => e.event === "delta").length).toBeLessThan(400);
    sock.ws.close(1000);
  });

  it("should pass an uploaded image to the model", async () => {
    const client = uniqueToken("c");
    const form = new FormData();
    form.append("file", new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3])], "dot.png", { type: "image/png" }));
    const up = await SELF.fetch(`https://gw/webui/upload?client_id=${client}`, { method: "POST", body: form, headers: { authorization: "Bearer key-123" } });
    expect(up.status).toBe(200);
    const media = await up.json();
    const sock = await openSocket(client);
    const { chat_id } = await sock.next((e) => e.event === "ready");
    const token = uniqueToken("img");
    sock.sendJson({ type: "message", chat_id, content: `what is this ${token}`, media: [media] });
    await sock.next((e) => e.event === "turn_end");
    const [request] = await llmRequests(token);
    expect(JSON.stringify(request.body.messages)).toContain("data:image/png;base64,iVBORwECAw");
    sock.sendJson({ type: "message", chat_id, content: "x", media: [{ key: "workspaces/other/secret.png", mimeType: "image/png" }] });
    expect(await sock.next((e) => e.event === "error")).toMatchObject({ detail: "attachment_rejected", code: "bad_media", reason: expect.stringContaining("POST /webui/upload") });
    sock.ws.close(1000);
  });
});
