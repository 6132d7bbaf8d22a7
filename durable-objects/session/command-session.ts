import type { Outbounds } from "../../src/channels/outbound.ts";
import { loadConfig } from "../../src/config/load-config.ts";
import type { Env } from "../../src/env.ts";
import type { TurnRequest } from "../../src/session-protocol/inbound.ts";
import { resolveModelChoice } from "../../src/providers/resolve-model.ts";
import type { CommandSession } from "./commands/types.ts";
import { archiveThenStartFresh } from "./memory/archive-on-new.ts";
import type { MessageStore } from "./message-store.ts";
import type { MetaStore } from "./meta-store.ts";
import type { SessionRuntime } from "./schedule-handlers.ts";

export interface CommandSessionDeps {
  env: Env;
  runtime(): SessionRuntime;
  sessionKey: string;
  meta: MetaStore;
  messages: MessageStore;
  stopTurn(): number;
  busy(): boolean;
  request?: TurnRequest;
  outbounds: Outbounds;
}

/** The view of a session that slash commands get. */
export function createCommandSession(deps: CommandSessionDeps): CommandSession {
  const result = loadConfig(deps.env);
  if (!result.ok) throw new Error(result.error.message);
  const config = result.config;
  return {
    sessionKey: deps.sessionKey,
    config,
    env: deps.env,
    stats: () => deps.messages.stats(),
    recent: (n) => deps.messages.recent(n),
    stopTurn: deps.stopTurn,
    startFresh: () => archiveThenStartFresh(deps.runtime()),
    getMeta: (key) => deps.meta.get(key),
    setMeta: (key, value) => deps.meta.set(key, value),
    describeModel() {
      const preset = deps.meta.get<string>("model_preset") ?? null;
      try {
        const choice = resolveModelChoice(config, deps.env, preset ?? undefined);
        return { model: choice.model, provider: choice.spec.name, preset: preset ?? choice.presetName };
      } catch (err) {
        return { model: config.agents.defaults.model, provider: `unavailable: ${(err as Error).message}`, preset };
      }
    },
    presetNames: () => Object.keys(config.modelPresets),
    busy: deps.busy,
    runtime: deps.runtime,
    request: deps.request,
    outbounds: deps.outbounds,
  };
}
