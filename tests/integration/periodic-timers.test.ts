import { createExecutionContext, createScheduledController, env, runDurableObjectAlarm, runInDurableObject, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { SessionDO } from "../../durable-objects/session-do.ts";
import { pokeDream, runDreamTimer } from "../../durable-objects/session/dream/dream-timer.ts";
import { pokeHeartbeat, runHeartbeatTimer } from "../../durable-objects/session/heartbeat/heartbeat-timer.ts";
import type { SessionRuntime } from "../../durable-objects/session/schedule-handlers.ts";
import { recordSessionActivity } from "../../durable-objects/session/session-index.ts";
import { loadConfig } from "../../src/config/load-config.ts";
import type { Config } from "../../src/config/schema.ts";
import worker from "../../src/index.ts";
import { sessionControl } from "../../src/session-protocol/session-control.ts";
import { uniqueToken } from "../support/llm-script.ts";
import { chatRequest, metaValue, scheduleRows, stubFor } from "./memory-kit.ts";

async function tick(cron: string) {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime: new Date(), cron }), env, ctx);
  await waitOnExecutionContext(ctx);
}

async function workspaceWithChat(label: string) {
  const token = uniqueToken(label);
  const workspaceId = `main@api-${token}`;
  const request = chatRequest(`api:${token}`, workspaceId, "/status");
  await stubFor(`api:${token}`).submit(request);
  await recordSessionActivity(env.DB, request);
  return workspaceId;
}

/** The test config with changes, as a deploy with that config would give every Durable Object. */
function configWith(change: (c: Config) => void): Config {
  const loaded = loadConfig(env);
  if (!loaded.ok) throw new Error(loaded.error.message);
  const config = structuredClone(loaded.config);
  change(config);
  return config;
}

/** Runs `fn` inside the session object with its real stores and timers, under `config`. */
function inSession<T>(stub: DurableObjectStub<SessionDO>, config: Config, fn: (runtime: SessionRuntime) => Promise<T>): Promise<T> {
  return runInDurableObject(stub, (instance) => fn({ ...(instance as unknown as { runtime(): SessionRuntime }).runtime(), config }));
}

/** Hour and minute of an instant on the wall clock of `tz`. */
const wallClock = (ms: number, tz: string) => new Intl.DateTimeFormat("en-GB", { timeZone: tz, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(new Date(ms));

describe("Dream and heartbeat timers", () => {
  it("should arm every workspace's Dream from the 30-minute sweep, not only from a 2-hour Cron Trigger", async () => {
    const workspaceId = await workspaceWithChat("sweep");
    const before = Date.now();
    await tick("*/30 * * * *");
    const stub = stubFor(`dream:${workspaceId}`);
    expect(await metaValue<number>(stub, "periodic_swept_at")).toBeGreaterThanOrEqual(before);
    // Never dreamt: due at once. The object's own alarm may already have run it (then the row is re-armed
    // for the next interval, or taken while the run is in flight); otherwise the armed row is due now.
    const ran = ((await metaValue<number>(stub, "dream_last_attempt")) ?? 0) >= before;
    const [row] = await scheduleRows(stub, "dream");
    if (ran) expect(row === undefined || (row.due_at as number) > Date.now()).toBe(true);
    else expect(row?.due_at as number).toBeLessThanOrEqual(Date.now());
    await runDurableObjectAlarm(stub);
  });

  it("should run the Dream at the time agents.defaults.dream.cron names, in agents.defaults.timezone, and re-arm it after each run", async () => {
    const workspaceId = `main@api-${uniqueToken("dcron")}`;
    const stub = stubFor(`dream:${workspaceId}`);
    await sessionControl(env, `dream:${workspaceId}`, "dream.poke", { workspaceId }); // sets the session key
    const config = configWith((c) => {
      c.agents.defaults.dream.cron = "15 3 * * *";
      c.agents.defaults.timezone = "Europe/Berlin";
    });
    await inSession(stub, config, (runtime) => pokeDream({ workspaceId }, runtime));
    const [armed] = await scheduleRows(stub, "dream");
    const dueAt = armed.due_at as number;
    expect(wallClock(dueAt, "Europe/Berlin")).toBe("03:15");
    expect(dueAt).toBeGreaterThan(Date.now());
    expect(dueAt - Date.now()).toBeLessThanOrEqual(24 * 3_600_000);

    // A second sweep keeps the armed time; the run (at that time) arms the next day's.
    await inSession(stub, config, (runtime) => pokeDream({ workspaceId }, runtime));
    expect((await scheduleRows(stub, "dream"))[0].due_at).toBe(dueAt);
    await inSession(stub, config, async (runtime) => {
      const row = runtime.schedule.takeDue(dueAt)[0];
      await runDreamTimer(row, runtime);
    });
    const [next] = await scheduleRows(stub, "dream");
    expect(wallClock(next.due_at as number, "Europe/Berlin")).toBe("03:15");
    expect(next.due_at as number).toBeGreaterThan(dueAt);

    // Back to intervalH: the next sweep re-plans from the last run.
    const hourly = configWith((c) => (c.agents.defaults.dream.intervalH = 1));
    await inSession(stub, hourly, (runtime) => pokeDream({ workspaceId }, runtime));
    const [replanned] = await scheduleRows(stub, "dream");
    expect(Math.abs((replanned.due_at as number) - (Date.now() + 3_600_000))).toBeLessThan(60_000);
  });

  it("should beat every gateway.heartbeat.intervalS on the object's alarm, also below the sweep's 30 minutes", async () => {
    const workspaceId = await workspaceWithChat("hbint");
    const stub = stubFor(`heartbeat:${workspaceId}`);
    await sessionControl(env, `heartbeat:${workspaceId}`, "heartbeat.poke", { workspaceId, force: true });
    await runDurableObjectAlarm(stub);
    const [after] = await scheduleRows(stub, "heartbeat");
    expect(Math.abs((after.due_at as number) - (Date.now() + 1800_000))).toBeLessThan(60_000);

    const tenMinutes = configWith((c) => (c.gateway.heartbeat.intervalS = 600));
    await inSession(stub, tenMinutes, async (runtime) => {
      await pokeHeartbeat({ workspaceId, force: true }, runtime);
      await runHeartbeatTimer(runtime.schedule.takeDue(Date.now())[0], runtime);
    });
    const [next] = await scheduleRows(stub, "heartbeat");
    expect(Math.abs((next.due_at as number) - (Date.now() + 600_000))).toBeLessThan(60_000);

    // A workspace the sweep stopped reaching (idle) beats once more and then stops.
    await inSession(stub, tenMinutes, async (runtime) => {
      await pokeHeartbeat({ workspaceId, force: true }, runtime);
      runtime.meta.set("periodic_swept_at", Date.now() - 3 * 3_600_000);
      await runHeartbeatTimer(runtime.schedule.takeDue(Date.now())[0], runtime);
    });
    expect(await scheduleRows(stub, "heartbeat")).toHaveLength(0);

    // Disabled: the next sweep's poke removes the timer.
    const off = configWith((c) => (c.gateway.heartbeat.enabled = false));
    await inSession(stub, off, (runtime) => pokeHeartbeat({ workspaceId }, runtime));
    expect(await scheduleRows(stub, "heartbeat")).toHaveLength(0);
  });
});
