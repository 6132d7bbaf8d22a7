import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { llmRequests, scriptLlm, uniqueToken } from "../support/llm-script.ts";

async function say(session: string, text: string, stream = false): Promise<Response> {
  return SELF.fetch("https://gw/v1/chat/completions", {
    method: "POST",
    headers: { authorization: "Bearer key-123", "content-type": "application/json" },
    body: JSON.stringify({ session_id: session, stream, messages: [{ role: "user", content: text }] }),
  });
}

const reply = async (session: string, text: string) => ((await (await say(session, text)).json()) as any).choices[0].message.content as string;

describe("slash commands in a session", () => {
  it("should list the commands for /help and for an unknown command", async () => {
    const session = uniqueToken("help");
    const help = await reply(session, "/help");
    for (const cmd of ["/new", "/stop", "/status", "/model", "/history"]) expect(help).toContain(cmd);
    const unknown = await reply(session, "/frobnicate");
    expect(unknown).toContain("Unknown command /frobnicate");
    expect(unknown).toContain("/help");
  });

  it("should answer commands without calling the model", async () => {
    const session = uniqueToken("nomodel");
    await reply(session, `/history ${session}`);
    expect(await llmRequests(session)).toHaveLength(0);
  });

  it("should show model, session size and last-turn tokens in /status", async () => {
    const session = uniqueToken("status");
    await reply(session, "hello there");
    const status = await reply(session, "/status");
    expect(status).toContain("Model: test-model");
    expect(status).toMatch(/Session: 2 messages/);
    expect(status).toMatch(/Last turn: [\d,]+ in \/ [\d,]+ out tokens, prompt [\d,]+ bytes/);
    expect(status).toContain(`exec: sandbox bwrap (tools.exec.sandbox "auto")`);
  });

  it("should switch the session's preset with /model and use it for the next turn", async () => {
    const session = uniqueToken("model");
    expect(await reply(session, "/model")).toContain("Available: default, fast");
    expect(await reply(session, "/model fast")).toContain("Switched to preset 'fast'");
    const token = uniqueToken("after-switch");
    await reply(session, token);
    expect((await llmRequests(token))[0].body.model).toBe("m-fast");
    expect(await reply(session, "/model ghost")).toContain("Could not switch model preset: unknown preset 'ghost'");
  });

  it("should say in the chat which key to set when the session's provider is not configured", async () => {
    const session = uniqueToken("keyless");
    expect(await reply(session, "/model keyless")).toContain("Switched to preset 'keyless'");
    const res = await say(session, "hello there");
    const body = (await res.json()) as any;
    expect(body.error.message).toContain("Provider 'openai' is selected but has no API key. Set providers.openai.apiKey");
    expect(body.error.message).not.toContain("something went wrong");
    // Switching back makes the session answer again: nothing was lost or stuck.
    await reply(session, "/model default");
    expect(await reply(session, "hello again")).toBe("echo: hello again");
  });

  it("should show recent messages with /history and forget them after /new", async () => {
    const session = uniqueToken("new");
    await reply(session, "first message");
    expect(await reply(session, "/history 2")).toBe("👤 You: first message\n🤖 Bot: echo: first message");
    expect(await reply(session, "/new")).toBe("New session started.");
    const token = uniqueToken("fresh");
    await reply(session, token);
    const [request] = await llmRequests(token);
    expect(JSON.stringify(request.body.messages)).not.toContain("first message");
  });

  it("should stop a running answer with /stop and keep the session usable", async () => {
    const session = uniqueToken("stop");
    const token = uniqueToken("slow");
    await scriptLlm(token, [{ content: "word ".repeat(400), chunkSize: 5, chunkDelayMs: 20 }]);
    const res = await say(session, `talk a lot ${token}`, true);
    const reader = res.body!.getReader();
    await reader.read(); // the answer has started
    expect(await reply(session, "/stop")).toBe("Stopped 1 task(s).");
    let text = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    expect(text).toContain("data: [DONE]");
    expect(text.split("word").length).toBeLessThan(400);
    expect(await reply(session, "/stop")).toBe("No active task to stop.");
    expect(await reply(session, "still there?")).toBe("echo: still there?");
  });
});
