import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { scriptLlm, uniqueToken } from "../support/llm-script.ts";
import { openSocket } from "../support/ws-client.ts";

describe("WebSocket channel: messages the user did not ask for", () => {
  it("should show the message tool's note and the tool timeline in the open tab", async () => {
    const sock = await openSocket(uniqueToken("c"));
    const { chat_id } = await sock.next((e) => e.event === "ready");
    const token = uniqueToken("note");
    await scriptLlm(token, [{ toolCalls: [{ name: "message", arguments: { content: `working on it ${token}` } }] }, { content: `all done ${token}` }]);
    sock.sendJson({ type: "message", chat_id, content: `task ${token}` });
    await sock.next((e) => e.event === "turn_end");
    const note = sock.events.find((e) => e.event === "message" && !e.kind);
    expect(note).toMatchObject({ chat_id, text: `working on it ${token}` });
    // nanobot's tool progress: a `tool_hint` message with the call, then a `progress` message with its end.
    const start = sock.events.find((e) => e.event === "message" && e.kind === "tool_hint");
    expect(start).toMatchObject({ chat_id, tool_events: [{ version: 1, phase: "start", name: "message", arguments: { content: `working on it ${token}` }, result: null, error: null, files: [], embeds: [] }] });
    const end = sock.events.find((e) => e.event === "message" && e.kind === "progress");
    expect(end).toMatchObject({ chat_id, text: "", tool_events: [{ phase: "end", name: "message", call_id: start!.tool_events[0].call_id, error: null }] });
    expect(sock.events.filter((e) => e.event === "delta").map((e) => e.text).join("")).toBe(`all done ${token}`);
    sock.ws.close(1000);
  });

  it("should push a notification turn's reply into the chat and keep it in its history", async () => {
    const client = uniqueToken("c");
    const sock = await openSocket(client);
    const { chat_id } = await sock.next((e) => e.event === "ready");
    const token = uniqueToken("cron");
    // What a cron job or heartbeat does: an automation turn submitted straight to the chat's session.
    await env.SESSIONS.getByName(`websocket:${client}:${chat_id}`).submit({
      sessionKey: `websocket:${client}:${chat_id}`,
      workspaceId: "main",
      automation: "cron",
      message: { channel: "websocket", chatId: `${client}:${chat_id}`, senderId: "cron", text: `reminder ${token}` },
    });
    const pushed = await sock.next((e) => e.event === "message", 10_000);
    expect(pushed).toMatchObject({ chat_id, text: `echo: reminder ${token}` });
    sock.sendJson({ type: "attach", chat_id });
    const attached = await sock.next((e) => e.event === "attached");
    expect(attached.history.at(-1)).toMatchObject({ role: "assistant", text: `echo: reminder ${token}` });
    sock.ws.close(1000);
  });
});
