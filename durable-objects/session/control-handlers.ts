import type { SessionRuntime } from "./schedule-handlers.ts";

/**
 * Requests from outside the session that are not chat messages: the Worker's cron tick poking Dream or
 * heartbeat, the /api/cron route, another session delivering a notification. One RPC (`control`) on the
 * Durable Object dispatches here, so features add handlers without new methods on the class.
 */
export type ControlHandler = (args: Record<string, unknown>, session: SessionRuntime) => Promise<unknown>;

const handlers = new Map<string, ControlHandler>();

export function registerControl(name: string, handler: ControlHandler): void {
  handlers.set(name, handler);
}

export async function runControl(name: string, args: Record<string, unknown>, session: SessionRuntime): Promise<unknown> {
  const handler = handlers.get(name);
  if (!handler) throw new Error(`unknown session control '${name}'`);
  return handler(args, session);
}
