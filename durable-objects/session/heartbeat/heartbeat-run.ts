import { runTurn } from "../../../src/agent/runner.ts";
import { prepareTurn } from "../../../src/agent/turn-setup.ts";
import type { Config } from "../../../src/config/schema.ts";
import type { Env } from "../../../src/env.ts";
import { sessionControl } from "../../../src/session-protocol/session-control.ts";
import { openWorkspace } from "../../../src/workspace/open-workspace.ts";
import { activeTasks } from "./heartbeat-tasks.ts";
import { EVALUATOR_SYSTEM_PROMPT, evaluatorUserPrompt, heartbeatUserPrompt, isAllClear, parseShouldNotify } from "./heartbeat-prompts.ts";

export type HeartbeatStatus = "disabled" | "no-tasks" | "no-target" | "silent" | "notified" | "failed";

/** The chat of this workspace that spoke last (not Dream's or the heartbeat's own session). */
export async function lastActiveSession(db: D1Database, workspaceId: string): Promise<string | null> {
  const row = await db
    .prepare(
      `SELECT session_key FROM sessions WHERE workspace_id = ? AND session_key NOT LIKE 'heartbeat:%' AND session_key NOT LIKE 'dream:%'
       ORDER BY last_active_at DESC LIMIT 1`,
    )
    .bind(workspaceId)
    .first<{ session_key: string }>();
  return row?.session_key ?? null;
}

/**
 * One heartbeat of a workspace: HEARTBEAT.md's active tasks as an agent turn, then a cheap separate check
 * whether the result is worth telling; only then is it delivered to the workspace's last active chat.
 */
export async function runHeartbeat(env: Env, config: Config, workspaceId: string, tick: number): Promise<HeartbeatStatus> {
  if (!config.gateway.heartbeat.enabled) return "disabled";
  const workspace = await openWorkspace(env.WORKSPACE, workspaceId);
  const tasks = activeTasks(await workspace.readText("HEARTBEAT.md"));
  if (!tasks.length) return "no-tasks";
  const target = await lastActiveSession(env.DB, workspaceId);
  if (!target) return "no-target";
  const started = Date.now();
  const setup = await prepareTurn({
    config,
    env,
    workspaceId,
    sessionKey: `heartbeat:${workspaceId}`,
    origin: { channel: target.split(":")[0], chatId: "heartbeat" },
  });
  const result = await runTurn({
    ...setup.options(new AbortController().signal),
    messages: setup.messages([{ role: "user", content: heartbeatUserPrompt(workspaceId, tasks) }]),
  });
  const { provider, choice } = setup;
  const log = (status: HeartbeatStatus) => {
    console.log(JSON.stringify({ event: "heartbeat", workspace: workspaceId, status, tasks: tasks.length, ms: Date.now() - started }));
    return status;
  };
  if (result.stopReason !== "completed") return log("failed");
  if (isAllClear(result.content)) return log("silent");
  let notify = false;
  try {
    const verdict = await provider.chat({
      model: choice.model,
      messages: [
        { role: "system", content: EVALUATOR_SYSTEM_PROMPT },
        { role: "user", content: evaluatorUserPrompt(workspaceId, tasks, result.content) },
      ],
      maxTokens: 256,
      temperature: 0,
    });
    notify = parseShouldNotify(verdict.content);
  } catch (err) {
    console.log(JSON.stringify({ event: "heartbeat_evaluator_failed", workspace: workspaceId, error: String(err).slice(0, 300) }));
  }
  if (!notify) return log("silent");
  await sessionControl(env, target, "notify", { text: result.content, dedupeKey: `heartbeat:${workspaceId}:${tick}`, from: "heartbeat" });
  return log("notified");
}
