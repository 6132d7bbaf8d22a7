import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { SessionDO } from "../../durable-objects/session-do.ts";
import { llmRequests, scriptLlm, uniqueToken } from "../support/llm-script.ts";
import { apiReply, eventually, makeDue, scheduleRows, storedMessages, stubFor, textOf } from "./memory-kit.ts";

/** The model answers `token` with one cron tool call, then with "done"; returns the tool's result text. */
async function cronCall(session: string, args: Record<string, unknown>): Promise<string> {
  const token = uniqueToken("cron");
  await scriptLlm(token, [{ toolCalls: [{ name: "cron", arguments: args }] }, { content: "done" }]);
  await apiReply(session, `please schedule ${token}`);
  const requests = await llmRequests(token);
  const tools = requests[1].body.messages.filter((m: { role: string }) => m.role === "tool");
  return tools[tools.length - 1].content as string;
}

const cronIndex = (id: string) => env.DB.prepare("SELECT * FROM cron_jobs WHERE id = ?").bind(id).first();

describe("cron tool and reminders", () => {
  it("should fire a reminder set 2 s ahead once, in the chat that set it, after a restart of the object", async () => {
    const session = uniqueToken("remind");
    const key = `api:${session}`;
    const note = uniqueToken("stretch");
    const result = await cronCall(session, { action: "add", message: `time to ${note}`, at: new Date(Date.now() + 2000).toISOString() });
    expect(result).toMatch(/^Created job '.+' \(id: [0-9a-f]{8}\)/);
    const id = /id: ([0-9a-f]{8})/.exec(result)![1];
    expect(await cronIndex(id)).toMatchObject({ session_key: key });

    const stub = stubFor(key);
    expect(await scheduleRows(stub, "cron")).toHaveLength(1);
    // Restart: a new instance over the same storage (nothing in memory) runs the alarm once the time has come.
    await runInDurableObject(stub, (_i, state) => state.storage.deleteAlarm());
    await new Promise((r) => setTimeout(r, 2100));
    await runInDurableObject(stub, async (_i, state) => {
      await new SessionDO(state, env).alarm();
    });

    const reminder = await eventually(
      async () => (await storedMessages(stub)).find((m) => m.message.role === "user" && textOf(m.message).includes(`Cron job: time to ${note}`)),
      "the reminder turn",
    );
    const after = (await storedMessages(stub)).filter((m) => m.id > reminder.id);
    expect(after.some((m) => m.message.role === "assistant" && textOf(m.message).includes(`time to ${note}`))).toBe(true);
    await runDurableObjectAlarm(stub);
    expect(await llmRequests(`Cron job: time to ${note}`)).toHaveLength(1);
    expect(await scheduleRows(stub, "cron")).toHaveLength(0);
    expect(await cronIndex(id)).toBeNull();
  });

  it("should repeat an every_seconds job, once per due time", async () => {
    const session = uniqueToken("every");
    const key = `api:${session}`;
    const note = uniqueToken("water");
    const result = await cronCall(session, { action: "add", message: `drink ${note}`, every_seconds: 3600 });
    const id = /id: ([0-9a-f]{8})/.exec(result)![1];
    const stub = stubFor(key);
    for (let run = 1; run <= 2; run++) {
      await makeDue(stub, `cron:${id}`);
      await runDurableObjectAlarm(stub);
      await eventually(async () => (await llmRequests(`Cron job: drink ${note}`)).length === run, `run ${run}`);
      const [row] = await scheduleRows(stub, "cron");
      expect(row.due_at as number).toBeGreaterThan(Date.now() + 3500_000);
    }
    // A second alarm for the same due time does not run the job again.
    await runDurableObjectAlarm(stub);
    expect(await llmRequests(`Cron job: drink ${note}`)).toHaveLength(2);
    expect(await cronCall(session, { action: "list" })).toContain(`(id: ${id}, every 1h)`);
    expect(await cronCall(session, { action: "remove", job_id: id })).toContain(`Removed job`);
    expect(await scheduleRows(stub, "cron")).toHaveLength(0);
  });

  it("should answer bad schedules with clear tool errors", async () => {
    const session = uniqueToken("badcron");
    const bad = await cronCall(session, { action: "add", message: "x", cron_expr: "61 25 * * *" });
    expect(bad).toMatch(/^Error: invalid cron expression '61 25 \* \* \*'/);
    expect(await cronCall(session, { action: "add", message: "x", every_seconds: 60, tz: "Europe/Berlin" })).toContain(
      "Error: tz can only be used with cron_expr",
    );
    expect(await cronCall(session, { action: "add", message: "x", cron_expr: "0 9 * * *", tz: "Mars/Olympus" })).toContain("Error: unknown time zone 'Mars/Olympus'");
    expect(await cronCall(session, { action: "add", message: "x", at: "2001-01-01T00:00:00Z" })).toContain("is in the past");
    expect(await cronCall(session, { action: "add", every_seconds: 60 })).toContain("Error: add needs a non-empty message");
    expect(await scheduleRows(stubFor(`api:${session}`), "cron")).toHaveLength(0);
  });

  it("should schedule a weekday cron expression in the user's time zone", async () => {
    const session = uniqueToken("weekday");
    const result = await cronCall(session, { action: "add", message: "standup", cron_expr: "0 9 * * 1-5", tz: "America/New_York" });
    const [row] = await scheduleRows(stubFor(`api:${session}`), "cron");
    const due = new Date(row.due_at as number);
    const local = new Intl.DateTimeFormat("en-US", { timeZone: "America/New_York", hour: "2-digit", minute: "2-digit", weekday: "short", hourCycle: "h23" }).format(due);
    expect(local).toMatch(/^(Mon|Tue|Wed|Thu|Fri) 09:00$/);
    expect(result).toContain("cron: 0 9 * * 1-5 (America/New_York)");
  });
});
