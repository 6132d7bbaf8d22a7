import { env, runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { recordSessionActivity } from "../../durable-objects/session/session-index.ts";
import { sessionControl } from "../../src/session-protocol/session-control.ts";
import { llmRequests, scriptLlm, uniqueToken } from "../support/llm-script.ts";
import { chatRequest, eventually, metaValue, storedMessages, stubFor, textOf } from "./memory-kit.ts";

async function workspaceWithChat(label: string) {
  const token = uniqueToken(label);
  const workspaceId = `main@api-${token}`;
  const sessionKey = `api:${token}`;
  const request = chatRequest(sessionKey, workspaceId, "/status");
  await stubFor(sessionKey).submit(request);
  await recordSessionActivity(env.DB, request);
  return { workspaceId, sessionKey };
}

/** One heartbeat tick for a workspace, run to the end; returns its status. */
async function beat(workspaceId: string): Promise<string> {
  const key = `heartbeat:${workspaceId}`;
  await runDurableObjectAlarm(stubFor(key)); // nothing armed yet: a no-op
  const before = await metaValue<number>(stubFor(key), "heartbeat_last_run");
  await sessionControl(env, key, "heartbeat.poke", { workspaceId, force: true });
  await runDurableObjectAlarm(stubFor(key));
  await eventually(async () => (await metaValue<number>(stubFor(key), "heartbeat_last_run")) !== before, "the heartbeat run");
  return (await metaValue<string>(stubFor(key), "heartbeat_last_status"))!;
}

const writeHeartbeat = (workspaceId: string, text: string) => env.WORKSPACE.put(`workspaces/${workspaceId}/HEARTBEAT.md`, text);

describe("heartbeat", () => {
  it("should make no model call for a task-less or empty HEARTBEAT.md", async () => {
    const { workspaceId } = await workspaceWithChat("hb-empty");
    expect(await beat(workspaceId)).toBe("no-tasks"); // the seeded template has a heading but no task
    await writeHeartbeat(workspaceId, "");
    expect(await beat(workspaceId)).toBe("no-tasks");
    await writeHeartbeat(workspaceId, "# Heartbeat\n\n## Active Tasks\n\n<!-- add tasks here -->\n- \n\n## Done\n- old task\n");
    expect(await beat(workspaceId)).toBe("no-tasks");
    expect(await llmRequests(workspaceId)).toHaveLength(0);
  });

  it("should deliver a result worth telling to the workspace's last active chat", async () => {
    const { workspaceId, sessionKey } = await workspaceWithChat("hb-tell");
    const news = uniqueToken("build-broke");
    await writeHeartbeat(workspaceId, `# Heartbeat\n\n## Active Tasks\n- Check the nightly build\n`);
    await scriptLlm(`Heartbeat for workspace ${workspaceId}`, [{ content: `The nightly build failed (${news}).` }]);
    await scriptLlm(`Heartbeat check for workspace ${workspaceId}`, [{ content: '{"should_notify": true, "reason": "failure"}' }]);
    expect(await beat(workspaceId)).toBe("notified");
    const [run] = await llmRequests(`Heartbeat for workspace ${workspaceId}`);
    expect(JSON.stringify(run.body.messages)).toContain("Check the nightly build");
    const history = await storedMessages(stubFor(sessionKey));
    expect(history.some((m) => m.message.role === "assistant" && textOf(m.message).includes(news))).toBe(true);
  });

  it("should stay silent for 'All clear.' and when the check says it is not worth telling", async () => {
    const { workspaceId, sessionKey } = await workspaceWithChat("hb-quiet");
    await writeHeartbeat(workspaceId, `## Active Tasks\n- Watch the inbox\n`);
    await scriptLlm(`Heartbeat for workspace ${workspaceId}`, [{ content: "All clear." }, { content: "Inbox unchanged, 3 old mails." }]);
    await scriptLlm(`Heartbeat check for workspace ${workspaceId}`, [{ content: '{"should_notify": false, "reason": "routine"}' }]);
    expect(await beat(workspaceId)).toBe("silent");
    expect(await llmRequests(`Heartbeat check for workspace ${workspaceId}`)).toHaveLength(0);
    expect(await beat(workspaceId)).toBe("silent");
    expect(await llmRequests(`Heartbeat check for workspace ${workspaceId}`)).toHaveLength(1);
    const history = await storedMessages(stubFor(sessionKey));
    expect(history.filter((m) => m.message.role === "assistant")).toHaveLength(0);
  });
});
