import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "../app-env.ts";
import type { CronJob } from "../cron/types.ts";
import { sessionControl } from "../session-protocol/session-control.ts";

/** `npx nanobot cron list|add|remove`: the D1 index for listing, the owning session for changes. */
export const cronRoute = new Hono<AppEnv>();

const bad = (status: 400 | 404, message: string) => new HTTPException(status, { res: Response.json({ error: { message } }, { status }) });

cronRoute.get("/", async (c) => {
  const session = c.req.query("session");
  const stmt = session
    ? c.env.DB.prepare("SELECT * FROM cron_jobs WHERE session_key = ? ORDER BY next_run_at").bind(session)
    : c.env.DB.prepare("SELECT * FROM cron_jobs ORDER BY next_run_at");
  const { results } = await stmt.all();
  const jobs = results.map((r) => ({
    id: r.id,
    name: r.name,
    message: r.message,
    session: r.session_key,
    workspace: r.workspace_id,
    schedule: JSON.parse(r.schedule as string),
    nextRunAt: r.next_run_at,
    createdAt: r.created_at,
  }));
  return c.json({ jobs });
});

cronRoute.post("/", async (c) => {
  let body: Record<string, unknown>;
  try {
    body = await c.req.json();
  } catch {
    throw bad(400, "Body must be JSON: {session, message, every_seconds | cron_expr (+tz) | at, name?}.");
  }
  const session = typeof body.session === "string" ? body.session.trim() : "";
  if (!/^[A-Za-z0-9_.:@-]{1,200}$/.test(session)) throw bad(400, "session is required: the session key that owns the job, e.g. api:default or telegram:42.");
  const { session: _s, ...args } = body;
  const result = await sessionControl<{ job?: CronJob; error?: string }>(c.env, session, "cron.add", args);
  if (result.error) throw bad(400, result.error.replace(/^Error: /, ""));
  return c.json({ job: result.job }, 201);
});

cronRoute.delete("/:id", async (c) => {
  const id = c.req.param("id");
  const row = await c.env.DB.prepare("SELECT session_key FROM cron_jobs WHERE id = ?").bind(id).first<{ session_key: string }>();
  if (!row) throw bad(404, `No cron job '${id}'. npx nanobot cron list shows them.`);
  const result = await sessionControl<{ job?: CronJob; error?: string }>(c.env, row.session_key, "cron.remove", { id });
  if (result.error) {
    // The session no longer has it (removed in chat, or a one-shot that ran): drop the stale index row.
    await c.env.DB.prepare("DELETE FROM cron_jobs WHERE id = ?").bind(id).run();
  }
  return c.json({ removed: id });
});
