import type { Env } from "../env.ts";

/** Calls a control handler (durable-objects/session/control-handlers.ts) on the session `sessionKey`. */
export async function sessionControl<T = unknown>(env: Env, sessionKey: string, name: string, args: Record<string, unknown> = {}): Promise<T> {
  return (await env.SESSIONS.getByName(sessionKey).control(sessionKey, name, args)) as T;
}
