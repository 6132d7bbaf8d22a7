import { createExecutionContext, env, runInDurableObject, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../src/index.ts";
import { llmRequests, scriptLlm, uniqueToken } from "../support/llm-script.ts";
import { approveSender, eventually, finalTexts, postTelegram, runSession, telegramFile, telegramUpdate, uniqueId } from "../support/channel-script.ts";

const PNG = Uint8Array.from(atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="), (c) => c.charCodeAt(0));

async function allowedChat(): Promise<number> {
  const chat = uniqueId();
  await approveSender("telegram", String(chat));
  return chat;
}

/** What the chat shows once the session is idle (alarms run until nothing is left). */
async function settled(key: string, chat: number, expected: number): Promise<string[]> {
  await runSession(key);
  const shown = await eventually(async () => {
    const texts = await finalTexts(chat);
    return texts.length >= expected && texts;
  }, 20_000);
  await runSession(key);
  return shown;
}

/**
 * A binding that fails its first `failures` calls the way the runtime reports an outage, then passes through.
 * Used only where a real fault cannot be produced from a test: D1 and R2 run inside workerd here, with no
 * server of their own to stop.
 */
function failing<T extends object>(target: T, failures: number, methods: string[], message: string): { binding: T; failed: () => number } {
  let failed = 0;
  const wrap = (obj: object): object =>
    new Proxy(obj, {
      get(t, prop, receiver) {
        const value = Reflect.get(t, prop, receiver);
        if (typeof value !== "function") return value;
        return (...args: unknown[]) => {
          if (methods.includes(String(prop)) && failed < failures) {
            failed++;
            return Promise.reject(new Error(message));
          }
          const result = value.apply(t, args);
          // D1: prepare() → statement → bind() → statement; wrap what they return so run/first/all can fail.
          return result && typeof result === "object" && !(result instanceof Promise) ? wrap(result) : result;
        };
      },
    });
  return { binding: wrap(target) as T, failed: () => failed };
}

describe("faults: the model provider", () => {
  it("should answer once after two 5xx answers", async () => {
    const chat = await allowedChat();
    const token = uniqueToken("p5xx");
    await scriptLlm(token, [{ status: 502 }, { status: 503 }, { content: `recovered ${token}` }]);
    await postTelegram(telegramUpdate({ chatId: chat, text: `hello ${token}` }));
    expect(await settled(`telegram:${chat}`, chat, 1)).toEqual([`recovered ${token}`]);
    expect(await llmRequests(token)).toHaveLength(3);
  });

  it("should answer once after a call that never answers (timeout)", async () => {
    const chat = await allowedChat();
    const token = uniqueToken("ptimeout");
    await scriptLlm(token, [{ hang: true }, { content: `in time ${token}` }]);
    await postTelegram(telegramUpdate({ chatId: chat, text: `hello ${token}` }));
    expect(await settled(`telegram:${chat}`, chat, 1)).toEqual([`in time ${token}`]);
  });

  it("should tell the user once when the provider stays down", async () => {
    const chat = await allowedChat();
    const token = uniqueToken("pdown");
    await scriptLlm(token, Array.from({ length: 6 }, () => ({ status: 500 })));
    await postTelegram(telegramUpdate({ chatId: chat, text: `hello ${token}` }));
    const shown = await settled(`telegram:${chat}`, chat, 1);
    expect(shown).toHaveLength(1);
    expect(shown[0]).toMatch(/LLM provider 'custom'/);
  });
});

describe("faults: D1 and R2", () => {
  it("should refuse the webhook while D1 fails (so Telegram redelivers) and answer the redelivery once", async () => {
    const chat = await allowedChat();
    const token = uniqueToken("d1");
    const update = telegramUpdate({ chatId: chat, text: `d1 ${token}` });
    const db = failing(env.DB, 100, ["run", "first", "all", "raw"], "D1_ERROR: Network connection lost.");
    const request = () =>
      new Request("https://gateway.test/webhooks/telegram", { method: "POST", headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": "tg-secret" }, body: JSON.stringify(update) });
    const ctx = createExecutionContext();
    const refused = await worker.fetch(request() as never, { ...env, DB: db.binding }, ctx);
    await waitOnExecutionContext(ctx);
    expect(refused.status).toBe(500);
    expect(await refused.text()).not.toContain("D1_ERROR");
    expect(db.failed()).toBeGreaterThan(0);
    // Telegram redelivers the same update once D1 is back.
    expect((await postTelegram(update)).status).toBe(200);
    expect((await postTelegram(update)).status).toBe(200);
    expect(await settled(`telegram:${chat}`, chat, 1)).toEqual([`echo: d1 ${token}`]);
    expect(await llmRequests(token)).toHaveLength(1);
  });

  it("should retry a turn whose image read fails on R2 and answer once, without an error message", async () => {
    const chat = await allowedChat();
    const key = `telegram:${chat}`;
    const token = uniqueToken("r2");
    let failed = () => 0;
    // The session object's own bucket: its next R2 read fails once, as an R2 outage answers.
    await runInDurableObject(env.SESSIONS.getByName(key), (instance) => {
      const r2 = failing(env.WORKSPACE, 1, ["get"], "R2 internal error (10001): We encountered an internal error. Please try again.");
      failed = r2.failed;
      (instance as unknown as { env: typeof env }).env = { ...env, WORKSPACE: r2.binding };
    });
    await telegramFile(`file-${token}`, `photos/${token}.png`, PNG);
    await postTelegram(telegramUpdate({ chatId: chat, photoFileId: `file-${token}`, caption: `what is this ${token}` }));
    await runSession(key);
    expect(failed()).toBe(1);
    // The retry comes from the session's own alarm a few seconds later.
    const shown = await eventually(async () => {
      const texts = await finalTexts(chat);
      return texts.length > 0 && texts;
    }, 20_000);
    await runSession(key);
    // One answer, the echo of the caption (and the image's workspace path, which the model is told).
    expect(shown).toHaveLength(1);
    expect(shown[0]).toMatch(new RegExp(`^echo: what is this ${token}\\n\\n\\[Attached image: media/`));
    expect(await finalTexts(chat)).toEqual(shown);
    const requests = await llmRequests(token);
    expect(requests).toHaveLength(1);
    expect(JSON.stringify(requests[0].body.messages)).toContain("image_url");
  });
});
