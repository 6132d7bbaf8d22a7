import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { MESSAGES } from "../../src/agent/runner.ts";
import { llmRequests, scriptLlm, uniqueToken } from "../support/llm-script.ts";

async function turn(text: string, session = uniqueToken("s")): Promise<string> {
  const res = await SELF.fetch("https://gw/v1/chat/completions", {
    method: "POST",
    headers: { authorization: "Bearer key-123", "content-type": "application/json" },
    body: JSON.stringify({ session_id: session, messages: [{ role: "user", content: text }] }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as any).choices[0].message.content;
}

/** The tool results the model received in its last request, in order. */
async function toolResults(token: string): Promise<string[]> {
  const requests = await llmRequests(token);
  const last = requests[requests.length - 1].body.messages as any[];
  return last.filter((m) => m.role === "tool").map((m) => (typeof m.content === "string" ? m.content : JSON.stringify(m.content)));
}

describe("tool-calling turns through the API", () => {
  it("should round-trip write_file, read_file, edit_file and list_dir on the R2 workspace", async () => {
    const token = uniqueToken("files");
    const dir = `notes-${token}`;
    await scriptLlm(token, [
      { toolCalls: [{ name: "write_file", arguments: { path: `${dir}/todo.md`, content: "buy milk\n" } }] },
      { toolCalls: [{ name: "read_file", arguments: { path: `${dir}/todo.md` } }] },
      { toolCalls: [{ name: "edit_file", arguments: { path: `${dir}/todo.md`, old_text: "milk", new_text: "oat milk" } }] },
      { toolCalls: [{ name: "list_dir", arguments: { path: dir } }] },
      { content: "All done." },
    ]);
    expect(await turn(`organise my notes ${token}`)).toBe("All done.");
    const results = await toolResults(token);
    expect(results[0]).toContain("Successfully wrote");
    expect(results[1]).toContain("buy milk");
    expect(results[3]).toContain("todo.md");
    const stored = await env.WORKSPACE.get(`workspaces/main/${dir}/todo.md`);
    expect(await stored?.text()).toBe("buy oat milk\n");
  });

  it("should return boundary violations as tool errors and still finish the turn", async () => {
    const token = uniqueToken("escape");
    await scriptLlm(token, [
      { toolCalls: [{ name: "read_file", arguments: { path: "../../etc/passwd" } }] },
      { toolCalls: [{ name: "write_file", arguments: { path: "/etc/evil", content: "x" } }] },
      { content: "I cannot read that file." },
    ]);
    expect(await turn(`read the password file ${token}`)).toBe("I cannot read that file.");
    const [first, second] = await toolResults(token);
    expect(first).toMatch(/outside the configured workspace|path traversal detected/);
    expect(first).toContain("hard policy boundary");
    expect(second).toContain("outside the configured workspace");
  });

  it("should answer unknown tools and invalid arguments with the documented errors", async () => {
    const token = uniqueToken("badcall");
    await scriptLlm(token, [
      { toolCalls: [{ name: "read_fiel", arguments: { path: "x" } }] },
      { toolCalls: [{ name: "read_file", arguments: { limit: 3 } }] },
      { toolCalls: [{ name: "list_dir", arguments: "{not json" }] },
      { content: "recovered" },
    ]);
    expect(await turn(`try tools ${token}`)).toBe("recovered");
    const [unknown, invalid, broken] = await toolResults(token);
    expect(unknown).toMatch(/^Error: Tool 'read_fiel' not found\. Did you mean 'read_file'\?/);
    expect(invalid).toMatch(/^Error: Invalid parameters for tool 'read_file': missing required path/);
    expect(broken).toMatch(/^Error: Invalid parameters for tool 'list_dir'/);
  });

  it("should stop at maxToolIterations with one final answer without tools", async () => {
    const token = uniqueToken("loop");
    const loop = Array.from({ length: 6 }, () => ({ toolCalls: [{ name: "list_dir", arguments: { path: "." } }] }));
    await scriptLlm(token, [...loop, { content: "Here is what I found so far." }]);
    expect(await turn(`loop forever ${token}`)).toBe("Here is what I found so far.");
    const requests = await llmRequests(token);
    expect(requests).toHaveLength(7);
    expect(requests[6].body.tools).toBeUndefined();
    expect(JSON.stringify(requests[6].body.messages)).toContain("tool-call budget for this turn is exhausted");
  });

  it("should retry empty answers and then say honestly that it has none", async () => {
    const token = uniqueToken("empty");
    await scriptLlm(token, [{ content: "" }, { content: "" }, { content: "" }, { content: "" }]);
    expect(await turn(`say nothing ${token}`)).toBe(MESSAGES.emptyFinal);
    expect(await llmRequests(token)).toHaveLength(4);
  });

  it("should run consecutive read-only calls of one answer together and keep their order", async () => {
    const token = uniqueToken("parallel");
    const dir = `par-${token}`;
    await env.WORKSPACE.put(`workspaces/main/${dir}/a.txt`, "alpha");
    await env.WORKSPACE.put(`workspaces/main/${dir}/b.txt`, "beta");
    await scriptLlm(token, [
      {
        toolCalls: [
          { name: "read_file", arguments: { path: `${dir}/a.txt` } },
          { name: "read_file", arguments: { path: `${dir}/b.txt` } },
        ],
      },
      { content: "read both" },
    ]);
    expect(await turn(`read two ${token}`)).toBe("read both");
    const [a, b] = await toolResults(token);
    expect(a).toContain("alpha");
    expect(b).toContain("beta");
  });
});
