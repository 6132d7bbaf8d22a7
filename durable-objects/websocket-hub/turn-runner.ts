import type { Env } from "../../src/env.ts";
import { readGoalState } from "../../src/webui/goal-state.ts";
import type { GoalStateBlob, ServerEvent } from "../../src/webui/protocol.ts";
import type { HubStore } from "./hub-store.ts";
import { relayTurn, type RelayInput } from "./turn-relay.ts";

interface ActiveTurn {
  turnId?: string;
  /** Epoch seconds, as nanobot's `started_at`. */
  startedAt: number;
}

/**
 * Runs a hub's turns one at a time per chat and reports them as nanobot does: `goal_status` running/idle
 * around each turn, `goal_state` when the session's goal changed, then the caller's `session_updated`.
 * State is in memory: the object cannot hibernate while a turn streams.
 */
export class TurnRunner {
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly running = new Map<string, ActiveTurn>();
  private readonly store: HubStore;
  private readonly broadcast: (chatId: string, event: ServerEvent) => void;

  constructor(store: HubStore, broadcast: (chatId: string, event: ServerEvent) => void) {
    this.store = store;
    this.broadcast = broadcast;
  }

  active(chatId: string): ActiveTurn | undefined {
    return this.running.get(chatId);
  }

  goalOf(env: Env, sessionKey: string): Promise<GoalStateBlob | null> {
    return readGoalState(env, sessionKey).catch(() => null);
  }

  async run(input: RelayInput, command: boolean, after: () => void): Promise<void> {
    const { chatId } = input;
    const exec = async () => {
      const turnId = input.turnId ? { turn_id: input.turnId } : {};
      if (!command) {
        const turn = { turnId: input.turnId, startedAt: Date.now() / 1000 };
        this.running.set(chatId, turn);
        this.broadcast(chatId, { event: "goal_status", chat_id: chatId, status: "running", started_at: turn.startedAt, ...turnId });
      }
      try {
        const { reply, goal } = await relayTurn(input);
        if (reply && this.store.hasChat(chatId)) this.store.append(chatId, { role: "assistant", text: reply.content });
        if (goal) this.goalChanged(chatId, goal);
      } finally {
        if (!command) {
          this.running.delete(chatId);
          this.broadcast(chatId, { event: "goal_status", chat_id: chatId, status: "idle", ...turnId });
        }
        after();
      }
    };
    // Slash commands answer at once (/stop must reach the running turn). A follow-up waits for the running
    // answer: the session would inject it into that turn and stream the same events on both requests, so
    // every tab would see each delta twice.
    if (command) return exec();
    const queued = (this.queues.get(chatId) ?? Promise.resolve()).then(exec);
    const settled = queued.catch(() => {});
    this.queues.set(chatId, settled);
    try {
      await queued;
    } finally {
      if (this.queues.get(chatId) === settled) this.queues.delete(chatId);
    }
  }

  /** nanobot's GoalStateSyncEvent: sent when the goal changed (set by /goal, completed, blocked, cleared). */
  private goalChanged(chatId: string, goal: GoalStateBlob): void {
    const key = `goal:${chatId}`;
    const next = JSON.stringify(goal);
    if ((this.store.getMeta(key) ?? JSON.stringify({ active: false })) === next) return;
    this.store.setMeta(key, next);
    this.broadcast(chatId, { event: "goal_state", chat_id: chatId, goal_state: goal });
  }
}
