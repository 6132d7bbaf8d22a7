import type { SessionRuntime } from "./schedule-handlers.ts";

/**
 * Requests from outside the session that are not chat messages: the Worker's cron tick poking Dream or
 * heartbeat, the /api/cron route, another session delivering a notification. One RPC (`control`) on the
 * Durable Object dispatches here, so features add handlers (a line in src/wiring/session.ts) without new
 * methods on the class.
 */
export type ControlHandler = (args: Record<string, unknown>, session: SessionRuntime) => Promise<unknown>;

/** Control requests by name, as the composition root lists them. */
export type ControlHandlers = ReadonlyMap<string, ControlHandler>;

export async function runControl(handlers: ControlHandlers, name: string, args: Record<string, unknown>, session: SessionRuntime): Promise<unknown> {
  const handler = handlers.get(name);
  if (!handler) throw new Error(`unknown session control '${name}'`);
  return handler(args, session);
}
