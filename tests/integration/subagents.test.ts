import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { llmRequests, scriptLlm, uniqueToken } from "../support/llm-script.ts";

async function turn(text: string, session: string): Promise<string> {
  const res = await SELF.fetch("https://gw/v1/chat/completions", {
    method: "POST",
    headers: { authorization: "Bearer key-123", "content-type": "application/json" },
    body: JSON.stringify({ session_id: session, messages: [{ role: "user", content: text }] }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as any).choices[0].message.content;
}

const toolMessages = (request: any) => (request.body.messages as any[]).filter((m) => m.role === "tool").map((m) => String(m.content));

/** Polls until `check` returns a value (subagents run in their own Durable Object's alarm). */
async function eventually<T>(check: () => Promise<T | null | undefined | false>, what: string, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("subagents (spawn)", () => {
  it("should run two subagents in the background, refuse a third over the limit, and post both results to the parent", async () => {
    const session = uniqueToken("parent");
    const [a, b, c] = [uniqueToken("alpha"), uniqueToken("beta"), uniqueToken("gamma")];
    await scriptLlm(a, [{ content: `findings of ${a}` }]);
    await scriptLlm(b, [{ content: `findings of ${b}` }]);
    await scriptLlm(session, [
      {
        toolCalls: [
          { name: "spawn", arguments: { task: `research ${a}`, label: `lab-${a}` } },
          { name: "spawn", arguments: { task: `research ${b}`, label: `lab-${b}` } },
          { name: "spawn", arguments: { task: `research ${c}`, label: `lab-${c}` } },
        ],
      },
      { content: "started them" },
    ]);
    expect(await turn(`spawn three ${session}`, session)).toBe("started them");
    const spawnResults = toolMessages((await llmRequests(session))[1]);
    expect(spawnResults[0]).toContain(`Subagent 'lab-${a}' started`);
    expect(spawnResults[1]).toContain(`Subagent 'lab-${b}' started`);
    expect(spawnResults[2]).toMatch(/^Error: Cannot spawn subagent: concurrency limit reached \(2\/2 running/);

    for (const token of [a, b]) {
      const announced = await eventually(async () => {
        const hits = (await llmRequests(`[Subagent 'lab-${token}' completed successfully]`)).filter((r) => JSON.stringify(r.body).includes(`spawn three ${session}`));
        return hits[0];
      }, `the result of ${token} in the parent session`);
      expect(JSON.stringify(announced.body.messages)).toContain(`findings of ${token}`);
    }
  });

  it("should cancel a running subagent on /stop in the parent, and announce nothing", async () => {
    const session = uniqueToken("stopper");
    const slow = uniqueToken("slow");
    await scriptLlm(slow, [{ hang: true }]);
    await scriptLlm(session, [{ toolCalls: [{ name: "spawn", arguments: { task: `take forever ${slow}`, label: `lab-${slow}` } }] }, { content: "spawned" }]);
    expect(await turn(`start slow work ${session}`, session)).toBe("spawned");
    const id = /id: ([0-9a-f]{8})/.exec(toolMessages((await llmRequests(session))[1])[0])![1];
    const child = env.SESSIONS.getByName(`subagent:api:${session}:${id}`);
    await eventually(async () => (await llmRequests(slow)).length > 0, "the subagent's model call");
    expect(await child.subagentBusy()).toBe(true);

    expect(await turn("/stop", session)).toBe("Stopped 1 task(s).");
    await eventually(async () => !(await child.subagentBusy()), "the subagent to stop");
    expect(await llmRequests(`[Subagent 'lab-${slow}'`)).toHaveLength(0);
  });

  it("should give a profile's subagent only the profile's tools, so a profile without exec cannot exec", async () => {
    const session = uniqueToken("waiter");
    const task = uniqueToken("confined");
    await scriptLlm(task, [
      { toolCalls: [{ name: "exec", arguments: { command: "id" } }] },
      { toolCalls: [{ name: "write_file", arguments: { path: "x.txt", content: "x" } }] },
      { content: `confined answer ${task}` },
    ]);
    await scriptLlm(session, [
      { toolCalls: [{ name: "spawn", arguments: { task: `inspect ${task}`, profile: "reader", wait: true } }] },
      { content: "waited" },
    ]);
    expect(await turn(`run confined ${session}`, session)).toBe("waited");

    const childRequests = (await llmRequests(`inspect ${task}`)).filter((r) => JSON.stringify(r.body.messages[0]).includes("You are a subagent"));
    expect(childRequests).toHaveLength(3);
    const childTools = (childRequests[0].body.tools as any[]).map((t) => t.function.name).sort();
    expect(childTools).toEqual(["list_dir", "read_file"]);
    const [execResult, writeResult] = toolMessages(childRequests[childRequests.length - 1]);
    expect(execResult).toMatch(/^Error: Tool 'exec' not found\./);
    expect(writeResult).toMatch(/^Error: Tool 'write_file' not found\./);

    const [waited] = toolMessages((await llmRequests(session))[1]);
    expect(waited).toContain(`confined answer ${task}`);
    expect(await llmRequests(`[Subagent 'inspect ${task}' completed successfully]`)).toHaveLength(0);
  });
});
