import type { Env } from "../env.ts";
import type { TurnRequest } from "./inbound.ts";
import { readTurnEvents, type TurnEvent } from "./turn-events.ts";

export const sessionStub = (env: Env, sessionKey: string) => env.SESSIONS.getByName(sessionKey);

/** Hands a message to its session and streams the turn's events back (API, WebUI). */
export async function streamTurn(env: Env, request: TurnRequest): Promise<AsyncGenerator<TurnEvent>> {
  const res = await sessionStub(env, request.sessionKey).fetch("https://session/turn", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(request),
  });
  if (!res.ok || !res.body) throw new Error(`session ${request.sessionKey} answered ${res.status}`);
  return readTurnEvents(res.body);
}
