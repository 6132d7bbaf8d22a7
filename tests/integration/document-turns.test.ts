import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { llmRequests, scriptLlm, uniqueToken } from "../support/llm-script.ts";
import { makePdf } from "../support/document-fixtures.ts";

const MEDIA_PREFIX = "workspaces/main/media/";

async function mediaKeys(): Promise<Set<string>> {
  const keys = new Set<string>();
  let cursor: string | undefined;
  do {
    const page = await env.WORKSPACE.list({ prefix: MEDIA_PREFIX, cursor });
    for (const o of page.objects) keys.add(o.key);
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return keys;
}

const toolMessages = (body: any) => (body.messages as any[]).filter((m) => m.role === "tool").map((m) => String(m.content));
const userText = (body: any) => JSON.stringify((body.messages as any[]).filter((m) => m.role === "user"));

describe("documents and large results through the API", () => {
  it("should give the model an uploaded PDF's text and let read_file page through it in the same turn", async () => {
    const token = uniqueToken("pdfup");
    const pages = [["Invoice 4711", `reference ${token}`], ["Total due: 99 EUR"], ["Thank you"]];
    const before = await mediaKeys();
    // The model learns the upload's path from its message; the stand-in LLM needs it before its second answer,
    // so the first answer waits while the test reads the stored key.
    await scriptLlm(token, [{ toolCalls: [{ name: "find_files", arguments: { path: "media" } }], delayMs: 1500 }, { content: "fallback" }]);
    const form = new FormData();
    form.set("message", `summarise this ${token}`);
    form.set("session_id", token);
    form.append("files", new File([await makePdf(pages)], "invoice.pdf", { type: "application/pdf" }));
    const response = SELF.fetch("https://gw/v1/chat/completions", { method: "POST", headers: { authorization: "Bearer key-123" }, body: form });

    let added: string | undefined;
    for (let i = 0; i < 100 && !added; i++) {
      added = [...(await mediaKeys())].find((k) => !before.has(k));
      if (!added) await new Promise((r) => setTimeout(r, 50));
    }
    expect(added).toBeDefined();
    const path = added!.slice("workspaces/main/".length);
    await scriptLlm(path, [{ toolCalls: [{ name: "read_file", arguments: { path, offset: 5, limit: 2 } }] }, { content: "Invoice read." }]);

    const res = await response;
    expect(res.status).toBe(200);
    expect(((await res.json()) as any).choices[0].message.content).toBe("Invoice read.");
    const requests = await llmRequests(token);
    // The text reached the model with the upload itself, under the path read_file takes.
    expect(userText(requests[0].body)).toContain(`[Attached file: ${path} (invoice.pdf), PDF, 3 pages; its text:]`);
    expect(userText(requests[0].body)).toContain("Total due: 99 EUR");
    const results = toolMessages(requests[requests.length - 1].body);
    expect(results[results.length - 1]).toContain("5| --- Page 2 ---\n6| Total due: 99 EUR\n\n(Showing lines 5-6 of 9. Use offset=7 to continue.)");
  });

  it("should turn an oversized grep result into a workspace file plus a preview that read_file can open", async () => {
    const token = uniqueToken("bigres");
    const dir = `big-${token}`;
    const content = Array.from({ length: 3000 }, (_, i) => `match line ${i} ${"y".repeat(50)}`).join("\n");
    await scriptLlm(token, [
      { toolCalls: [{ name: "write_file", arguments: { path: `${dir}/log.txt`, content } }] },
      { toolCalls: [{ name: "grep", arguments: { pattern: "match", path: dir, output_mode: "content", head_limit: 0 }, id: `call_${token}` }] },
      { toolCalls: [{ name: "read_file", arguments: { path: `.nanobot/tool-results/api_${token}/call_${token}.txt`, offset: 2, limit: 2 } }] },
      { content: "Checked." },
    ]);
    const res = await SELF.fetch("https://gw/v1/chat/completions", {
      method: "POST",
      headers: { authorization: "Bearer key-123", "content-type": "application/json" },
      body: JSON.stringify({ session_id: token, messages: [{ role: "user", content: `grep the log ${token}` }] }),
    });
    expect(((await res.json()) as any).choices[0].message.content).toBe("Checked.");
    const requests = await llmRequests(token);
    const results = toolMessages(requests[requests.length - 1].body);
    expect(results[1]).toMatch(new RegExp(`^\\[tool output persisted\\]\\nFull output saved to: \\.nanobot/tool-results/api_${token}/call_${token}\\.txt\\nOriginal size: \\d+ chars\\nPreview:\\n${dir}/log\\.txt:1\\n`));
    expect(results[1].length).toBeLessThan(2000);
    expect(results[2]).toContain(`2| > 1| match line 0 ${"y".repeat(50)}`);
  });
});
