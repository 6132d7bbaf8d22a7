/**
 * The platform floor: the least a Worker → Durable Object invocation can cost. `POST /` reads the body and hands
 * it to a SQLite-backed object over RPC, which appends one row (a turn appends rows too) and returns the text;
 * `POST /alarm` has the object arm an alarm for now whose handler does one read (the floor of an alarm-driven
 * invocation); `POST /relay?url=…` has the object make one subrequest (the body is POSTed to `url`, e.g. the stand-in
 * model) and return its answer: the floor of a turn, which always makes one model call. Runs in the same workerd
 * process as the nanobot Worker, with the same outbound path.
 */
export const ECHO_WORKER_SOURCE = `
import { DurableObject } from "cloudflare:workers";
export class EchoDO extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS log (id INTEGER PRIMARY KEY, body TEXT)");
  }
  async echo(text) {
    this.ctx.storage.sql.exec("INSERT INTO log (body) VALUES (?)", text);
    return text;
  }
  async relay(url, body) {
    const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body });
    const text = await res.text();
    this.ctx.storage.sql.exec("INSERT INTO log (body) VALUES (?)", text.slice(0, 200));
    return text;
  }
  async arm() {
    await this.ctx.storage.setAlarm(Date.now());
  }
  async alarm() {
    this.ctx.storage.sql.exec("SELECT COUNT(*) AS n FROM log").one();
  }
}
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const stub = env.ECHO.getByName(url.searchParams.get("id") ?? "echo");
    if (url.pathname === "/alarm") {
      await stub.arm();
      return new Response("armed");
    }
    if (url.pathname === "/relay") return new Response(await stub.relay(url.searchParams.get("url"), await request.text()));
    return new Response(await stub.echo(await request.text()));
  },
};
`;
