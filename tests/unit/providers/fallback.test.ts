import { describe, expect, it } from "vitest";
import { createProvider, requestDefaults } from "../../../src/providers/create-provider.ts";
import { CircuitBreaker } from "../../../src/providers/fallback.ts";
import { llmRequests, scriptLlm, uniqueToken } from "../../support/llm-script.ts";
import { customConfig, userMessage } from "./kit.ts";

/** Primary "primary-<token>" plus a preset and an inline fallback, all on the stand-in LLM. */
function setup(token: string, breakerChoice: CircuitBreaker | "isolate" = new CircuitBreaker()) {
  const breaker = breakerChoice === "isolate" ? undefined : breakerChoice;
  const config = customConfig(
    { model: `primary-${token}`, fallbackModels: ["backup", { provider: "custom", model: `inline-${token}`, maxTokens: 99 }] },
    { modelPresets: { backup: { provider: "custom", model: `backup-${token}`, maxTokens: 128 } } },
  );
  const { provider, choice, fallbacks } = createProvider({ config, env: {}, retry: { delaysMs: [] }, breaker });
  const ask = () => provider.chat({ ...requestDefaults(choice), messages: [userMessage(`question ${token}`)] });
  return { ask, fallbacks };
}

const modelsAsked = async (token: string) => (await llmRequests(token)).map((r) => r.body.model);

describe("fallback models and the circuit breaker", () => {
  it("should resolve fallbackModels from preset names and inline choices, in order", () => {
    const { fallbacks } = setup("resolve");
    expect(fallbacks.map((f) => [f.model, f.maxTokens, f.presetName])).toEqual([
      ["backup-resolve", 128, "backup"],
      ["inline-resolve", 99, null],
    ]);
  });

  it("should answer from the first fallback with its own model when the primary fails", async () => {
    const token = uniqueToken("fb");
    await scriptLlm(token, [{ status: 503 }, { content: "from the backup" }]);
    const { ask } = setup(token);
    const res = await ask();
    expect(res.content).toBe("from the backup");
    expect(res.model).toBe(`backup-${token}`);
    const sent = await llmRequests(token);
    expect(sent.map((r) => r.body.model)).toEqual([`primary-${token}`, `backup-${token}`]);
    expect(sent[1].body.max_tokens).toBe(128);
  });

  it("should walk the whole list and throw the last error when every model fails", async () => {
    const token = uniqueToken("allfail");
    await scriptLlm(token, [{ status: 500 }, { status: 429 }, { status: 401 }]);
    const { ask } = setup(token);
    await expect(ask()).rejects.toMatchObject({ kind: "auth" });
    expect(await modelsAsked(token)).toEqual([`primary-${token}`, `backup-${token}`, `inline-${token}`]);
  });

  it("should not fall back when the provider rejected the request as invalid", async () => {
    const token = uniqueToken("invalid");
    await scriptLlm(token, [{ status: 400, body: JSON.stringify({ error: { message: "messages: too long" } }) }, { content: "unused" }]);
    const { ask } = setup(token);
    const err = await ask().catch((e) => e);
    expect(err).toMatchObject({ kind: "invalid_request", status: 400 });
    expect(err.userMessage).toBe("The LLM provider 'custom' rejected the request (HTTP 400): messages: too long");
    expect(await modelsAsked(token)).toEqual([`primary-${token}`]);
  });

  it("should open the breaker after 3 consecutive primary failures and skip the primary while open", async () => {
    const token = uniqueToken("breaker");
    let now = 1_000_000;
    const breaker = new CircuitBreaker({ now: () => now });
    const steps = [];
    for (let i = 0; i < 3; i++) steps.push({ status: 500 }, { content: `backup ${i}` });
    steps.push({ content: "backup while open" }, { content: "primary again" });
    await scriptLlm(token, steps);
    const { ask } = setup(token, breaker);
    for (let i = 0; i < 3; i++) expect((await ask()).content).toBe(`backup ${i}`);
    expect((await ask()).content).toBe("backup while open");
    const asked = await modelsAsked(token);
    expect(asked.filter((m) => m === `primary-${token}`)).toHaveLength(3);
    expect(asked[asked.length - 1]).toBe(`backup-${token}`);

    now += 60_001;
    const res = await ask();
    expect(res).toMatchObject({ content: "primary again", model: `primary-${token}` });
  });

  it("should share the isolate-wide breaker between providers created for the same model", async () => {
    const token = uniqueToken("shared");
    const breaker = "isolate"; // the default: state lives in the isolate, across sessions
    await scriptLlm(token, [{ status: 500 }, { content: "b1" }, { status: 500 }, { content: "b2" }, { status: 500 }, { content: "b3" }, { content: "b4" }]);
    for (let i = 0; i < 3; i++) await setup(token, breaker).ask();
    const res = await setup(token, breaker).ask();
    expect(res).toMatchObject({ content: "b4", model: `backup-${token}` });
  });
});
