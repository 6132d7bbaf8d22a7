import { SELF, runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { llmRequests, scriptLlm, uniqueToken } from "../support/llm-script.ts";
import { apiReply, eventually, metaValue, storedMessages, stubFor, textOf } from "./memory-kit.ts";

const api = (path: string, init: RequestInit = {}) =>
  SELF.fetch(`https://gw${path}`, { ...init, headers: { authorization: "Bearer key-123", "content-type": "application/json", ...(init.headers ?? {}) } });

describe("/goal", () => {
  it("should keep an active goal in every turn's prompt until the model marks it complete", async () => {
    const session = uniqueToken("goal");
    expect(await apiReply(session, "/goal")).toContain("No goal set");
    expect(await apiReply(session, "/goal Plan the trip to Lisbon")).toContain("Goal set: Plan the trip to Lisbon");
    const t1 = uniqueToken("turn");
    await scriptLlm(t1, [{ toolCalls: [{ name: "goal_update", arguments: { status: "complete", note: "itinerary done" } }] }, { content: "All planned." }]);
    await apiReply(session, `go on ${t1}`);
    const [first] = await llmRequests(t1);
    expect(first.body.messages[0].content).toContain("# Current Goal");
    expect(first.body.messages[0].content).toContain("Plan the trip to Lisbon");
    expect(first.body.tools.map((t: { function: { name: string } }) => t.function.name)).toContain("goal_update");
    expect(await apiReply(session, "/goal")).toContain("Goal (complete): Plan the trip to Lisbon\nNote: itinerary done");
    const t2 = uniqueToken("turn");
    await apiReply(session, `anything else ${t2}`);
    const [second] = await llmRequests(t2);
    expect(second.body.messages[0].content).not.toContain("# Current Goal");
    expect(await apiReply(session, "/goal clear")).toContain("Goal cleared");
    expect(await apiReply(session, "/goal")).toContain("No goal set");
  });
});

describe("local triggers", () => {
  it("should turn a POST with the token shown once into an automation turn in the chat", async () => {
    const session = uniqueToken("trg");
    await apiReply(session, "hello");
    const created = await apiReply(session, "/trigger build-done");
    const id = /id: (trg_[A-HJ-NP-Z2-9]{8})/.exec(created)![1];
    const token = /Token \(shown only once, keep it secret\): (\S+)/.exec(created)![1];
    expect(await apiReply(session, "/trigger")).not.toContain(token);

    const wrong = await SELF.fetch(`https://gw/triggers/${id}`, { method: "POST", headers: { authorization: "Bearer nope" }, body: "x" });
    expect(wrong.status).toBe(401);
    const note = uniqueToken("deploy");
    const fire = () =>
      SELF.fetch(`https://gw/triggers/${id}`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "idempotency-key": "evt-1" },
        body: JSON.stringify({ message: `deploy finished ${note}` }),
      });
    expect((await fire()).status).toBe(202);
    expect(((await (await fire()).json()) as { duplicate: boolean }).duplicate).toBe(true);
    const stub = stubFor(`api:${session}`);
    await runDurableObjectAlarm(stub);
    await eventually(
      async () => (await storedMessages(stub)).some((m) => m.message.role === "assistant" && textOf(m.message).includes(`deploy finished ${note}`)),
      "the trigger turn",
    );
    expect(await llmRequests(`[Trigger 'build-done'] deploy finished ${note}`)).toHaveLength(1);
  });
});

describe("/api/cron", () => {
  it("should add, list and remove a job of a session for the CLI", async () => {
    const session = uniqueToken("apicron");
    const unauth = await SELF.fetch("https://gw/api/cron");
    expect(unauth.status).toBe(401);
    const bad = await api("/api/cron", { method: "POST", body: JSON.stringify({ session: `api:${session}`, message: "x", cron_expr: "nope" }) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toContain("invalid cron expression");
    const added = await api("/api/cron", { method: "POST", body: JSON.stringify({ session: `api:${session}`, message: "water plants", every_seconds: 86400 }) });
    expect(added.status).toBe(201);
    const { job } = (await added.json()) as { job: { id: string } };
    const listed = (await (await api(`/api/cron?session=api:${session}`)).json()) as { jobs: Array<{ id: string; name: string }> };
    expect(listed.jobs).toEqual([expect.objectContaining({ id: job.id, name: "water plants" })]);
    expect(await metaValue(stubFor(`api:${session}`), "workspace_id")).toBeUndefined();
    expect((await api(`/api/cron/${job.id}`, { method: "DELETE" })).status).toBe(200);
    expect(((await (await api(`/api/cron?session=api:${session}`)).json()) as { jobs: unknown[] }).jobs).toHaveLength(0);
    expect((await api(`/api/cron/${job.id}`, { method: "DELETE" })).status).toBe(404);
  });
});
