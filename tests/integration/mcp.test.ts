import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { llmRequests, scriptLlm, standIns, uniqueToken } from "../support/llm-script.ts";

async function turn(text: string, session = uniqueToken("s")): Promise<string> {
  const res = await SELF.fetch("https://gw/v1/chat/completions", {
    method: "POST",
    headers: { authorization: "Bearer key-123", "content-type": "application/json" },
    body: JSON.stringify({ session_id: session, messages: [{ role: "user", content: text }] }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as any).choices[0].message.content;
}

async function toolResults(token: string): Promise<string[]> {
  const requests = await llmRequests(token);
  const last = requests[requests.length - 1].body.messages as any[];
  return last.filter((m) => m.role === "tool").map((m) => (typeof m.content === "string" ? m.content : JSON.stringify(m.content)));
}

const mcpStats = async () => (await (await fetch(`${standIns().mcp}/__stats`)).json()) as { initializes: number; calls: number };

describe("MCP servers through the API", () => {
  it("should offer each server's tools, resources and prompts as mcp_<server>_<name>, honouring enabledTools", async () => {
    const token = uniqueToken("mcplist");
    await turn(`what tools do you have ${token}`);
    const [request] = await llmRequests(token);
    const names = (request.body.tools as any[]).map((t) => t.function.name);
    expect(names).toEqual(expect.arrayContaining(["mcp_test_add", "mcp_test_forecast", "mcp_test_broken", "mcp_test_hang", "mcp_test_resource_today-note", "mcp_test_prompt_greet", "mcp_narrow_add"]));
    expect(names.filter((n: string) => n.startsWith("mcp_narrow_"))).toEqual(["mcp_narrow_add"]);
    const add = (request.body.tools as any[]).find((t) => t.function.name === "mcp_test_add").function;
    expect(add.description).toBe("Add two numbers.");
    expect(add.parameters.required).toEqual(["a", "b"]);
    // Bundled skills are summarised in the real system prompt, read on demand.
    expect(request.body.messages[0].content).toContain("- **weather** — ");
  });

  it("should call a plain tool, a tool with an outputSchema, a resource and a prompt", async () => {
    const token = uniqueToken("mcpcall");
    await scriptLlm(token, [
      {
        toolCalls: [
          { name: "mcp_test_add", arguments: { a: 2, b: 40 } },
          { name: "mcp_test_forecast", arguments: { city: "Oslo" } },
          { name: "mcp_test_resource_today-note", arguments: {} },
          { name: "mcp_test_prompt_greet", arguments: { name: "Ada" } },
        ],
      },
      { content: "done with mcp" },
    ]);
    expect(await turn(`use the mcp server ${token}`)).toBe("done with mcp");
    const [sum, forecast, note, prompt] = await toolResults(token);
    expect(sum).toBe("sum: 42");
    expect(JSON.parse(forecast)).toEqual({ city: "Oslo", temperatureC: 21.5, conditions: "sunny" });
    expect(note).toBe("Remember the oat milk.");
    expect(prompt).toContain("Say hello to Ada warmly.");
  });

  it("should surface isError results and invalid arguments as tool errors", async () => {
    const token = uniqueToken("mcperr");
    await scriptLlm(token, [
      { toolCalls: [{ name: "mcp_test_broken", arguments: {} }] },
      { toolCalls: [{ name: "mcp_test_add", arguments: { a: "two" } }] },
      { content: "reported" },
    ]);
    expect(await turn(`break it ${token}`)).toBe("reported");
    const [broken, invalid] = await toolResults(token);
    expect(broken).toMatch(/^Error: the widget is broken/);
    expect(invalid).toMatch(/^Error: /);
  });

  it("should fail a hung tool after toolTimeout and finish the turn", async () => {
    const token = uniqueToken("mcphang");
    await scriptLlm(token, [{ toolCalls: [{ name: "mcp_test_hang", arguments: {} }] }, { content: "gave up" }]);
    expect(await turn(`wait forever ${token}`)).toBe("gave up");
    const [hung] = await toolResults(token);
    expect(hung).toMatch(/^Error: MCP tool 'hang' timed out after 2 seconds/);
  });

  it("should reconnect once when the server restarted and lost the session", async () => {
    const session = uniqueToken("mcpsess");
    const first = uniqueToken("before");
    await scriptLlm(first, [{ toolCalls: [{ name: "mcp_test_add", arguments: { a: 1, b: 1 } }] }, { content: "ok 1" }]);
    expect(await turn(`add ${first}`, session)).toBe("ok 1");
    expect(await toolResults(first)).toEqual(["sum: 2"]);

    const before = await mcpStats();
    expect((await fetch(`${standIns().mcp}/__restart`, { method: "POST" })).status).toBe(204);

    const second = uniqueToken("after");
    await scriptLlm(second, [{ toolCalls: [{ name: "mcp_test_add", arguments: { a: 2, b: 3 } }] }, { content: "ok 2" }]);
    expect(await turn(`add again ${second}`, session)).toBe("ok 2");
    expect((await toolResults(second)).at(-1)).toBe("sum: 5");
    expect((await mcpStats()).initializes).toBeGreaterThan(before.initializes);
  });

  it("should show each server's state and tool count in /status", async () => {
    const session = uniqueToken("mcpstatus");
    await turn(`hello ${session}`, session);
    const status = await turn("/status", session);
    expect(status).toContain("MCP test: connected, 6 tool(s)");
    expect(status).toContain("MCP narrow: connected, 1 tool(s)");
  });
});
