import { createProvider } from "../../../src/providers/create-provider.ts";
import type { SessionRuntime } from "../schedule-handlers.ts";
import { consolidate } from "./consolidator.ts";

export const IDLE_COMPACT_KIND = "idle-compact";

/** Sessions that never compact on idle: Dream and heartbeat run on their own rhythm. */
const isSystemSession = (key: string) => key.startsWith("dream:") || key.startsWith("heartbeat:");

/** After every turn: (re)arm the idle timer, so a quiet session archives its tail once. */
export async function armIdleCompact(session: SessionRuntime, now = Date.now()): Promise<void> {
  const minutes = session.config.agents.defaults.idleCompactAfterMinutes;
  if (!minutes || isSystemSession(session.sessionKey)) return;
  await session.schedule.set(IDLE_COMPACT_KIND, IDLE_COMPACT_KIND, now + minutes * 60_000);
}

/** The idle timer: archive everything but the last 8 messages (nanobot's idle auto-compact). */
export async function runIdleCompact(session: SessionRuntime): Promise<void> {
  if (session.busy()) {
    await armIdleCompact(session);
    return;
  }
  const workspaceId = session.workspaceId;
  if (!workspaceId) return;
  const { provider, choice } = createProvider({ config: session.config, env: session.env, presetName: session.meta.get<string>("model_preset") || undefined });
  await consolidate(
    { env: session.env, config: session.config, meta: session.meta, messages: session.messages, sessionKey: session.sessionKey, workspaceId, provider, model: choice.model },
    Number.POSITIVE_INFINITY,
    "idle",
  );
}
