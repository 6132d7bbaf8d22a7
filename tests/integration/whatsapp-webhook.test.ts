import { env, runInDurableObject, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { approveSender, atLeast, eventually, runSession } from "../support/channel-script.ts";
import { llmRequests, scriptLlm, standIns, uniqueToken } from "../support/llm-script.ts";
import { postWhatsapp, waId, wamid, whatsappCalls, whatsappMedia, whatsappMessage, whatsappPayload, whatsappTexts } from "../support/whatsapp-script.ts";

const inboxCount = (key: string) =>
  runInDurableObject(env.SESSIONS.getByName(key), (_i, state) => state.storage.sql.exec("SELECT COUNT(*) AS n FROM inbox").one().n as number);

/** A sender the owner approved, so its messages reach the agent. */
async function approvedSender(): Promise<string> {
  const id = waId();
  await approveSender("whatsapp", id);
  return id;
}

// A 1×1 PNG.
const PNG = Uint8Array.from(atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="), (c) => c.charCodeAt(0));

describe("WhatsApp Cloud API webhook", () => {
  it("should answer Meta's verification request with hub.challenge only when the verify token matches", async () => {
    const ok = await SELF.fetch("https://gateway.test/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=wa-verify&hub.challenge=1158201444");
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe("1158201444");
    const wrong = await SELF.fetch("https://gateway.test/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1158201444");
    expect(wrong.status).toBe(403);
    expect(await wrong.text()).not.toContain("1158201444");
  });

  it("should refuse a bad, foreign or missing X-Hub-Signature-256 with 401 and store nothing", async () => {
    const from = await approvedSender();
    const body = whatsappMessage(from, { type: "text", text: { body: "forged" } });
    expect((await postWhatsapp(body, { signature: "sha256=deadbeef" })).status).toBe(401);
    expect((await postWhatsapp(body, { secret: "another-app-secret" })).status).toBe(401);
    expect((await postWhatsapp(body, { signature: null })).status).toBe(401);
    expect(await inboxCount(`whatsapp:${from}`)).toBe(0);
    expect(await whatsappCalls(from)).toEqual([]);
  });

  it("should mark the message read with a typing indicator and answer once through /{phone-number-id}/messages", async () => {
    const from = await approvedSender();
    const token = uniqueToken("wa");
    const id = wamid();
    await scriptLlm(token, [{ content: `Sure, **here** it is ${token}` }]);
    const res = await postWhatsapp(whatsappMessage(from, { type: "text", text: { body: `help me ${token}` } }, { id }));
    expect(res.status).toBe(200);
    const [read] = await whatsappCalls(from, "read");
    expect(read.body).toMatchObject({ messaging_product: "whatsapp", status: "read", message_id: id, typing_indicator: { type: "text" } });
    expect(read.path).toBe("/v23.0/1065550001/messages");
    await runSession(`whatsapp:${from}`);
    expect(await atLeast(1, () => whatsappTexts(from))).toEqual([`Sure, *here* it is ${token}`]);
    const [sent] = await whatsappCalls(from, "text");
    expect(sent.authorization).toBe("Bearer EAA-test");
    expect(sent.body).toMatchObject({ messaging_product: "whatsapp", recipient_type: "individual", to: from, type: "text" });
  });

  it("should answer a redelivered message (same wamid) once", async () => {
    const from = await approvedSender();
    const token = uniqueToken("wadup");
    const body = whatsappMessage(from, { type: "text", text: { body: `dup ${token}` } });
    await postWhatsapp(body);
    await postWhatsapp(body);
    await runSession(`whatsapp:${from}`);
    expect((await postWhatsapp(body)).status).toBe(200);
    await runSession(`whatsapp:${from}`);
    await eventually(async () => (await whatsappTexts(from)).length > 0);
    expect(await whatsappTexts(from)).toEqual([`echo: dup ${token}`]);
    expect(await llmRequests(token)).toHaveLength(1);
    expect(await whatsappCalls(from, "read")).toHaveLength(1);
  });

  it("should acknowledge at once while the model takes longer", async () => {
    const from = await approvedSender();
    const token = uniqueToken("waslow");
    // The test config's llmTimeoutS is 3, so 2.5 s is the slowest model these tests can script.
    const modelMs = 2_500;
    await scriptLlm(token, [{ content: `finally ${token}`, delayMs: modelMs }]);
    const started = Date.now();
    const res = await postWhatsapp(whatsappMessage(from, { type: "text", text: { body: `slow ${token}` } }));
    const ackMs = Date.now() - started;
    expect(res.status).toBe(200);
    expect(ackMs).toBeLessThan(modelMs);
    await runSession(`whatsapp:${from}`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(modelMs);
    expect(await whatsappTexts(from)).toEqual([`finally ${token}`]);
  }, 30_000);

  it("should ignore delivery statuses cleanly: 200, no session, no call", async () => {
    const to = waId();
    const res = await postWhatsapp(whatsappPayload({ statuses: [{ id: wamid(), status: "delivered", timestamp: String(Math.floor(Date.now() / 1000)), recipient_id: to }] }));
    expect(res.status).toBe(200);
    expect(await runSession(`whatsapp:${to}`)).toBe(false);
    expect(await whatsappCalls(to)).toEqual([]);
  });

  it("should fetch an image with the access token into R2 and show it to the model", async () => {
    const from = await approvedSender();
    const token = uniqueToken("waimg");
    const mediaId = `media-${token}`;
    await whatsappMedia(mediaId, PNG, "image/png");
    await postWhatsapp(whatsappMessage(from, { type: "image", image: { id: mediaId, mime_type: "image/png", sha256: "x", caption: `what is this ${token}` } }));
    await runSession(`whatsapp:${from}`);
    const [request] = await atLeast(1, () => llmRequests(token));
    const user = request.body.messages.findLast((m: { role: string }) => m.role === "user");
    const png = btoa(String.fromCharCode(...PNG));
    expect(JSON.stringify(user.content)).toContain(`data:image/png;base64,${png}`);
  });

  it("should store a document in the workspace where the model can read it", async () => {
    const from = await approvedSender();
    const token = uniqueToken("wadoc");
    const mediaId = `media-${token}`;
    await whatsappMedia(mediaId, new TextEncoder().encode(`notes ${token}`), "text/plain");
    await postWhatsapp(whatsappMessage(from, { type: "document", document: { id: mediaId, mime_type: "text/plain", filename: `${token}.txt`, caption: `read this ${token}` } }));
    await runSession(`whatsapp:${from}`);
    const [request] = await atLeast(1, () => llmRequests(token));
    const match = /\[Attached file: (media\/[\w-]+\.txt) /.exec(JSON.stringify(request.body.messages));
    expect(match).not.toBeNull();
    expect(await (await env.WORKSPACE.get(`workspaces/main/${match![1]}`))?.text()).toBe(`notes ${token}`);
  });

  it("should transcribe a voice note for the model", async () => {
    const from = await approvedSender();
    const marker = uniqueToken("wavoice");
    const mediaId = `media-${marker}`;
    await whatsappMedia(mediaId, new TextEncoder().encode(`OggS fake opus ${marker}`), "audio/ogg");
    await fetch(`${standIns().llm}/__media-scripts`, { method: "POST", body: JSON.stringify({ match: marker, text: `call mom ${marker}` }) });
    await postWhatsapp(whatsappMessage(from, { type: "audio", audio: { id: mediaId, mime_type: "audio/ogg; codecs=opus", sha256: "x", voice: true } }));
    await runSession(`whatsapp:${from}`);
    const [request] = await atLeast(1, () => llmRequests(`call mom ${marker}`));
    expect(JSON.stringify(request.body.messages)).toMatch(/\[Transcription of media\/[\w-]+-audio\.ogg\]\\ncall mom/);
  });

  it("should answer each message of a batched delivery", async () => {
    const [a, b] = [await approvedSender(), await approvedSender()];
    const token = uniqueToken("wabatch");
    const payload = whatsappPayload({
      contacts: [{ profile: { name: "A" }, wa_id: a }, { profile: { name: "B" }, wa_id: b }],
      messages: [
        { from: a, id: wamid(), timestamp: "1", type: "text", text: { body: `first ${token}` } },
        { from: b, id: wamid(), timestamp: "1", type: "text", text: { body: `second ${token}` } },
      ],
    });
    expect((await postWhatsapp(payload)).status).toBe(200);
    await runSession(`whatsapp:${a}`);
    await runSession(`whatsapp:${b}`);
    expect(await atLeast(1, () => whatsappTexts(a))).toEqual([`echo: first ${token}`]);
    expect(await atLeast(1, () => whatsappTexts(b))).toEqual([`echo: second ${token}`]);
  });

  it("should give an unknown sender a pairing code and nothing else", async () => {
    await env.DB.prepare("DELETE FROM pairing_requests WHERE channel = 'whatsapp'").run();
    const from = waId();
    const token = uniqueToken("wastranger");
    await postWhatsapp(whatsappMessage(from, { type: "text", text: { body: `hi ${token}` } }));
    const [reply] = await atLeast(1, () => whatsappTexts(from));
    expect(reply).toMatch(/[A-Z0-9]{4}-[A-Z0-9]{4}/);
    expect(await runSession(`whatsapp:${from}`)).toBe(false);
    expect(await llmRequests(token)).toHaveLength(0);
  });
});
