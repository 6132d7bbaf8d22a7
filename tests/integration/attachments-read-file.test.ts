/**
 * The model is told where the files a user sent are, in paths read_file accepts: the stand-in model reads
 * every path its message names, in the turn the file arrived, as a model following the note would.
 */
import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { approveSender, atLeast, postSlack, postTelegram, runSession, slackChannelId, slackEvent, slackTs, telegramFile, telegramUpdate, uniqueId } from "../support/channel-script.ts";
import { llmRequests, scriptLlm, standIns, uniqueToken } from "../support/llm-script.ts";

const PNG = Uint8Array.from(atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="), (c) => c.charCodeAt(0));

/** The read_file calls of the turn and the results the model got for them. */
async function reads(token: string): Promise<Array<{ path: string; result: string }>> {
  const [last] = (await atLeast(2, () => llmRequests(token))).slice(-1);
  const messages = last.body.messages as Array<{ role: string; content: unknown; tool_calls?: Array<{ id: string; function: { name: string; arguments: string } }>; tool_call_id?: string }>;
  const calls = messages.flatMap((m) => m.tool_calls ?? []).filter((c) => c.function.name === "read_file");
  return calls.map((c) => {
    const result = messages.find((m) => m.role === "tool" && m.tool_call_id === c.id)?.content;
    return { path: JSON.parse(c.function.arguments).path, result: typeof result === "string" ? result : JSON.stringify(result) };
  });
}

describe("attachments are readable with the path the model is told", () => {
  it("should let read_file open a Telegram photo in the turn it arrived", async () => {
    const chat = uniqueId();
    await approveSender("telegram", String(chat));
    const token = uniqueToken("tgphoto");
    await scriptLlm(token, [{ readAttachments: true }, { content: "I looked at it." }]);
    await telegramFile(`file-${token}`, `photos/${token}.jpg`, PNG);
    await postTelegram(telegramUpdate({ chatId: chat, photoFileId: `file-${token}`, caption: `what is this ${token}` }));
    await runSession(`telegram:${chat}`);
    const [read] = await reads(token);
    expect(read.path).toMatch(/^media\/[\w-]+-photo\.jpg$/);
    expect(read.result).not.toMatch(/^Error/);
    expect(read.result).toContain(`(Image file: ${read.path}, image/png, ${PNG.length} bytes)`);
  });

  it("should let read_file open a Slack file in the turn it arrived", async () => {
    const channel = slackChannelId("D");
    const token = uniqueToken("slackfile");
    await scriptLlm(token, [{ readAttachments: true }, { content: "I read it." }]);
    await fetch(`${standIns().slack}/__files`, { method: "POST", body: JSON.stringify({ name: `${token}.txt`, base64: btoa(`notes for ${token}`), mimeType: "text/plain" }) });
    const files = [{ id: "F1", name: `${token}.txt`, mimetype: "text/plain", url_private_download: `${standIns().slack}/files/${token}.txt` }];
    await postSlack(slackEvent({ type: "message", subtype: "file_share", channel, channel_type: "im", user: "U1", text: `read this ${token}`, ts: slackTs(), files }));
    await runSession(`slack:${channel}`);
    const [read] = await reads(token);
    expect(read.path).toMatch(/^media\/[\w-]+\.txt$/);
    expect(read.result).toContain(`1| notes for ${token}`);
    expect(await (await env.WORKSPACE.get(`workspaces/main/${read.path}`))?.text()).toBe(`notes for ${token}`);
  });

  it("should let read_file open an image sent to the API in a session", async () => {
    const token = uniqueToken("apiimg");
    await scriptLlm(token, [{ readAttachments: true }, { content: "Seen." }]);
    const png = btoa(String.fromCharCode(...PNG));
    const res = await SELF.fetch("https://gw/v1/chat/completions", {
      method: "POST",
      headers: { authorization: "Bearer key-123", "content-type": "application/json" },
      body: JSON.stringify({ session_id: token, messages: [{ role: "user", content: [{ type: "text", text: `look ${token}` }, { type: "image_url", image_url: { url: `data:image/png;base64,${png}` } }] }] }),
    });
    expect(res.status).toBe(200);
    const [read] = await reads(token);
    expect(read.path).toMatch(/^media\//);
    expect(read.result).toContain(`(Image file: ${read.path}, image/png, ${PNG.length} bytes)`);
  });
});
