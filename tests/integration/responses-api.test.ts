import { SELF } from "cloudflare:test";
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { llmRequests, scriptLlm, uniqueToken } from "../support/llm-script.ts";

const client = new OpenAI({ apiKey: "key-123", baseURL: "https://gw/v1", fetch: (url, init) => SELF.fetch(url as string, init), maxRetries: 0 });

const post = (body: object) =>
  SELF.fetch("https://gw/v1/responses", { method: "POST", headers: { authorization: "Bearer key-123", "content-type": "application/json" }, body: JSON.stringify(body) });

/** `event:`/`data:` frames of a server-sent event stream. */
function sseEvents(text: string): Array<{ event: string; data: any }> {
  return text
    .split("\n\n")
    .filter((f) => f.trim())
    .map((frame) => {
      const event = /^event: (.+)$/m.exec(frame)?.[1] ?? "";
      return { event, data: JSON.parse(/^data: (.+)$/m.exec(frame)![1]) };
    });
}

describe("Responses API", () => {
  it("should answer, keep the response, and continue it with previous_response_id", async () => {
    const token = uniqueToken("resp");
    await scriptLlm(token, [{ content: "Noted: teal.", usage: { prompt_tokens: 40, completion_tokens: 3 } }, { content: "You said teal." }]);
    const first = await client.responses.create({ model: "test-model", input: `my colour is teal ${token}`, instructions: `Speak briefly ${token}` });
    expect(first.id).toMatch(/^resp_[0-9a-f]{40}$/);
    expect(first.status).toBe("completed");
    expect(first.output_text).toBe("Noted: teal.");
    expect(first.usage).toMatchObject({ input_tokens: 40, output_tokens: 3, total_tokens: 43 });

    const second = await client.responses.create({ model: "test-model", input: `what colour? ${token}`, previous_response_id: first.id });
    expect(second.output_text).toBe("You said teal.");
    expect(second.previous_response_id).toBe(first.id);
    const sent = (await llmRequests(token)).at(-1)!.body.messages;
    expect(sent.map((m: any) => m.role)).toEqual(["system", "user", "assistant", "user"]);
    expect(sent[2].content).toBe("Noted: teal.");
    // Instructions hold for their own response only, as OpenAI's do.
    expect((await llmRequests(token))[0].body.messages[0].content).toContain(`Speak briefly ${token}`);
    expect(sent[0].content).not.toContain(`Speak briefly ${token}`);

    const fetched = await client.responses.retrieve(first.id);
    expect(fetched.output_text).toBe("Noted: teal.");
  });

  it("should branch from an older response of a chain with the history up to it", async () => {
    const token = uniqueToken("branch");
    await scriptLlm(token, [{ content: "A noted." }, { content: "B noted." }, { content: "Branched." }]);
    const first = await client.responses.create({ input: `fact A ${token}` });
    const second = await client.responses.create({ input: `fact B ${token}`, previous_response_id: first.id });
    const branch = await client.responses.create({ input: `only A? ${token}`, previous_response_id: first.id });
    expect(branch.output_text).toBe("Branched.");
    expect(branch.id.slice(0, 29)).not.toBe(first.id.slice(0, 29));
    const sent = (await llmRequests(token)).at(-1)!.body.messages.slice(1).map((m: any) => m.content);
    expect(sent).toEqual([`fact A ${token}`, "A noted.", `only A? ${token}`]);
    // The original chain goes on from its own newest response, untouched by the branch.
    await client.responses.create({ input: `and then ${token}`, previous_response_id: second.id });
    const main = (await llmRequests(token)).at(-1)!.body.messages.slice(1).map((m: any) => m.content);
    expect(main.slice(0, 4)).toEqual([`fact A ${token}`, "A noted.", `fact B ${token}`, "B noted."]);
  });

  it("should answer 404 in OpenAI's shape for unknown and deleted responses", async () => {
    const err = await client.responses.create({ input: "hi", previous_response_id: "resp_0123456789abcdef0123456789abcdef01234567" }).catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.NotFoundError);
    expect(err.error).toMatchObject({ type: "invalid_request_error", code: "response_not_found", param: "previous_response_id" });
    const made = await client.responses.create({ input: `delete me ${uniqueToken("del")}` });
    expect(await client.responses.delete(made.id)).toMatchObject({ id: made.id, deleted: true });
    expect(await client.responses.retrieve(made.id).catch((e) => e.status)).toBe(404);
    expect((await SELF.fetch("https://gw/v1/responses/nope", { headers: { authorization: "Bearer key-123" } })).status).toBe(404);
  });

  it("should stream typed events in OpenAI's order with sequence numbers", async () => {
    const token = uniqueToken("rstream");
    await scriptLlm(token, [{ content: "Streaming in several pieces.", chunkSize: 6 }]);
    const res = await post({ input: `stream ${token}`, stream: true });
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const events = sseEvents(await res.text());
    const types = [...new Set(events.map((e) => e.event))];
    expect(types).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.content_part.added",
      "response.output_text.delta",
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.completed",
    ]);
    expect(events.map((e) => e.data.sequence_number)).toEqual(events.map((_, i) => i));
    const deltas = events.filter((e) => e.event === "response.output_text.delta");
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.map((e) => e.data.delta).join("")).toBe("Streaming in several pieces.");
    expect(events.at(-1)!.data.response.usage.total_tokens).toBeGreaterThan(0);
  });

  it("should keep nothing with store: false and use the input items as the whole context", async () => {
    const token = uniqueToken("nostore");
    const made = await client.responses.create({
      store: false,
      input: [
        { role: "user", content: "first question" },
        { role: "assistant", content: "first answer" },
        { role: "user", content: [{ type: "input_text", text: `second ${token}` }] },
      ],
    });
    expect(made.output_text).toBe(`echo: second ${token}`);
    const sent = (await llmRequests(token))[0].body.messages;
    expect(sent.slice(1).map((m: any) => m.content)).toEqual(["first question", "first answer", `second ${token}`]);
    expect(await client.responses.retrieve(made.id).catch((e) => e.status)).toBe(404);
  });
});

describe("Responses API input", () => {
  it("should hand an input_image to the model as an image", async () => {
    const token = uniqueToken("rimage");
    const png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";
    await client.responses.create({
      input: [{ role: "user", content: [{ type: "input_text", text: `what is this ${token}` }, { type: "input_image", image_url: `data:image/png;base64,${png}`, detail: "auto" }] }],
    });
    const parts = (await llmRequests(token))[0].body.messages.at(-1).content;
    expect(parts.some((p: any) => p.type === "image_url" && p.image_url.url === `data:image/png;base64,${png}`)).toBe(true);
  });

  it("should share the chat route's bearer auth and body limit", async () => {
    const anonymous = await SELF.fetch("https://gw/v1/responses", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(anonymous.status).toBe(401);
    const huge = await post({ input: "x".repeat(10 * 1024 * 1024) });
    expect(huge.status).toBe(413);
    expect(((await huge.json()) as any).error.code).toBe("request_too_large");
  });

  it("should refuse input that does not end with a user message or tool results", async () => {
    const res = await post({ input: [{ role: "assistant", content: "I spoke last" }] });
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).error).toMatchObject({ type: "invalid_request_error", param: "input" });
  });
});

describe("GET /v1/models/:id", () => {
  it("should describe a model and say whether it is a preset", async () => {
    expect(await client.models.retrieve("test-model")).toMatchObject({ id: "test-model", object: "model", nanobot: { preset: false } });
    expect(await client.models.retrieve("fast")).toMatchObject({ id: "fast", nanobot: { preset: true } });
    const list = await client.models.list();
    expect(list.data.find((m) => m.id === "fast")).toMatchObject({ object: "model", nanobot: { preset: true } });
    const err = await client.models.retrieve("gpt-9").catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.NotFoundError);
    expect(err.error.code).toBe("model_not_found");
  });
});
