import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { llmRequests, scriptLlm, uniqueToken } from "../support/llm-script.ts";

async function turn(text: string): Promise<string> {
  const res = await SELF.fetch("https://gw/v1/chat/completions", {
    method: "POST",
    headers: { authorization: "Bearer key-123", "content-type": "application/json" },
    body: JSON.stringify({ session_id: uniqueToken("s"), messages: [{ role: "user", content: text }] }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as any).choices[0].message.content;
}

async function toolResults(token: string): Promise<string[]> {
  const requests = await llmRequests(token);
  const last = requests[requests.length - 1].body.messages as any[];
  return last.filter((m) => m.role === "tool").map((m) => String(m.content));
}

describe("exec through the API", () => {
  it("should see write_file's file in exec and read exec's file with read_file", async () => {
    const token = uniqueToken("exec");
    const dir = `exec-${token}`;
    await scriptLlm(token, [
      { toolCalls: [{ name: "write_file", arguments: { path: `${dir}/notes.txt`, content: "from write_file\n" } }] },
      { toolCalls: [{ name: "exec", arguments: { command: `cat ${dir}/notes.txt && echo hi > ${dir}/out.txt` } }] },
      { toolCalls: [{ name: "read_file", arguments: { path: `${dir}/out.txt` } }] },
      { toolCalls: [{ name: "exec", arguments: { command: "cat /etc/passwd" } }] },
      { content: "Done." },
    ]);
    expect(await turn(`run it ${token}`)).toBe("Done.");
    const results = await toolResults(token);
    expect(results[1]).toBe("from write_file\n\n\nExit code: 0");
    expect(results[2]).toContain("hi");
    expect(results[3]).toMatch(/^Error: Command blocked by safety guard \(path outside working dir\)/);
  });
});
