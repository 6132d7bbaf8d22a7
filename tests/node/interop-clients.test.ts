/**
 * Interop: the real client packages (official `openai`, Vercel `ai` + `@ai-sdk/openai`, `@langchain/openai`)
 * against the real `npm start` gateway (wrangler dev, workerd), its LLM pointed at the stand-in LLM, which
 * scripts the model's tool calls. One gateway serves the whole file.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createOpenAI } from "@ai-sdk/openai";
import { AIMessage, HumanMessage, ToolMessage } from "@langchain/core/messages";
import { ChatOpenAI } from "@langchain/openai";
import { generateText, stepCountIs, streamText, tool } from "ai";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { startGatewayProcess, type GatewayProcess } from "../support/gateway-process.ts";
import { startStandInLlm, type ScriptStep, type StandInLlm } from "../support/stand-in-llm.ts";

const API_KEY = "interop-key";
let llm: StandInLlm;
let gateway: GatewayProcess;
let persistDir: string;
let client: OpenAI;

const token = (label: string) => `${label}-${crypto.randomUUID().slice(0, 8)}`;
const script = (match: string, steps: ScriptStep[]) => fetch(`${llm.url}/__scripts`, { method: "POST", body: JSON.stringify({ match, steps }) });
const llmRequests = async (match: string) => (await (await fetch(`${llm.url}/__requests?match=${encodeURIComponent(match)}`)).json()) as Array<{ body: any }>;
const weatherCall = (city: string): ScriptStep => ({ toolCalls: [{ name: "weather", arguments: { city } }] });

beforeAll(async () => {
  llm = await startStandInLlm();
  persistDir = mkdtempSync(path.join(os.tmpdir(), "nanobot-interop-"));
  gateway = await startGatewayProcess(persistDir, {
    agents: { defaults: { provider: "custom", model: "test-model" } },
    modelPresets: { fast: { provider: "custom", model: "m-fast" } },
    providers: { custom: { apiKey: "sk-test", apiBase: `${llm.url}/v1` } },
    api: { apiKey: API_KEY },
  });
  client = new OpenAI({ apiKey: API_KEY, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
}, 120_000);

afterAll(async () => {
  await gateway?.stop();
  await llm?.close();
  if (persistDir) rmSync(persistDir, { recursive: true, force: true });
});

describe("official openai client", () => {
  it("should chat, stream, keep a session and look up models", async () => {
    const t = token("oa");
    await script(t, [{ content: "Hello there." }, { content: "Streamed answer.", chunkSize: 4 }]);
    const completion = await client.chat.completions.create({ model: "test-model", messages: [{ role: "user", content: `hi ${t}` }], session_id: t } as never);
    expect((completion as OpenAI.Chat.ChatCompletion).choices[0].message.content).toBe("Hello there.");
    const stream = await client.chat.completions.create({ model: "test-model", stream: true, messages: [{ role: "user", content: `again ${t}` }], session_id: t } as never);
    let text = "";
    for await (const chunk of stream as unknown as AsyncIterable<OpenAI.Chat.ChatCompletionChunk>) text += chunk.choices[0]?.delta?.content ?? "";
    expect(text).toBe("Streamed answer.");
    // The session kept the first exchange: only the new message was sent, the model saw both.
    expect((await llmRequests(t)).at(-1)!.body.messages.filter((m: any) => m.role === "user")).toHaveLength(2);
    expect(await client.models.retrieve("fast")).toMatchObject({ id: "fast", object: "model", nanobot: { preset: true } });
    const missing = await client.models.retrieve("nope").catch((e) => e);
    expect(missing).toBeInstanceOf(OpenAI.APIError);
    expect(missing.status).toBe(404);
  });

  it("should create, stream and chain responses", async () => {
    const t = token("oar");
    await script(t, [{ content: "The code word is lilac." }, { content: "It was lilac.", chunkSize: 3 }]);
    const first = await client.responses.create({ model: "test-model", input: `remember lilac ${t}` });
    expect(first.output_text).toBe("The code word is lilac.");
    const stream = client.responses.stream({ model: "test-model", input: `which word? ${t}`, previous_response_id: first.id });
    const deltas: string[] = [];
    stream.on("response.output_text.delta", (e) => deltas.push(e.delta));
    const second = await stream.finalResponse();
    expect(second.output_text).toBe("It was lilac.");
    expect(deltas.length).toBeGreaterThan(1);
    const sent = (await llmRequests(t)).at(-1)!.body.messages;
    expect(sent.some((m: any) => m.role === "assistant" && m.content === "The code word is lilac.")).toBe(true);
    expect((await client.responses.retrieve(second.id)).previous_response_id).toBe(first.id);
    const err = await client.responses.create({ input: "x", previous_response_id: "resp_unknown" }).catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect(err.status).toBe(404);
  });
});

describe("Vercel AI SDK (Responses API by default)", () => {
  const openai = () => createOpenAI({ baseURL: `${gateway.url}/v1`, apiKey: API_KEY });

  it("should generateText and streamText", async () => {
    const t = token("ai");
    await script(t, [{ content: "Generated." }, { content: "Streamed by the SDK.", chunkSize: 5 }]);
    const generated = await generateText({ model: openai()("default"), prompt: `go ${t}` });
    expect(generated.text).toBe("Generated.");
    expect(generated.usage.totalTokens).toBeGreaterThan(0);
    const streamed = streamText({ model: openai()("default"), prompt: `stream ${t}` });
    const parts: string[] = [];
    for await (const part of streamed.textStream) parts.push(part);
    expect(parts.join("")).toBe("Streamed by the SDK.");
    expect(parts.length).toBeGreaterThan(1);
  });

  it("should run a tool's execute on the client and finish with its result", async () => {
    const t = token("aitool");
    await script(t, [weatherCall("Oslo"), { content: "Oslo: sunny, said the client." }]);
    const executed: string[] = [];
    const weather = tool({
      description: "Weather in a city",
      inputSchema: z.object({ city: z.string() }),
      execute: async ({ city }) => {
        executed.push(city);
        return `sunny in ${city}`;
      },
    });
    const result = await generateText({ model: openai()("default"), prompt: `weather? ${t}`, tools: { weather }, stopWhen: stepCountIs(3) });
    expect(executed).toEqual(["Oslo"]);
    expect(result.text).toBe("Oslo: sunny, said the client.");
    // The same through streamed responses (function_call items arrive as stream events).
    const s = token("aitoolstream");
    await script(s, [weatherCall("Nice"), { content: "Nice: sunny too.", chunkSize: 4 }]);
    const streamed = streamText({ model: openai()("default"), prompt: `weather? ${s}`, tools: { weather }, stopWhen: stepCountIs(3) });
    expect(await streamed.text).toBe("Nice: sunny too.");
    expect(executed).toEqual(["Oslo", "Nice"]);
    const sent = (await llmRequests(t)).at(-1)!.body.messages;
    // The SDK sends the earlier call as an item_reference (store is on by default): the gateway resolved it.
    expect(sent.find((m: any) => m.role === "assistant" && m.tool_calls)?.tool_calls[0].function.name).toBe("weather");
    expect(sent.at(-1)).toMatchObject({ role: "tool", content: "sunny in Oslo" });
  });
});

describe("LangChain ChatOpenAI", () => {
  const weather = { name: "weather", description: "Weather in a city", schema: z.object({ city: z.string() }) };

  for (const useResponsesApi of [false, true]) {
    it(`should call a bound tool and use the client's answer (${useResponsesApi ? "Responses API" : "chat completions"})`, async () => {
      const t = token(useResponsesApi ? "lcr" : "lcc");
      await script(t, [weatherCall("Paris"), { content: "Paris is rainy, per your tool." }]);
      const model = new ChatOpenAI({ model: "default", apiKey: API_KEY, configuration: { baseURL: `${gateway.url}/v1` }, useResponsesApi, maxRetries: 0 });
      const bound = model.bindTools([weather]);
      const question = new HumanMessage(`weather in Paris? ${t}`);
      const ai = (await bound.invoke([question])) as AIMessage;
      expect(ai.tool_calls?.[0]).toMatchObject({ name: "weather", args: { city: "Paris" } });
      const answer = new ToolMessage({ tool_call_id: ai.tool_calls![0].id!, content: "rainy, 12C" });
      const final = await bound.invoke([question, ai, answer]);
      expect(final.text).toBe("Paris is rainy, per your tool.");
      const sent = (await llmRequests(t)).at(-1)!.body.messages;
      expect(sent.at(-1)).toMatchObject({ role: "tool", content: "rainy, 12C" });
    });
  }
});
