import { createExecutionContext, createScheduledController, env, runDurableObjectAlarm, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { recordSessionActivity } from "../../durable-objects/session/session-index.ts";
import worker from "../../src/index.ts";
import { appendHistory } from "../../src/memory/history-file.ts";
import { llmRequests, scriptLlm, uniqueToken } from "../support/llm-script.ts";
import { chatRequest, commandAnswer, eventually, readWorkspaceFile, stubFor } from "./memory-kit.ts";

const MEMORY_TEMPLATE_LINE = "Important facts worth remembering across conversations.";
const USER_TEMPLATE_LINE = "Facts about the user (name, timezone, language, preferences). Update as you learn them.";

async function tick(cron: string) {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime: new Date(), cron }), env, ctx);
  await waitOnExecutionContext(ctx);
}

/** A user of `isolation: "user"`: their own workspace, one chat session, one archived fact. */
async function userWithFact(label: string) {
  const token = uniqueToken(label);
  const workspaceId = `main@api-${token}`;
  const sessionKey = `api:${token}`;
  const fact = uniqueToken(`${label}-fact`);
  const stub = stubFor(sessionKey);
  // A first message seeds the workspace and the session index (what scheduled() enumerates).
  await stub.submit(chatRequest(sessionKey, workspaceId, `/status`));
  await recordSessionActivity(env.DB, chatRequest(sessionKey, workspaceId, "hi"));
  await appendHistory(env.WORKSPACE, workspaceId, sessionKey, `- [permanent] The user's favourite colour is ${fact}.`);
  return { token, workspaceId, sessionKey, fact, stub };
}

const editMemory = (fact: string) => ({
  toolCalls: [
    { name: "edit_file", arguments: { path: "memory/MEMORY.md", old_text: MEMORY_TEMPLATE_LINE, new_text: `${MEMORY_TEMPLATE_LINE}\n- Favourite colour: ${fact}` } },
    { name: "edit_file", arguments: { path: "USER.md", old_text: USER_TEMPLATE_LINE, new_text: `${USER_TEMPLATE_LINE}\n- Likes the colour ${fact}` } },
  ],
});

describe("Dream", () => {
  it("should fold new history into MEMORY.md and USER.md from the cron tick, per user, with a restorable version", async () => {
    const alice = await userWithFact("alice");
    const bob = await userWithFact("bob");
    await scriptLlm(`Dream for workspace ${alice.workspaceId}`, [editMemory(alice.fact), { content: "Recorded the favourite colour." }]);
    await scriptLlm(`Dream for workspace ${bob.workspaceId}`, [editMemory(bob.fact), { content: "Recorded the favourite colour." }]);

    await tick("0 */2 * * *");
    for (const u of [alice, bob]) {
      const dream = stubFor(`dream:${u.workspaceId}`);
      await runDurableObjectAlarm(dream);
      await eventually(async () => (await readWorkspaceFile(u.workspaceId, "memory/MEMORY.md"))?.includes(u.fact), `Dream of ${u.workspaceId}`);
    }

    const aliceMemory = await readWorkspaceFile(alice.workspaceId, "memory/MEMORY.md");
    const bobMemory = await readWorkspaceFile(bob.workspaceId, "memory/MEMORY.md");
    expect(aliceMemory).toContain(alice.fact);
    expect(aliceMemory).not.toContain(bob.fact);
    expect(bobMemory).not.toContain(alice.fact);
    expect(await readWorkspaceFile(alice.workspaceId, "USER.md")).toContain(alice.fact);
    // Each Dream saw only its own workspace's history.
    const [bobDream] = await llmRequests(`Dream for workspace ${bob.workspaceId}`);
    expect(JSON.stringify(bobDream.body)).not.toContain(alice.fact);
    // Bob's next chat turn carries his memory, never Alice's.
    const probe = uniqueToken("probe");
    await bob.stub.submit(chatRequest(bob.sessionKey, bob.workspaceId, `what do you know? ${probe}`));
    await runDurableObjectAlarm(bob.stub);
    const [chat] = await llmRequests(probe);
    expect(chat.body.messages[0].content).toContain(bob.fact);
    expect(JSON.stringify(chat.body)).not.toContain(alice.fact);

    const log = await alice.stub.submit(chatRequest(alice.sessionKey, alice.workspaceId, "/dream-log"));
    expect(log.reply?.content).toContain(`+ - Favourite colour: ${alice.fact}`);
    const id = /Memory version (\S+)/.exec(log.reply!.content)![1];
    const list = await alice.stub.submit(chatRequest(alice.sessionKey, alice.workspaceId, "/dream-restore"));
    expect(list.reply?.content).toContain(id);

    const restored = await alice.stub.submit(chatRequest(alice.sessionKey, alice.workspaceId, `/dream-restore ${id}`));
    expect(restored.reply?.content).toContain(`to before ${id}`);
    const memoryAfter = await readWorkspaceFile(alice.workspaceId, "memory/MEMORY.md");
    expect(memoryAfter).not.toContain(alice.fact);
    expect(memoryAfter).toContain(MEMORY_TEMPLATE_LINE);
    const versions = await env.DB.prepare("SELECT kind, restored_from FROM memory_versions WHERE workspace_id = ? ORDER BY created_at").bind(alice.workspaceId).all();
    expect(versions.results.map((r) => r.kind)).toEqual(["dream", "restore"]);
    expect(versions.results[1].restored_from).toBe(id);
  });

  it("should refuse Dream's writes outside the three memory files and not rerun on processed history", async () => {
    const carol = await userWithFact("carol");
    await scriptLlm(`Dream for workspace ${carol.workspaceId}`, [
      { toolCalls: [{ name: "write_file", arguments: { path: "AGENTS.md", content: "hijacked" } }] },
      { content: "Tried." },
    ]);
    const first = await commandAnswer(carol.stub, chatRequest(carol.sessionKey, carol.workspaceId, "/dream"));
    expect(first).toContain("Dream completed");
    expect(first).toContain("no memory changes");
    expect(await readWorkspaceFile(carol.workspaceId, "AGENTS.md")).not.toContain("hijacked");
    const requests = await llmRequests(`Dream for workspace ${carol.workspaceId}`);
    const toolResult = requests[1].body.messages.find((m: { role: string }) => m.role === "tool");
    expect(toolResult.content).toContain("outside the configured workspace");
    const again = await commandAnswer(carol.stub, chatRequest(carol.sessionKey, carol.workspaceId, "/dream"));
    expect(again).toContain("Nothing new to dream about");
    expect(await llmRequests(`Dream for workspace ${carol.workspaceId}`)).toHaveLength(2);
  });

  it("should keep restore points where the agent's tools cannot write, so a restore gives back the original", async () => {
    const erin = await userWithFact("erin");
    await scriptLlm(`Dream for workspace ${erin.workspaceId}`, [editMemory(erin.fact), { content: "Recorded the favourite colour." }]);
    const dream = await commandAnswer(erin.stub, chatRequest(erin.sessionKey, erin.workspaceId, "/dream"));
    const id = /\(version (\S+)\)/.exec(dream!)![1];
    const snapshot = () => env.WORKSPACE.get(`memory-versions/${erin.workspaceId}/${id}/before/memory/MEMORY.md`).then((o) => o?.text());
    const original = await snapshot();
    expect(original).toContain(MEMORY_TEMPLATE_LINE);

    // A turn tries every way a tool could reach the restore point: where it used to live inside the workspace,
    // and the R2 prefix it lives under now.
    const token = uniqueToken("tamper");
    const legacy = `.versions/${id}/before/memory/MEMORY.md`;
    const outside = `../../memory-versions/${erin.workspaceId}/${id}/before/memory/MEMORY.md`;
    await scriptLlm(token, [
      { toolCalls: [{ name: "write_file", arguments: { path: legacy, content: "# Long-term Memory\ntampered" } }] },
      { toolCalls: [{ name: "apply_patch", arguments: { edits: [{ path: outside, action: "add", new_text: "tampered" }] } }] },
      { toolCalls: [{ name: "write_file", arguments: { path: `/workspace/${outside}`, content: "tampered" } }] },
      { content: "Done." },
    ]);
    await erin.stub.submit(chatRequest(erin.sessionKey, erin.workspaceId, `rewrite history ${token}`));
    await runDurableObjectAlarm(erin.stub);
    const last = (await llmRequests(token)).at(-1)!.body.messages as Array<{ role: string; content: string }>;
    const results = last.filter((m) => m.role === "tool").map((m) => m.content);
    expect(results).toHaveLength(3);
    expect(results[1]).toContain("outside the configured workspace");
    expect(results[2]).toContain("outside the configured workspace");

    const restored = await erin.stub.submit(chatRequest(erin.sessionKey, erin.workspaceId, `/dream-restore ${id}`));
    expect(restored.reply?.content).toContain(`to before ${id}`);
    const memory = await readWorkspaceFile(erin.workspaceId, "memory/MEMORY.md");
    expect(memory).toContain(MEMORY_TEMPLATE_LINE);
    expect(memory).not.toContain("tampered");
    expect(memory).not.toContain(erin.fact);
    expect(memory).toBe(original);
    expect(await snapshot()).toBe(original);
  });

  it("should still read versions recorded before the restore points moved out of the workspace", async () => {
    const fay = await userWithFact("fay");
    const id = `20260101-000000-${fay.token.slice(-4)}`;
    const files = [{ path: "memory/MEMORY.md", added: 1, removed: 0 }];
    await env.DB.prepare("INSERT INTO memory_versions (id, workspace_id, kind, summary, files, restored_from, created_at) VALUES (?1, ?2, 'dream', 'old', ?3, NULL, ?4)")
      .bind(id, fay.workspaceId, JSON.stringify(files), Date.now())
      .run();
    await env.WORKSPACE.put(`workspaces/${fay.workspaceId}/.versions/${id}/before/memory/MEMORY.md`, "# Long-term Memory\n");
    await env.WORKSPACE.put(`workspaces/${fay.workspaceId}/.versions/${id}/after/memory/MEMORY.md`, `# Long-term Memory\n- ${fay.fact}\n`);
    const log = await fay.stub.submit(chatRequest(fay.sessionKey, fay.workspaceId, `/dream-log ${id}`));
    expect(log.reply?.content).toContain(`+ - ${fay.fact}`);
  });
});
