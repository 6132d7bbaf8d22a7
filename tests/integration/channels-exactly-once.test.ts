/**
 * Exactly-once delivery per part for the channels merged after Telegram and Slack: a 3-part reply whose 2nd part
 * fails once at the platform, the session object reset before the retry, and the chat shows each part once.
 */
import { env, runInDurableObject, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { emailChannel } from "../../src/channels/email/email-channel.ts";
import { memoryLedger } from "../../src/channels/outbound.ts";
import { recentUndelivered } from "../../src/channels/undelivered.ts";
import { loadConfig } from "../../src/config/load-config.ts";
import { approveSender, eventually, resetSession, runSession, uniqueId } from "../support/channel-script.ts";
import { dingtalkCalls, dingtalkMessage, postDingtalk } from "../support/dingtalk-script.ts";
import { askCommand, okCalls, postDiscord, snowflake } from "../support/discord-script.ts";
import { feishuCalls, feishuChatId, feishuMessageEvent, feishuMessageId, finalCards, postFeishu } from "../support/feishu-script.ts";
import { llmRequests, scriptLlm, standIns, uniqueToken } from "../support/llm-script.ts";
import { markedParts } from "../support/long-reply.ts";
import { postQq, qqEvent, qqId, qqSent } from "../support/qq-script.ts";
import type { Fault } from "../support/stand-in-http.ts";
import type { WecomCall } from "../support/stand-in-wecom.ts";
import { postWhatsapp, waId, whatsappFault, whatsappMessage, whatsappTexts } from "../support/whatsapp-script.ts";

const postJson = (url: string, body: unknown) => fetch(url, { method: "POST", body: JSON.stringify(body) });


/** The delivery ledger of the session's latest inbox row (delivery-ledger.ts). */
const ledgerOf = (key: string) =>
  runInDurableObject(env.SESSIONS.getByName(key), (_i, state) => {
    const row = state.storage.sql.exec("SELECT delivery FROM inbox ORDER BY id DESC LIMIT 1").toArray()[0];
    return JSON.parse(String(row?.delivery ?? "{}")) as Record<string, string | number>;
  });
const partsOnRecord = async (key: string) => Number((await ledgerOf(key)).parts ?? 0);

const retryDue = (key: string) =>
  runInDurableObject(env.SESSIONS.getByName(key), (_i, state) => state.storage.sql.exec("SELECT due_at FROM schedule WHERE key = 'delivery-retry'").toArray()[0]?.due_at as number | undefined);

/** Moves the delivery retry to now, as if its time had come. */
const retryNow = (key: string) =>
  runInDurableObject(env.SESSIONS.getByName(key), async (_i, state) => {
    state.storage.sql.exec("UPDATE schedule SET due_at = ? WHERE key = 'delivery-retry'", Date.now() - 1);
    await state.storage.setAlarm(Date.now());
  });

interface Chat {
  key: string;
  /** Makes the part whose text includes `text` fail once at the stand-in. */
  failOnce(text: string): Promise<void>;
  /** Sends the user's message through the Worker's webhook route. */
  post(text: string): Promise<Response>;
  /** What the chat shows, one text per message, in order. */
  shown(): Promise<string[]>;
}

interface Case {
  channel: string;
  /** The channel's part size (labels are 6 characters, see long-reply.ts). */
  limit: number;
  labels: [string, string, string];
  /** Seconds the platform asked to wait with its "slow down"; the retry must not come sooner. */
  retryAfterS?: number;
  chat(): Promise<Chat>;
}

const cases: Case[] = [
  {
    channel: "wecom",
    limit: 2048,
    labels: ["WECOMA", "WECOMB", "WECOMC"],
    retryAfterS: 60,
    async chat() {
      const from = `user${uniqueId()}`;
      await approveSender("wecom", from);
      const xml = (text: string) =>
        `<xml><ToUserName><![CDATA[wwstandincorp]]></ToUserName><FromUserName><![CDATA[${from}]]></FromUserName><CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${text}]]></Content><MsgId>${uniqueId()}</MsgId><AgentID>1000002</AgentID></xml>`;
      return {
        key: `wecom:${from}`,
        // 45009: WeCom's "API frequency out of limit".
        failOnce: (text) => postJson(`${standIns().wecom}/__faults`, { method: "message/send", chat: from, count: 1, status: 200, description: "45009", textIncludes: text } satisfies Fault).then(() => undefined),
        async post(text) {
          const cb = (await (await postJson(`${standIns().wecom}/__callback`, { xml: xml(text) })).json()) as { query: string; body: string };
          return SELF.fetch(`https://gateway.test/webhooks/wecom?${cb.query}`, { method: "POST", headers: { "content-type": "text/xml" }, body: cb.body });
        },
        async shown() {
          const calls = (await (await fetch(`${standIns().wecom}/__calls?touser=${from}&method=message/send`)).json()) as WecomCall[];
          return calls.filter((c) => c.ok).map((c) => String(c.params.markdown?.content ?? c.params.text?.content));
        },
      };
    },
  },
  {
    channel: "feishu",
    limit: 6000,
    labels: ["FEISHA", "FEISHB", "FEISHC"],
    retryAfterS: 45,
    async chat() {
      const chatId = feishuChatId();
      const messageId = feishuMessageId();
      return {
        key: `feishu:${chatId}`,
        // A 429 with x-ogw-ratelimit-reset longer than the inline wait: the session's retry alarm must honour it.
        failOnce: (text) => postJson(`${standIns().feishu}/__rate-limit`, { target: messageId, count: 1, resetS: 45, textIncludes: text }).then(() => undefined),
        post: (text) => postFeishu(feishuMessageEvent({ chatId, messageId, text })),
        shown: () => finalCards(messageId),
      };
    },
  },
  {
    channel: "dingtalk",
    limit: 4000,
    labels: ["DINGTA", "DINGTB", "DINGTC"],
    retryAfterS: 60,
    async chat() {
      const staffId = `staff-${uniqueId()}`;
      const session = `sess${uniqueId()}`;
      await approveSender("dingtalk", staffId);
      return {
        key: `dingtalk:${staffId}`,
        // 130101 (the stand-in's default): "send too fast, exceed 20 times per minute".
        failOnce: (text) => postJson(`${standIns().dingtalk}/__faults`, { method: "session", chat: session, count: 1, status: 200, textIncludes: text } satisfies Fault).then(() => undefined),
        post: (text) => postDingtalk(dingtalkMessage({ staffId, session, text })),
        shown: async () => (await dingtalkCalls(session, "session")).map((c) => String(c.params.markdown?.text)),
      };
    },
  },
  {
    channel: "qq",
    limit: 2000,
    labels: ["QQPRTA", "QQPRTB", "QQPRTC"],
    retryAfterS: 45,
    async chat() {
      const openid = qqId("U");
      const chat = `c2c:${openid}`;
      await approveSender("qq", openid);
      return {
        key: `qq:${chat}`,
        failOnce: (text) => postJson(`${standIns().qq}/__faults`, { method: "messages", chat, count: 1, status: 429, retryAfter: 45, textIncludes: text } satisfies Fault).then(() => undefined),
        post: (text) => postQq(qqEvent("C2C_MESSAGE_CREATE", { author: { id: openid, user_openid: openid }, content: text })),
        shown: async () => (await qqSent(chat)).map((c) => String(c.params.content)),
      };
    },
  },
  {
    channel: "discord",
    limit: 2000,
    labels: ["DISCOA", "DISCOB", "DISCOC"],
    retryAfterS: 45,
    async chat() {
      const channelId = snowflake();
      let token = "";
      return {
        key: `discord:${channelId}`,
        // The follow-up (part 2) is rate limited with a retry_after longer than the inline wait.
        failOnce: async (text) => void (await postJson(`${standIns().discord.replace(/\/api\/v10$/, "")}/__faults`, { method: "follow-up", count: 1, status: 429, retryAfter: 45, textIncludes: text } satisfies Fault)),
        async post(text) {
          const body = askCommand(text, { channelId });
          token = body.token;
          return postDiscord(body);
        },
        async shown() {
          const calls = (await okCalls({ token })).filter((c) => !String(c.body.content ?? "").startsWith("⏳"));
          const original = calls.filter((c) => c.kind === "edit-original").at(-1);
          return [...(original ? [original] : []), ...calls.filter((c) => c.kind === "follow-up")].map((c) => String(c.body.content));
        },
      };
    },
  },
  {
    channel: "whatsapp",
    limit: 4096,
    labels: ["WHATSA", "WHATSB", "WHATSC"],
    retryAfterS: 45,
    async chat() {
      const to = waId();
      await approveSender("whatsapp", to);
      return {
        key: `whatsapp:${to}`,
        failOnce: (text) => whatsappFault({ method: "text", chat: to, count: 1, status: 429, retryAfter: 45, textIncludes: text }),
        post: (text) => postWhatsapp(whatsappMessage(to, { type: "text", text: { body: text } })),
        shown: () => whatsappTexts(to),
      };
    },
  },
];

describe("exactly-once delivery per part, with the session object reset mid-delivery", { timeout: 40_000 }, () => {
  for (const c of cases) {
    it(`should show each part of a 3-part ${c.channel} reply once when part 2 fails and the object is reset before the retry`, async () => {
      const chat = await c.chat();
      const token = uniqueToken(`${c.channel}3`);
      const reply = markedParts(c.labels, c.limit);
      await scriptLlm(token, [{ content: reply.text, chunkSize: 2_000 }]);
      await chat.failOnce(`${c.labels[1]} line 000`);
      expect((await chat.post(`three parts ${token}`)).status).toBe(200);
      const started = Date.now();
      await runSession(chat.key);
      // Part 1 is in the chat and on record in SQLite, part 2 failed: a retry is scheduled.
      expect((await chat.shown()).map((t) => t.split(" ")[0])).toEqual([c.labels[0]]);
      expect(await partsOnRecord(chat.key)).toBe(1);
      const due = await retryDue(chat.key);
      expect(due).toBeDefined();
      if (c.retryAfterS) expect(due).toBeGreaterThanOrEqual(started + c.retryAfterS * 1000);
      await resetSession(chat.key);
      await retryNow(chat.key);
      await runSession(chat.key);
      const shown = await eventually(async () => ((await chat.shown()).length >= 3 ? chat.shown() : null));
      expect(shown.map((t) => t.split(" ")[0])).toEqual(c.labels);
      // Nothing is left to send: another alarm adds nothing.
      await runSession(chat.key);
      expect(await chat.shown()).toHaveLength(3);
      expect(await llmRequests(token)).toHaveLength(1);
    });
  }

  it("should update Feishu's streamed card, not post a second one, when the turn is resumed after a reset", async () => {
    const chatId = feishuChatId();
    const messageId = feishuMessageId();
    const key = `feishu:${chatId}`;
    const token = uniqueToken("fscard");
    await scriptLlm(token, [{ content: `Streaming ${token} ${"piece ".repeat(60).trim()}`, chunkSize: 20, chunkDelayMs: 150 }, { content: `Final answer ${token}` }]);
    await postFeishu(feishuMessageEvent({ chatId, messageId, text: `stream then crash ${token}` }));
    const firstRun = runSession(key).catch((err) => err);
    const [card] = await eventually(async () => {
      const posted = (await feishuCalls(messageId, "reply")).filter((c) => c.code === 0);
      return posted.length > 0 && posted;
    });
    // The card's id is on record before the object dies, so the next instance can find it.
    await eventually(async () => (await ledgerOf(key))["v:card"] === card.messageId);
    await resetSession(key);
    await firstRun;
    // What the lease alarm finds two minutes later: the row claimed by a run that died.
    await runInDurableObject(env.SESSIONS.getByName(key), (_i, state) => {
      state.storage.sql.exec("UPDATE inbox SET lease_until = 0, created_at = created_at - 120000");
    });
    await runSession(key);
    await eventually(async () => (await feishuCalls(messageId, "update")).some((c) => c.messageId === card.messageId && c.params.content.includes(`Final answer ${token}`)));
    expect((await feishuCalls(messageId, "reply")).filter((c) => c.code === 0)).toHaveLength(1);
    expect(await finalCards(messageId)).toEqual([`Final answer ${token}`]);
  });

  it("should send an email reply (one part) at most once per ledger: a resumed delivery finds it on record", async () => {
    const loaded = loadConfig(env);
    if (!loaded.ok) throw new Error(loaded.error.message);
    // An address outside allowFrom: the mail is refused and recorded as undelivered, which makes each try visible.
    const chatId = `cron-${uniqueId()}@example.com`;
    const request = { sessionKey: `email:${chatId}`, workspaceId: "main", automation: "cron", message: { channel: "email", chatId, senderId: chatId, text: "" } };
    const reply = { content: `report ${uniqueId()}`, model: "m", usage: { promptTokens: 1, completionTokens: 1 }, stopReason: "completed" };
    const ledger = memoryLedger();
    await emailChannel.outbound.deliver({ env, config: loaded.config, request, reply, inboxId: 1, ledger });
    expect(ledger.partsSent()).toBe(1);
    await emailChannel.outbound.deliver({ env, config: loaded.config, request, reply, inboxId: 1, ledger });
    expect(await recentUndelivered(env.WORKSPACE, { channel: "email", chatId })).toHaveLength(1);
  });
});
