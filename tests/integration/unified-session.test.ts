/**
 * agents.defaults.unifiedSession (nanobot's key): one conversation for a single user across channels. The
 * session key is chosen by the Worker when a message arrives, so these requests run the Worker with that
 * config (as a deploy with it would); every chat then shares the session `unified:default`.
 */
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../src/index.ts";
import { approveSender, eventually, finalTexts, runSession, sentTexts, telegramUpdate, uniqueId } from "../support/channel-script.ts";
import { llmRequests, standIns, uniqueToken } from "../support/llm-script.ts";
import { testConfig } from "../support/test-config.ts";

function unifiedConfig() {
  const config = testConfig(standIns());
  return { ...config, agents: { ...config.agents, defaults: { ...config.agents.defaults, unifiedSession: true } } };
}

async function call(request: Request): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(request, { ...env, NANOBOT_CONFIG: JSON.stringify(unifiedConfig()) }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

const telegram = (update: unknown) =>
  call(new Request("https://gw/webhooks/telegram", { method: "POST", headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": "tg-secret" }, body: JSON.stringify(update) }));

async function askApi(text: string, session: string): Promise<string> {
  const res = await call(
    new Request("https://gw/v1/chat/completions", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer key-123" },
      body: JSON.stringify({ model: "test-model", messages: [{ role: "user", content: text }], session_id: session }),
    }),
  );
  expect(res.status).toBe(200);
  return ((await res.json()) as { choices: Array<{ message: { content: string } }> }).choices[0].message.content;
}

/** Every text the model was shown in its request for `token`. */
const seenByModel = async (token: string) => JSON.stringify((await llmRequests(token)).at(-1)?.body.messages ?? []);

describe("agents.defaults.unifiedSession", () => {
  it("should continue one conversation from Telegram to the API, answer each where it was asked, and reset it with /new", async () => {
    const chat = uniqueId();
    await approveSender("telegram", String(chat));
    const fact = uniqueToken("locker");
    await telegram(telegramUpdate({ chatId: chat, text: `my locker code is ${fact}` }));
    await runSession("unified:default");
    // What the chat shows in the end (a slow first turn streams a preview that is then edited).
    await eventually(async () => (await finalTexts(chat)).includes(`echo: my locker code is ${fact}`));
    expect(await finalTexts(chat)).toEqual([`echo: my locker code is ${fact}`]);

    // Asked through the API (the CLI's session id): the model sees what was said on Telegram.
    const question = uniqueToken("ask");
    const answer = await askApi(`what is my locker code? ${question}`, "cli");
    expect(answer).toBe(`echo: what is my locker code? ${question}`);
    expect(await seenByModel(question)).toContain(`my locker code is ${fact}`);
    // The API's answer went back to the API caller only.
    expect(await finalTexts(chat)).toHaveLength(1);

    // /new from Telegram resets the shared conversation for every channel.
    await telegram(telegramUpdate({ chatId: chat, text: "/new" }));
    await eventually(async () => (await sentTexts(chat)).length > 1);
    const after = uniqueToken("after");
    await askApi(`and now? ${after}`, "cli");
    expect(await seenByModel(after)).toContain(`and now? ${after}`);
    expect(await seenByModel(after)).not.toContain(fact);
  });

  it("should keep sessions apart when it is off (the default)", async () => {
    const chat = uniqueId();
    await approveSender("telegram", String(chat));
    const fact = uniqueToken("apart");
    const ctx = createExecutionContext();
    await worker.fetch(
      new Request("https://gw/webhooks/telegram", { method: "POST", headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": "tg-secret" }, body: JSON.stringify(telegramUpdate({ chatId: chat, text: `secret ${fact}` })) }),
      env,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    await runSession(`telegram:${chat}`);
    await eventually(async () => (await sentTexts(chat)).length > 0);
    const question = uniqueToken("sep");
    const res = await worker.fetch(
      new Request("https://gw/v1/chat/completions", {
        method: "POST",
        headers: { "content-type": "application/json", authorization: "Bearer key-123" },
        body: JSON.stringify({ messages: [{ role: "user", content: `what secret? ${question}` }], session_id: `cli-${question}` }),
      }),
      env,
      createExecutionContext(),
    );
    await res.text();
    expect(await seenByModel(question)).toContain(`what secret? ${question}`);
    expect(await seenByModel(question)).not.toContain(fact);
  });
});
