import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { approveSender, atLeast, eventually, postSlack, postTelegram, runSession, sentTexts, slackEvent, slackChannelId, slackTs, telegramFile, telegramUpdate, uniqueId } from "../support/channel-script.ts";
import { llmRequests, scriptLlm, standIns, uniqueToken } from "../support/llm-script.ts";

interface MediaRequest {
  path: string;
  authorization?: string;
  fields: Record<string, string>;
  file?: { name: string; type: string; size: number; text: string };
}

const transcriptionCalls = async (match: string): Promise<MediaRequest[]> => (await fetch(`${standIns().llm}/__media-requests?match=${encodeURIComponent(match)}`)).json();
const scriptTranscript = (script: { match: string; text?: string; status?: number }) => fetch(`${standIns().llm}/__media-scripts`, { method: "POST", body: JSON.stringify(script) });

/** A Telegram voice note whose (stand-in) audio bytes carry `marker`. */
async function sendVoice(chat: number, marker: string, duration = 3): Promise<void> {
  await telegramFile(`voice-${marker}`, `voice/${marker}.oga`, new TextEncoder().encode(`OggS fake opus ${marker}`));
  const update = telegramUpdate({ chatId: chat }) as { message: Record<string, unknown> };
  update.message.voice = { file_id: `voice-${marker}`, file_unique_id: `u-${marker}`, duration, mime_type: "audio/ogg", file_size: 40 };
  expect((await postTelegram(update)).status).toBe(200);
}

const lastUserText = (body: any): string => {
  const user = body.messages.findLast((m: { role: string }) => m.role === "user");
  return typeof user.content === "string" ? user.content : user.content.map((p: { text?: string }) => p.text ?? "").join("");
};

describe("voice transcription", () => {
  it("should transcribe a Telegram voice note in the turn and give the model the text and the file path", async () => {
    const chat = uniqueId();
    await approveSender("telegram", String(chat));
    const marker = uniqueToken("voice");
    await scriptTranscript({ match: marker, text: `please remind me to water the plants ${marker}` });
    await sendVoice(chat, marker);
    // The webhook only stores the file: nothing is transcribed until the session's turn runs.
    expect(await transcriptionCalls(marker)).toEqual([]);
    await runSession(`telegram:${chat}`);
    const [call] = await atLeast(1, () => transcriptionCalls(marker));
    expect(call.path).toBe("/v1/audio/transcriptions");
    expect(call.authorization).toBe("Bearer sk-test");
    expect(call.fields.model).toBe("whisper-1");
    expect(call.file).toMatchObject({ name: "voice.ogg", type: "audio/ogg" });
    const [request] = await atLeast(1, () => llmRequests(`water the plants ${marker}`));
    const text = lastUserText(request.body);
    expect(text).toMatch(new RegExp(`\\[Transcription of media/[\\w-]+-voice\\.ogg\\]\\nplease remind me to water the plants ${marker}`));
    expect(await eventually(async () => (await sentTexts(chat)).find((t) => t.includes(marker)))).toContain(`water the plants ${marker}`);
  });

  it("should tell the model when the audio could not be transcribed and still answer the message", async () => {
    const chat = uniqueId();
    await approveSender("telegram", String(chat));
    const marker = uniqueToken("voicefail");
    await scriptTranscript({ match: marker, status: 503 });
    await scriptLlm("could not be transcribed", [{ content: `Sorry, I could not hear that one (${marker}).` }]);
    await sendVoice(chat, marker);
    await runSession(`telegram:${chat}`);
    await atLeast(1, () => transcriptionCalls(marker));
    const [request] = await atLeast(1, () => llmRequests("could not be transcribed"));
    expect(lastUserText(request.body)).toMatch(/\[The audio media\/[\w-]+-voice\.ogg could not be transcribed: the custom transcription endpoint answered HTTP 503: stand-in transcription error 503\.\]/);
    expect(await eventually(async () => (await sentTexts(chat)).find((t) => t.includes(marker)))).toBe(`Sorry, I could not hear that one (${marker}).`);
  });

  it("should refuse a voice note over transcription.maxDurationSec without calling the endpoint", async () => {
    const chat = uniqueId();
    await approveSender("telegram", String(chat));
    const marker = uniqueToken("voicelong");
    await sendVoice(chat, marker, 600);
    await runSession(`telegram:${chat}`);
    const answer = await eventually(async () => (await sentTexts(chat)).find((t) => t.includes("could not be transcribed")));
    // The stand-in LLM echoes the user's text: the model was told why.
    expect(answer).toContain("it is 600 s long, over the 120 s limit (transcription.maxDurationSec)");
    expect(await transcriptionCalls(marker)).toEqual([]);
  });

  it("should transcribe an audio file uploaded to the API with a session", async () => {
    const marker = uniqueToken("apiaudio");
    const form = new FormData();
    form.append("message", "what did I say?");
    form.append("session_id", uniqueToken("s"));
    form.append("files", new File([`webm audio ${marker}`], "note.webm", { type: "audio/webm" }));
    const res = await SELF.fetch("https://gw/v1/chat/completions", { method: "POST", headers: { authorization: "Bearer key-123" }, body: form });
    expect(res.status).toBe(200);
    const content: string = ((await res.json()) as any).choices[0].message.content;
    expect(content).toMatch(new RegExp(`^echo: what did I say\\?[\\s\\S]*\\[Transcription of media/[\\w-]+\\.bin\\]\\ntranscribed: webm audio ${marker}$`));
  });

  it("should transcribe an audio file shared on Slack", async () => {
    const channel = slackChannelId("D");
    const marker = uniqueToken("slackaudio");
    await fetch(`${standIns().slack}/__files`, { method: "POST", body: JSON.stringify({ name: `${marker}.m4a`, base64: btoa(`m4a audio ${marker}`), mimeType: "audio/mp4" }) });
    const files = [{ id: "F1", name: `${marker}.m4a`, mimetype: "audio/mp4", url_private_download: `${standIns().slack}/files/${marker}.m4a` }];
    await postSlack(slackEvent({ type: "message", subtype: "file_share", channel, channel_type: "im", user: "U1", text: "", ts: slackTs(), files }));
    await runSession(`slack:${channel}`);
    const [call] = await atLeast(1, () => transcriptionCalls(marker));
    expect(call.file).toMatchObject({ name: `${marker}.m4a`, type: "audio/mp4" });
    const [request] = await atLeast(1, () => llmRequests(`transcribed: m4a audio ${marker}`));
    expect(lastUserText(request.body)).toContain(`${marker}.m4a]\ntranscribed: m4a audio ${marker}`);
  });
});
