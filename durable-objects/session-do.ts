import { DurableObject } from "cloudflare:workers";
import type { Env } from "../src/env.ts";

/** One Durable Object per session key: inbox, history, timers and the agent turn. */
export class SessionDO extends DurableObject<Env> {}
