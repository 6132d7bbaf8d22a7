import { env, runInDurableObject, SELF } from "cloudflare:test";
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { SessionDO } from "../../durable-objects/session-do.ts";
import type { TurnRequest } from "../../src/session-protocol/inbound.ts";
import { readTurnEvents } from "../../src/session-protocol/turn-events.ts";
import { llmRequests, scriptLlm, uniqueToken } from "../support/llm-script.ts";

const client = new OpenAI({ apiKey: "key-123", baseURL: "https://gw/v1", fetch: (url, init) => SELF.fetch(url as string, init), maxRetries: 0 });

const weather = { type: "function" as const, function: { name: "client_weather", description: "Weather in a city", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } } };
const weatherTool = { type: "function" as const, name: "client_weather", description: "Weather in a city", parameters: weather.function.parameters, strict: false };

describe("client-side tools, chat completions", () => {
  it("should stop at a client tool call and continue the same turn with the client's result", async () => {
    const token = uniqueToken("ctool");
    const session = uniqueToken("s");
    await scriptLlm(token, [
      // The server's own tool runs in the same model step; only the client's call goes back to the client.
      { toolCalls: [{ name: "list_dir", arguments: { path: "." } }, { name: "client_weather", arguments: { city: "Oslo" } }] },
      { content: "Oslo is sunny, 21 degrees." },
    ]);
    const first = await client.chat.completions.create({ messages: [{ role: "user", content: `weather in Oslo? ${token}` }], tools: [weather], session_id: session } as never) as OpenAI.Chat.ChatCompletion;
    expect(first.choices[0].finish_reason).toBe("tool_calls");
    const call = first.choices[0].message.tool_calls![0] as OpenAI.Chat.ChatCompletionMessageFunctionToolCall;
    expect(call.function).toEqual({ name: "client_weather", arguments: '{"city":"Oslo"}' });
    expect(first.choices[0].message.tool_calls).toHaveLength(1);
    const offered = (await llmRequests(token))[0].body.tools.map((t: any) => t.function.name);
    expect(offered).toContain("client_weather");
    expect(offered).toContain("list_dir");

    const second = await client.chat.completions.create({
      messages: [{ role: "tool", tool_call_id: call.id, content: "sunny, 21C" }],
      tools: [weather],
      session_id: session,
    } as never) as OpenAI.Chat.ChatCompletion;
    expect(second.choices[0].message.content).toBe("Oslo is sunny, 21 degrees.");
    const sent = (await llmRequests(token)).at(-1)!.body.messages;
    const tools = sent.filter((m: any) => m.role === "tool");
    expect(tools.map((m: any) => m.tool_call_id)).toEqual([expect.any(String), call.id]);
    expect(tools[1].content).toBe("sunny, 21C");
    expect(sent.filter((m: any) => m.role === "user")).toHaveLength(1);
  });

  it("should continue with the client's result after the session object restarted", async () => {
    const token = uniqueToken("crestart");
    const session = uniqueToken("s");
    await scriptLlm(token, [{ toolCalls: [{ name: "client_weather", arguments: { city: "Kyiv" } }] }, { content: "Kyiv: snow." }]);
    const first = (await client.chat.completions.create({ messages: [{ role: "user", content: `Kyiv? ${token}` }], tools: [weather], session_id: session } as never)) as OpenAI.Chat.ChatCompletion;
    const callId = first.choices[0].message.tool_calls![0].id;
    // A new object over the same storage is what a restart leaves: nothing in memory, only SQLite.
    const reply = await runInDurableObject(env.SESSIONS.getByName(`api:${session}`), async (_old, state) => {
      const fresh = new SessionDO(state as never, env);
      const turn: TurnRequest = {
        sessionKey: `api:${session}`,
        workspaceId: "main",
        message: { channel: "api", chatId: session, senderId: session, text: "" },
        api: { prelude: [{ role: "tool", toolCallId: callId, name: "", content: "snowing" }], resume: true },
      };
      const res = await fresh.fetch(new Request("https://session/turn", { method: "POST", body: JSON.stringify(turn) }));
      for await (const event of readTurnEvents(res.body!)) if (event.type === "done") return event.reply;
      return null;
    });
    expect(reply?.content).toBe("Kyiv: snow.");
    const sent = (await llmRequests(token)).at(-1)!.body.messages;
    expect(sent.at(-1)).toMatchObject({ role: "tool", tool_call_id: callId, content: "snowing" });
  });

  it("should use the given messages as the whole context when there is no session, and stream the call", async () => {
    const token = uniqueToken("cstateless");
    await scriptLlm(token, [{ toolCalls: [{ name: "client_weather", arguments: { city: "Rome" } }] }, { content: "Rome: warm." }]);
    const stream = await client.chat.completions.create({ model: "test-model", stream: true, messages: [{ role: "user", content: `Rome? ${token}` }], tools: [weather], tool_choice: "required" });
    let finish: string | null = null;
    const calls: any[] = [];
    for await (const chunk of stream) {
      finish = chunk.choices[0]?.finish_reason ?? finish;
      calls.push(...(chunk.choices[0]?.delta?.tool_calls ?? []));
    }
    expect(finish).toBe("tool_calls");
    expect(calls[0].function.name).toBe("client_weather");
    expect((await llmRequests(token))[0].body.tool_choice).toBe("required");
    const answer = await client.chat.completions.create({
      model: "test-model",
      messages: [
        { role: "user", content: `Rome? ${token}` },
        { role: "assistant", content: null, tool_calls: [{ id: calls[0].id, type: "function", function: { name: "client_weather", arguments: calls[0].function.arguments } }] },
        { role: "tool", tool_call_id: calls[0].id, content: "warm" },
      ],
      tools: [weather],
    });
    expect(answer.choices[0].message.content).toBe("Rome: warm.");
    const sent = (await llmRequests(token)).at(-1)!.body;
    expect(sent.messages.at(-1)).toMatchObject({ role: "tool", tool_call_id: calls[0].id, content: "warm" });
    // tool_choice forces only the first model call of a request; later calls are free to answer.
    expect(sent.tool_choice).toBeUndefined();
  });

  it("should refuse a client tool named like one of the agent's tools, naming it", async () => {
    const err = await client.chat.completions
      .create({ model: "test-model", messages: [{ role: "user", content: "hi" }], tools: [{ type: "function", function: { name: "read_file", parameters: {} } }] })
      .catch((e) => e);
    expect(err.status).toBe(400);
    expect(err.error).toMatchObject({ code: "tool_name_conflict", param: "tools[0].name" });
    expect(err.message).toContain("'read_file'");
  });
});

describe("client-side tools, Responses API", () => {
  it("should end with a function_call item and continue with a function_call_output", async () => {
    const token = uniqueToken("rtool");
    await scriptLlm(token, [{ content: "Checking.", toolCalls: [{ name: "client_weather", arguments: { city: "Lima" } }] }, { content: "Lima: foggy." }]);
    const first = await client.responses.create({ input: `Lima? ${token}`, tools: [weatherTool], tool_choice: { type: "function", name: "client_weather" } });
    const call = first.output.find((o) => o.type === "function_call")!;
    expect(call).toMatchObject({ type: "function_call", name: "client_weather", arguments: '{"city":"Lima"}', status: "completed" });
    expect((await llmRequests(token))[0].body.tool_choice).toEqual({ type: "function", function: { name: "client_weather" } });
    const second = await client.responses.create({
      previous_response_id: first.id,
      input: [{ type: "function_call_output", call_id: call.call_id, output: "foggy" }],
      tools: [weatherTool],
    });
    expect(second.output_text).toBe("Lima: foggy.");
    const sent = (await llmRequests(token)).at(-1)!.body.messages;
    expect(sent.at(-1)).toMatchObject({ role: "tool", tool_call_id: call.call_id, content: "foggy" });
  });

  it("should stream a function call as output item events", async () => {
    const token = uniqueToken("rtoolstream");
    await scriptLlm(token, [{ toolCalls: [{ name: "client_weather", arguments: { city: "Bern" } }] }]);
    const stream = client.responses.stream({ input: `Bern? ${token}`, tools: [weatherTool] });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    const final = await stream.finalResponse();
    expect(types).toContain("response.function_call_arguments.done");
    expect(final.output[0]).toMatchObject({ type: "function_call", name: "client_weather", arguments: '{"city":"Bern"}' });
  });
});
