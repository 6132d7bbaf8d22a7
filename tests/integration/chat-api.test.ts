import { env, SELF } from "cloudflare:test";
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { llmRequests, scriptLlm, uniqueToken } from "../support/llm-script.ts";

const client = new OpenAI({ apiKey: "key-123", baseURL: "https://gw/v1", fetch: (url, init) => SELF.fetch(url as string, init), maxRetries: 0 });

const ask = (text: string, session?: string) =>
  client.chat.completions.create({ model: "test-model", messages: [{ role: "user", content: text }], ...(session ? { session_id: session } : {}) } as never) as Promise<OpenAI.Chat.ChatCompletion>;

describe("OpenAI-compatible API through the official client", () => {
  it("should answer a completion from the configured model", async () => {
    const token = uniqueToken("plain");
    await scriptLlm(token, [{ content: "Hello from the model." }]);
    const completion = await ask(`hi ${token}`, uniqueToken("s"));
    expect(completion.object).toBe("chat.completion");
    expect(completion.id).toMatch(/^chatcmpl-/);
    expect(completion.choices[0].message.content).toBe("Hello from the model.");
    expect(completion.choices[0].finish_reason).toBe("stop");
    expect(completion.usage?.total_tokens).toBeGreaterThan(0);
  });

  it("should stream chunks that add up to the answer and end cleanly", async () => {
    const token = uniqueToken("stream");
    const answer = "Streaming works, one small chunk after another, until the very end.";
    await scriptLlm(token, [{ content: answer, chunkSize: 5 }]);
    const stream = await client.chat.completions.create({
      model: "test-model",
      stream: true,
      messages: [{ role: "user", content: `stream please ${token}` }],
      session_id: uniqueToken("s"),
    } as never);
    let text = "";
    let chunks = 0;
    let finish: string | null = null;
    for await (const chunk of stream as unknown as AsyncIterable<OpenAI.Chat.ChatCompletionChunk>) {
      chunks++;
      text += chunk.choices[0]?.delta?.content ?? "";
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect(text).toBe(answer);
    expect(chunks).toBeGreaterThan(5);
    expect(finish).toBe("stop");
  });

  it("should keep history per session and send only the new message", async () => {
    const session = uniqueToken("hist");
    const first = uniqueToken("first");
    await ask(`my favourite colour is teal ${first}`, session);
    const second = uniqueToken("second");
    await ask(`what is my favourite colour? ${second}`, session);
    const [request] = await llmRequests(second);
    const sent = JSON.stringify(request.body.messages);
    expect(sent).toContain(`my favourite colour is teal ${first}`);
    expect(sent).toContain(`echo: my favourite colour is teal ${first}`);
  });

  it("should keep nothing for a request without a session id", async () => {
    const first = uniqueToken("stateless1");
    await ask(`remember ${first}`);
    const second = uniqueToken("stateless2");
    await ask(`recall ${second}`);
    const [request] = await llmRequests(second);
    expect(JSON.stringify(request.body.messages)).not.toContain(first);
  });

  it("should use the whole message list of a stateless request as context", async () => {
    const token = uniqueToken("ctx");
    const completion = (await client.chat.completions.create({
      model: "test-model",
      messages: [
        { role: "user", content: "earlier question" },
        { role: "assistant", content: "earlier answer" },
        { role: "user", content: `now ${token}` },
      ],
    })) as OpenAI.Chat.ChatCompletion;
    expect(completion.choices[0].message.content).toBe(`echo: now ${token}`);
    const [request] = await llmRequests(token);
    expect(JSON.stringify(request.body.messages)).toContain("earlier answer");
  });

  it("should list the configured model and the presets", async () => {
    const models = await client.models.list();
    const ids = models.data.map((m) => m.id);
    expect(ids).toContain("test-model");
    expect(ids).toContain("fast");
  });

  it("should run a turn on a preset chosen by the model field", async () => {
    const token = uniqueToken("preset");
    await client.chat.completions.create({ model: "fast", messages: [{ role: "user", content: token }], session_id: uniqueToken("s") } as never);
    const [request] = await llmRequests(token);
    expect(request.body.model).toBe("m-fast");
  });

  it("should replay an Idempotency-Key request without a second model call", async () => {
    const token = uniqueToken("idem");
    const session = uniqueToken("s");
    const send = () =>
      SELF.fetch("https://gw/v1/chat/completions", {
        method: "POST",
        headers: { authorization: "Bearer key-123", "content-type": "application/json", "idempotency-key": token },
        body: JSON.stringify({ messages: [{ role: "user", content: `once ${token}` }], session_id: session }),
      }).then((r) => r.json() as Promise<any>);
    const a = await send();
    const b = await send();
    expect(b.choices[0].message.content).toBe(a.choices[0].message.content);
    expect(await llmRequests(token)).toHaveLength(1);
  });

  it("should accept a data-URL image and hand it to the model as an image", async () => {
    const token = uniqueToken("img");
    const png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
    await client.chat.completions.create({
      model: "test-model",
      session_id: uniqueToken("s"),
      messages: [{ role: "user", content: [{ type: "text", text: `what is this ${token}` }, { type: "image_url", image_url: { url: `data:image/png;base64,${png}` } }] }],
    } as never);
    const [request] = await llmRequests(token);
    const parts = request.body.messages.at(-1).content;
    expect(parts.some((p: any) => p.type === "image_url" && p.image_url.url === `data:image/png;base64,${png}`)).toBe(true);
    const stored = await env.WORKSPACE.list({ prefix: "workspaces/main/media/" });
    expect(stored.objects.length).toBeGreaterThan(0);
  });
});
