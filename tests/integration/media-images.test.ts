import { createExecutionContext, env, SELF, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../src/index.ts";
import { approveSender, atLeast, eventually, finalTexts, postSlack, postTelegram, runSession, sentTexts, slackCalls, slackChannelId, slackEvent, slackTs, telegramCalls, telegramUpdate, uniqueId } from "../support/channel-script.ts";
import { llmRequests, scriptLlm, standIns, uniqueToken } from "../support/llm-script.ts";
import { openSocket } from "../support/ws-client.ts";

interface ImageCall {
  path: string;
  fields: Record<string, string>;
  images?: string[];
}

const imageCalls = async (match: string): Promise<ImageCall[]> => (await fetch(`${standIns().llm}/__media-requests?match=${encodeURIComponent(match)}`)).json();

const toBase64 = (bytes: Uint8Array) => btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join(""));

/** The workspace path the tool reported back to the model. */
async function generatedPath(token: string): Promise<string> {
  const requests = await atLeast(2, () => llmRequests(token));
  const tool = requests[1].body.messages.find((m: { role: string }) => m.role === "tool");
  const path = /generated\/[\w-]+\.png/.exec(String(tool.content))?.[0];
  expect(path, String(tool.content)).toBeDefined();
  return path!;
}

function scriptImageTurn(token: string, args: Record<string, unknown> = {}) {
  return scriptLlm(token, [{ toolCalls: [{ name: "generate_image", arguments: { prompt: `a watercolour fox ${token}`, ...args } }] }, { content: `Here is your fox ${token}.` }]);
}

describe("generate_image", () => {
  it("should save the image in the workspace and send it to Telegram as a photo after the text", async () => {
    const chat = uniqueId();
    await approveSender("telegram", String(chat));
    const token = uniqueToken("imgtg");
    await scriptImageTurn(token, { aspect_ratio: "16:9" });
    await postTelegram(telegramUpdate({ chatId: chat, text: `draw a fox ${token}` }));
    await runSession(`telegram:${chat}`);
    const [generation] = await atLeast(1, () => imageCalls(token));
    expect(generation.path).toBe("/v1/images/generations");
    expect(generation.fields).toMatchObject({ model: "test-image", n: "1", size: "1536x1024", response_format: "b64_json" });
    const [photo] = await atLeast(1, () => telegramCalls(chat, "sendPhoto"));
    expect(photo.status).toBe(200);
    expect(photo.params.photo.base64).toBe(generation.images![0]);
    expect(photo.params.photo.filename).toMatch(/\.png$/);
    const path = await generatedPath(token);
    const stored = await env.WORKSPACE.get(`workspaces/main/${path}`);
    expect(toBase64(new Uint8Array(await stored!.arrayBuffer()))).toBe(generation.images![0]);
    expect(stored!.httpMetadata?.contentType).toBe("image/png");
    // The text reply went first (possibly streamed as a preview and finished by an edit), the photo after it.
    expect(await finalTexts(chat)).toEqual([`Here is your fox ${token}.`]);
    const textCalls = (await telegramCalls(chat)).filter((c) => c.method === "sendMessage" || c.method === "editMessageText");
    expect(photo.seq).toBeGreaterThan(Math.max(...textCalls.map((c) => c.seq)));
  });

  it("should upload the image to Slack with files.getUploadURLExternal and completeUploadExternal", async () => {
    const channel = slackChannelId("D");
    const token = uniqueToken("imgslack");
    await scriptImageTurn(token);
    await postSlack(slackEvent({ type: "message", channel, channel_type: "im", user: "U1", text: `draw a fox ${token}`, ts: slackTs() }));
    await runSession(`slack:${channel}`);
    const [generation] = await atLeast(1, () => imageCalls(token));
    const [complete] = await atLeast(1, () => slackCalls(channel, "files.completeUploadExternal"));
    expect(complete.params.channel_id).toBe(channel);
    expect(complete.params.uploaded).toHaveLength(1);
    expect(complete.params.uploaded[0].base64).toBe(generation.images![0]);
    expect(complete.params.uploaded[0].filename).toMatch(/^[\w-]+\.png$/);
    const posted = await slackCalls(channel, "chat.postMessage");
    expect(posted.map((c) => c.params.text)).toEqual([`Here is your fox ${token}.`]);
  });

  it("should show the image inline (Markdown data URL) to API clients", async () => {
    const token = uniqueToken("imgapi");
    await scriptImageTurn(token);
    const res = await SELF.fetch("https://gw/v1/chat/completions", {
      method: "POST",
      headers: { authorization: "Bearer key-123", "content-type": "application/json" },
      body: JSON.stringify({ messages: [{ role: "user", content: `draw a fox ${token}` }], session_id: uniqueToken("s") }),
    });
    expect(res.status).toBe(200);
    const content: string = ((await res.json()) as any).choices[0].message.content;
    const [generation] = await atLeast(1, () => imageCalls(token));
    expect(content).toMatch(new RegExp(`^Here is your fox ${token}\\.\\n\\n!\\[generated/[\\w-]+\\.png\\]\\(data:image/png;base64,`));
    expect(content).toContain(generation.images![0]);
  });

  it("should add the image to a streamed API answer as a final delta", async () => {
    const token = uniqueToken("imgsse");
    await scriptImageTurn(token);
    const res = await SELF.fetch("https://gw/v1/chat/completions", {
      method: "POST",
      headers: { authorization: "Bearer key-123", "content-type": "application/json" },
      body: JSON.stringify({ messages: [{ role: "user", content: `draw a fox ${token}` }], session_id: uniqueToken("s"), stream: true }),
    });
    const deltas = (await res.text())
      .split("\n")
      .filter((l) => l.startsWith("data: {"))
      .map((l) => JSON.parse(l.slice(6)).choices?.[0]?.delta?.content ?? "")
      .join("");
    const [generation] = await atLeast(1, () => imageCalls(token));
    expect(deltas).toMatch(new RegExp(`^Here is your fox ${token}\\.\\n\\n!\\[generated/[\\w-]+\\.png\\]\\(data:image/png;base64,${generation.images![0].replace(/[+/=]/g, "\\$&")}\\)$`));
  });

  it("should show the image in the WebUI chat as it streams", async () => {
    const sock = await openSocket(uniqueToken("c"));
    const { chat_id } = await sock.next((e) => e.event === "ready");
    const token = uniqueToken("imgws");
    await scriptImageTurn(token);
    sock.sendJson({ type: "message", chat_id, content: `draw a fox ${token}` });
    await sock.next((e) => e.event === "turn_end");
    const [generation] = await atLeast(1, () => imageCalls(token));
    const text = sock.events.filter((e) => e.event === "delta").map((e) => e.text).join("");
    expect(text).toContain(`Here is your fox ${token}.\n\n![generated/`);
    expect(text).toContain(`(data:image/png;base64,${generation.images![0]})`);
    sock.ws.close(1000);
  });

  it("should tell the model in a stateless API turn that the image cannot be shown, only saved", async () => {
    const token = uniqueToken("imgstateless");
    await scriptImageTurn(token);
    const res = await SELF.fetch("https://gw/v1/chat/completions", {
      method: "POST",
      headers: { authorization: "Bearer key-123", "content-type": "application/json" },
      body: JSON.stringify({ messages: [{ role: "user", content: `draw a fox ${token}` }] }),
    });
    expect(((await res.json()) as any).choices[0].message.content).toBe(`Here is your fox ${token}.`);
    const requests = await atLeast(2, () => llmRequests(token));
    const tool = requests[1].body.messages.find((m: { role: string }) => m.role === "tool");
    expect(String(tool.content)).toMatch(/^Generated 1 image\(s\): generated\/[\w-]+\.png\. This conversation cannot show images; tell the user the paths\.$/);
  });

  it("should edit from a reference image in the workspace through /images/edits", async () => {
    const chat = uniqueId();
    await approveSender("telegram", String(chat));
    const token = uniqueToken("imgedit");
    const reference = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
    await env.WORKSPACE.put(`workspaces/main/media/${token}.png`, Uint8Array.from(atob(reference), (c) => c.charCodeAt(0)), { httpMetadata: { contentType: "image/png" } });
    await scriptImageTurn(token, { reference_images: [`media/${token}.png`] });
    await postTelegram(telegramUpdate({ chatId: chat, text: `make it blue ${token}` }));
    await runSession(`telegram:${chat}`);
    const [edit] = await atLeast(1, () => imageCalls(token));
    expect(edit.path).toBe("/v1/images/edits");
    expect(JSON.parse(edit.fields.references)).toEqual([{ name: `${token}.png`, type: "image/png", base64: reference }]);
    const [photo] = await atLeast(1, () => telegramCalls(chat, "sendPhoto"));
    expect(photo.params.photo.base64).toBe(edit.images![0]);
  });

  it("should refuse a reference image outside the workspace", async () => {
    const chat = uniqueId();
    await approveSender("telegram", String(chat));
    const token = uniqueToken("imgescape");
    await scriptImageTurn(token, { reference_images: ["../other/secret.png"] });
    await postTelegram(telegramUpdate({ chatId: chat, text: `edit ${token}` }));
    await runSession(`telegram:${chat}`);
    const requests = await atLeast(2, () => llmRequests(token));
    const tool = requests[1].body.messages.find((m: { role: string }) => m.role === "tool");
    expect(String(tool.content)).toContain("outside the configured workspace");
    expect(await imageCalls(token)).toEqual([]);
  });

  it("should send files through a channel's send (the path the message tool takes): photo, document, Slack upload", async () => {
    const { loadConfig } = await import("../../src/config/load-config.ts");
    const { OUTBOUNDS } = await import("../../src/wiring/channels.ts");
    const outboundFor = (name: string) => OUTBOUNDS.get(name);
    const result = loadConfig(env as never);
    if (!result.ok) throw new Error(result.error.message);
    const token = uniqueToken("send");
    const png = Uint8Array.from(atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="), (c) => c.charCodeAt(0));
    await env.WORKSPACE.put(`workspaces/main/out/${token}.png`, png, { httpMetadata: { contentType: "image/png" } });
    await env.WORKSPACE.put(`workspaces/main/out/${token}.csv`, "a,b\n1,2\n");
    const media = [
      { key: `workspaces/main/out/${token}.png`, mimeType: "image/png", name: `${token}.png` },
      { key: `workspaces/main/out/${token}.csv`, mimeType: "text/csv", name: `${token}.csv` },
    ];
    const chat = uniqueId();
    await outboundFor("telegram")!.send!({ env: env as never, config: result.config, target: { chatId: String(chat) }, text: `files ${token}`, media });
    const calls = await telegramCalls(chat);
    expect(calls.map((c) => c.method)).toEqual(["sendMessage", "sendPhoto", "sendDocument"]);
    expect(calls[1].params.photo.base64).toBe(toBase64(png));
    expect(calls[2].params.document).toMatchObject({ filename: `${token}.csv`, base64: btoa("a,b\n1,2\n") });
    const channel = slackChannelId("C");
    await outboundFor("slack")!.send!({ env: env as never, config: result.config, target: { chatId: channel, threadId: "1712.5" }, text: "", media: media.slice(1) });
    const [complete] = await slackCalls(channel, "files.completeUploadExternal");
    expect(complete.params.channel_id).toBe(channel);
    // Form values arrive as text; the stand-in's form parser reads "1712.5" as a number.
    expect(String(complete.params.thread_ts)).toBe("1712.5");
    expect(complete.params.uploaded[0]).toMatchObject({ filename: `${token}.csv`, base64: btoa("a,b\n1,2\n") });
    expect(await slackCalls(channel, "chat.postMessage")).toEqual([]);
  });

  it("should tell the model when the image endpoint fails, send no photo, and still answer", async () => {
    const chat = uniqueId();
    await approveSender("telegram", String(chat));
    const token = uniqueToken("imgfail");
    await fetch(`${standIns().llm}/__media-scripts`, { method: "POST", body: JSON.stringify({ match: token, status: 429 }) });
    await scriptLlm(token, [{ toolCalls: [{ name: "generate_image", arguments: { prompt: `a fox ${token}` } }] }, { content: `No image this time ${token}.` }]);
    await postTelegram(telegramUpdate({ chatId: chat, text: `draw ${token}` }));
    await runSession(`telegram:${chat}`);
    const requests = await atLeast(2, () => llmRequests(token));
    const tool = requests[1].body.messages.find((m: { role: string }) => m.role === "tool");
    expect(String(tool.content)).toMatch(/^Error: the image endpoint answered HTTP 429: stand-in image error 429\n/);
    expect(await eventually(async () => (await sentTexts(chat)).find((t) => t.includes(token)))).toBe(`No image this time ${token}.`);
    expect(await telegramCalls(chat, "sendPhoto")).toEqual([]);
  });

  it("should not offer generate_image unless tools.imageGeneration.enabled is set", async () => {
    const token = uniqueToken("imgoff");
    const config = JSON.parse(env.NANOBOT_CONFIG as string);
    delete config.tools.imageGeneration;
    const ctx = createExecutionContext();
    const res = await worker.fetch(
      new Request("https://gw/v1/chat/completions", { method: "POST", headers: { authorization: "Bearer key-123", "content-type": "application/json" }, body: JSON.stringify({ messages: [{ role: "user", content: token }] }) }),
      { ...env, NANOBOT_CONFIG: JSON.stringify(config) },
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(200);
    const [off] = await atLeast(1, () => llmRequests(token));
    const names = (off.body.tools as Array<{ function: { name: string } }>).map((t) => t.function.name);
    expect(names).toContain("message");
    expect(names).not.toContain("generate_image");
    // …and with the test config (enabled) it is offered.
    const onToken = uniqueToken("imgon");
    await SELF.fetch("https://gw/v1/chat/completions", { method: "POST", headers: { authorization: "Bearer key-123", "content-type": "application/json" }, body: JSON.stringify({ messages: [{ role: "user", content: onToken }] }) });
    const [on] = await atLeast(1, () => llmRequests(onToken));
    expect((on.body.tools as Array<{ function: { name: string } }>).map((t) => t.function.name)).toContain("generate_image");
  });
});
