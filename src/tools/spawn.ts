import { z } from "zod";
import "../subagents/announce.ts";
import { streamTurn } from "../session-protocol/session-client.ts";
import type { TurnRequest } from "../session-protocol/inbound.ts";
import { resolveProfile } from "../subagents/profiles.ts";
import { activeChildren, trackChild, untrackChild } from "../subagents/running.ts";
import { SUBAGENT_CHANNEL, type SubagentTask } from "../subagents/types.ts";
import { ToolError, defineTool, type ToolContext } from "./types.ts";

/** `subagent:<parent>:<id>`: a child session Durable Object on the same namespace as every session. */
export const subagentSessionKey = (parent: string, id: string) => `subagent:${parent}:${id}`;

async function waitForResult(ctx: ToolContext, request: TurnRequest, timeoutS: number): Promise<string> {
  const stub = ctx.env.SESSIONS.getByName(request.sessionKey);
  const timeout = AbortSignal.timeout(timeoutS * 1000);
  const events = await streamTurn(ctx.env, request);
  const done = (async () => {
    for await (const event of events) {
      if (event.type === "done") return event.reply;
      if (event.type === "error") throw new ToolError(`Subagent '${request.subagent!.label}' failed: ${event.message}`);
    }
    throw new ToolError(`Subagent '${request.subagent!.label}' ended without a result.`);
  })();
  const stopped = new Promise<never>((_, reject) => {
    const onAbort = () => reject(timeout.aborted ? new ToolError(`timeout`) : new DOMException("aborted", "AbortError"));
    timeout.addEventListener("abort", onAbort, { once: true });
    ctx.signal.addEventListener("abort", onAbort, { once: true });
  });
  try {
    const reply = await Promise.race([done, stopped]);
    if (reply.stopReason === "aborted") return `Error: Subagent '${request.subagent!.label}' was cancelled.`;
    return `[Subagent '${request.subagent!.label}' ${reply.stopReason === "error" ? "failed" : "completed"}]\n\n${reply.content}`;
  } catch (err) {
    await stub.cancelSubagent().catch(() => 0);
    if (err instanceof ToolError && err.message === "timeout") {
      throw new ToolError(`Subagent '${request.subagent!.label}' did not finish within ${timeoutS} seconds and was cancelled. Give it a smaller task, or spawn it without wait to get the result announced later.`);
    }
    throw err;
  }
}

export const spawnTool = defineTool({
  name: "spawn",
  description:
    "Start a subagent for a self-contained background task (research, file work). It has its own tools and context; " +
    "its result is posted back to this conversation when done. wait=true blocks until the result instead.",
  parameters: z.object({
    task: z.string().min(1).describe("Complete instructions: the subagent sees nothing of this conversation."),
    label: z.string().max(60).optional().describe("Short name shown to the user"),
    profile: z.string().optional().describe("A subagentProfiles name (default: 'default')"),
    wait: z.boolean().optional().describe("Block this turn until the result arrives (default false)"),
  }),
  async execute({ task, label, profile: profileName = "default", wait = false }, ctx) {
    if (ctx.sessionKey.startsWith("subagent:")) throw new ToolError("Subagents cannot spawn further subagents.");
    const profile = resolveProfile(ctx.config, profileName);
    const limit = ctx.config.agents.defaults.maxConcurrentSubagents;
    const active = await activeChildren(ctx.env, ctx.sessionKey);
    if (active.length >= limit) {
      throw new ToolError(
        `Cannot spawn subagent: concurrency limit reached (${active.length}/${limit} running: ${active.map((c) => c.label).join(", ")}). ` +
          "Wait for a result, or raise agents.defaults.maxConcurrentSubagents.",
      );
    }
    const id = crypto.randomUUID().slice(0, 8);
    const name = label?.trim() || task.slice(0, 40);
    const sessionKey = subagentSessionKey(ctx.sessionKey, id);
    const subagent: SubagentTask = {
      id,
      label: name,
      profile: profileName,
      task,
      parent: { sessionKey: ctx.sessionKey, workspaceId: ctx.workspace.id, channel: ctx.origin.channel, chatId: ctx.origin.chatId },
      announce: !wait,
    };
    const request: TurnRequest = {
      sessionKey,
      workspaceId: ctx.workspace.id,
      message: { channel: SUBAGENT_CHANNEL, chatId: id, senderId: ctx.sessionKey, text: task },
      dedupeKey: `subagent-task:${id}`,
      subagent,
    };
    trackChild(ctx.sessionKey, id, { childKey: sessionKey, label: name, startedAt: Date.now() });
    console.log(JSON.stringify({ event: "subagent_spawned", parent: ctx.sessionKey, id, profile: profileName, wait }));
    if (wait) {
      try {
        return await waitForResult(ctx, request, profile.timeoutS);
      } finally {
        untrackChild(ctx.sessionKey, id);
      }
    }
    await ctx.env.SESSIONS.getByName(sessionKey).submit(request);
    return `Subagent '${name}' started (id: ${id}, profile: ${profileName}). Its result will be posted to this conversation when done; no need to wait or poll.`;
  },
});
