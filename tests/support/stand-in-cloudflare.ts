/**
 * A stand-in of the Cloudflare REST API (`/client/v4`) on 127.0.0.1, enough for `wrangler deploy`,
 * `wrangler d1 migrations apply --remote` and `npx nanobot deploy` (wrangler 4.156 reads
 * CLOUDFLARE_API_BASE_URL, CLOUDFLARE_API_TOKEN and CLOUDFLARE_ACCOUNT_ID). Built by watching what wrangler
 * requests: answers in Cloudflare's envelope (`{success, errors:[{code,message}], messages, result}`) with the
 * error codes wrangler branches on (10007 script not found, 7404 D1 not found, 10006 R2 bucket not found).
 * An unknown route is printed to stderr and answered 404, so a new wrangler call shows up at once.
 * Every request is recorded in order (secret values are kept only as names), for tests to assert on.
 */
import { createHash, randomUUID } from "node:crypto";
import http from "node:http";
import { listen, readBody, type RunningServer, sendJson } from "./stand-in-http.ts";

export interface CloudflareRequest {
  seq: number;
  method: string;
  path: string;
  /** What a mutating request changed, in a word: "d1.create", "r2.create", "script.upload", … */
  action?: string;
}

export interface UploadedScript {
  name: string;
  mainModule: string;
  /** Upload-form part names (the bundle's modules). */
  parts: string[];
  /** The bundle's main module text (to check minification and the bundled config). */
  mainText: string;
  bindings: Array<Record<string, unknown> & { type: string; name: string }>;
  migrations: unknown;
  compatibilityDate: string;
  compatibilityFlags: string[];
  /** Secret names set with the upload (values are never kept). */
  secretNames: string[];
  containers: unknown;
}

export interface D1Database {
  uuid: string;
  name: string;
  /** SQL run through /query or /raw, in order. */
  queries: string[];
  /** Migration names recorded in the d1_migrations table. */
  applied: string[];
}

export interface CloudflareState {
  accountId: string;
  /** null = the account has no workers.dev subdomain yet. */
  subdomain: string | null;
  databases: D1Database[];
  buckets: string[];
  uploads: UploadedScript[];
  scripts: Map<string, { secrets: Set<string>; crons: string[]; workersDev: boolean; migrationTag?: string }>;
  requests: CloudflareRequest[];
  unknown: string[];
  /** Requests that reached the deployed Worker's URL (`/__worker/…`), e.g. the Telegram webhook registration. */
  workerCalls: Array<{ method: string; path: string; authorization: string; body: string }>;
}

export interface StandInCloudflare extends RunningServer {
  apiBase: string;
  /** What the stand-in "deployed Worker" URL is (its /admin calls are recorded in state.workerCalls). */
  workerUrl: string;
  state: CloudflareState;
}

const ok = (res: http.ServerResponse, result: unknown, extra: Record<string, unknown> = {}) =>
  sendJson(res, 200, { success: true, errors: [], messages: [], result, ...extra });
const fail = (res: http.ServerResponse, status: number, code: number, message: string) =>
  sendJson(res, status, { success: false, errors: [{ code, message }], messages: [], result: null });

async function formParts(req: http.IncomingMessage, raw: Buffer): Promise<FormData> {
  return new Request("http://x/", { method: "POST", headers: { "content-type": req.headers["content-type"] ?? "" }, body: raw }).formData();
}

const partText = async (part: ReturnType<FormData["get"]>): Promise<string> => (part === null ? "" : typeof part === "string" ? part : part.text());

function migrationsFromQuery(sql: string): string[] {
  return [...sql.matchAll(/INSERT INTO\s+"?\w+"?\s*\(\s*name\s*\)\s*values\s*\(\s*'([^']+)'\s*\)/gi)].map((m) => m[1]);
}

export async function startStandInCloudflare(options: { accountId?: string; subdomain?: string | null } = {}): Promise<StandInCloudflare> {
  const state: CloudflareState = {
    accountId: options.accountId ?? "0123456789abcdef0123456789abcdef",
    subdomain: options.subdomain === undefined ? "tester" : options.subdomain,
    databases: [],
    buckets: [],
    uploads: [],
    scripts: new Map(),
    requests: [],
    unknown: [],
    workerCalls: [],
  };
  const assetHashes = new Set<string>();
  const versions = new Map<string, { id: string; containers: unknown }>();
  const deployments = new Map<string, { id: string; created_on: string; source: string; strategy: string; versions: Array<{ version_id: string; percentage: number }> }>();
  let seq = 0;

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: Error) => {
      process.stderr.write(`[stand-in-cloudflare] ${req.method} ${req.url} failed: ${err.stack}\n`);
      if (!res.headersSent) fail(res, 500, 10000, String(err));
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const raw = await readBody(req);
    const method = req.method ?? "GET";
    const record: CloudflareRequest = { seq: ++seq, method, path: url.pathname };
    if (url.pathname.startsWith("/__worker/")) {
      state.workerCalls.push({ method, path: url.pathname.slice("/__worker".length), authorization: String(req.headers.authorization ?? ""), body: raw.toString() });
      return sendJson(res, 200, { ok: true, url: JSON.parse(raw.toString() || "{}").url ?? null, bot: "@nano_test_bot" });
    }
    state.requests.push(record);
    const acc = `/client/v4/accounts/${state.accountId}`;
    let match: RegExpExecArray | null;

    // Accounts and the user (wrangler asks when CLOUDFLARE_ACCOUNT_ID is unset).
    if (url.pathname === "/client/v4/accounts" && method === "GET") return ok(res, [{ id: state.accountId, name: "Tester's account" }]);
    if (url.pathname === "/client/v4/memberships" && method === "GET") return ok(res, [{ account: { id: state.accountId, name: "Tester's account" } }]);
    if (url.pathname === "/client/v4/user" && method === "GET") return ok(res, { id: "user1", email: "tester@example.com" });
    if (!url.pathname.startsWith(acc)) return unknown();
    const path = url.pathname.slice(acc.length);

    // workers.dev subdomain of the account.
    if (path === "/workers/subdomain" && method === "GET") {
      return state.subdomain ? ok(res, { subdomain: state.subdomain }) : fail(res, 404, 10007, "This account does not have a workers.dev subdomain");
    }

    // Scripts.
    if ((match = /^\/workers\/services\/([^/]+)$/.exec(path)) && method === "GET") {
      const name = match[1];
      if (!state.scripts.has(name)) return fail(res, 404, 10090, "workers.api.error.service_not_found");
      return ok(res, { id: name, default_environment: { environment: "production", script: { id: name, tag: `tag-${name}`, last_deployed_from: "wrangler", migration_tag: state.scripts.get(name)?.migrationTag } } });
    }
    if ((match = /^\/workers\/workers\/([^/]+)$/.exec(path)) && method === "GET") {
      const script = state.scripts.get(match[1]);
      if (!script) return fail(res, 404, 10007, "workers.api.error.script_not_found");
      return ok(res, { id: match[1], name: match[1], subdomain: { enabled: script.workersDev, previews_enabled: false } });
    }
    if ((match = /^\/workers\/scripts\/([^/]+)\/secrets$/.exec(path)) && method === "GET") {
      const script = state.scripts.get(match[1]);
      if (!script) return fail(res, 404, 10007, "workers.api.error.script_not_found");
      return ok(res, [...script.secrets].map((name) => ({ name, type: "secret_text" })));
    }
    if ((match = /^\/workers\/scripts\/([^/]+)\/settings$/.exec(path)) && method === "GET") {
      const script = state.scripts.get(match[1]);
      if (!script) return fail(res, 404, 10007, "workers.api.error.script_not_found");
      const last = [...state.uploads].reverse().find((u) => u.name === match![1]);
      return ok(res, { bindings: last?.bindings ?? [] });
    }
    if ((match = /^\/workers\/scripts\/([^/]+)\/assets-upload-session$/.exec(path)) && method === "POST") {
      const manifest = (JSON.parse(raw.toString()) as { manifest: Record<string, { hash: string }> }).manifest;
      const missing = Object.values(manifest).map((e) => e.hash).filter((h) => !assetHashes.has(h));
      record.action = missing.length ? "assets.session" : undefined;
      return ok(res, { jwt: missing.length ? "upload-token" : "completion-token", buckets: missing.length ? [missing] : [] });
    }
    if (path === "/workers/assets/upload" && method === "POST") {
      const form = await formParts(req, raw);
      for (const key of form.keys()) assetHashes.add(key);
      record.action = "assets.upload";
      return ok(res, { jwt: "completion-token" });
    }
    if ((match = /^\/workers\/scripts\/([^/]+)$/.exec(path)) && method === "PUT") {
      const name = match[1];
      const form = await formParts(req, raw);
      const metadata = JSON.parse(await partText(form.get("metadata"))) as Record<string, any>;
      const bindings = (metadata.bindings ?? []) as UploadedScript["bindings"];
      const mainModule = String(metadata.main_module ?? "");
      const main = form.get(mainModule);
      state.uploads.push({
        name,
        mainModule,
        parts: [...form.keys()].filter((k) => k !== "metadata"),
        mainText: await partText(main),
        bindings: bindings.map((b) => (b.type === "secret_text" ? { type: b.type, name: b.name } : b)),
        migrations: metadata.migrations ?? null,
        compatibilityDate: metadata.compatibility_date,
        compatibilityFlags: metadata.compatibility_flags ?? [],
        secretNames: bindings.filter((b) => b.type === "secret_text").map((b) => b.name),
        containers: metadata.containers ?? null,
      });
      const script = state.scripts.get(name) ?? { secrets: new Set<string>(), crons: [], workersDev: false };
      for (const b of bindings) if (b.type === "secret_text") script.secrets.add(b.name);
      if (metadata.migrations?.new_tag) script.migrationTag = metadata.migrations.new_tag;
      state.scripts.set(name, script);
      record.action = "script.upload";
      const etag = createHash("sha256").update(raw).digest("hex");
      const versionId = randomUUID();
      versions.set(versionId, { id: versionId, containers: metadata.containers });
      deployments.set(name, { id: randomUUID(), created_on: new Date().toISOString(), source: "wrangler", strategy: "percentage", versions: [{ version_id: versionId, percentage: 100 }] });
      return ok(res, { id: name, etag, deployment_id: versionId, startup_time_ms: 12, handlers: ["fetch", "scheduled"] });
    }
    if ((match = /^\/workers\/scripts\/([^/]+)\/schedules$/.exec(path))) {
      const script = state.scripts.get(match[1]);
      if (!script) return fail(res, 404, 10007, "workers.api.error.script_not_found");
      if (method === "PUT") {
        script.crons = (JSON.parse(raw.toString()) as Array<{ cron: string }>).map((s) => s.cron);
        record.action = "schedules.put";
      }
      return ok(res, { schedules: script.crons.map((cron) => ({ cron })) });
    }
    if ((match = /^\/workers\/scripts\/([^/]+)\/subdomain$/.exec(path))) {
      const script = state.scripts.get(match[1]);
      if (!script) return fail(res, 404, 10007, "workers.api.error.script_not_found");
      if (method === "POST") {
        script.workersDev = Boolean((JSON.parse(raw.toString()) as { enabled?: boolean }).enabled);
        record.action = "subdomain.enable";
      }
      return ok(res, { enabled: script.workersDev, previews_enabled: false });
    }
    if ((match = /^\/workers\/scripts\/([^/]+)\/script-settings$/.exec(path))) return ok(res, {});
    if ((match = /^\/workers\/scripts\/([^/]+)\/deployments$/.exec(path)) && method === "GET") {
      const latest = deployments.get(match[1]);
      return ok(res, { deployments: latest ? [latest] : [] });
    }
    if ((match = /^\/workers\/scripts\/([^/]+)\/versions\/([^/]+)$/.exec(path)) && method === "GET") {
      const version = versions.get(match[2]);
      if (!version) return fail(res, 404, 10237, "version not found");
      return ok(res, { id: version.id, number: 1, metadata: { source: "wrangler" }, resources: { script_runtime: version.containers ? { containers: version.containers } : {} } });
    }

    // D1.
    if (path === "/d1/database" && method === "GET") {
      const name = url.searchParams.get("name");
      const page = Number(url.searchParams.get("page") ?? "1");
      const list = page > 1 ? [] : state.databases.filter((d) => !name || d.name === name);
      return ok(res, list.map((d) => ({ uuid: d.uuid, name: d.name, created_at: "2026-12-07T00:00:00Z", version: "production" })), { result_info: { page, per_page: 1000, count: list.length } });
    }
    if (path === "/d1/database" && method === "POST") {
      const { name } = JSON.parse(raw.toString()) as { name: string };
      if (state.databases.some((d) => d.name === name)) return fail(res, 400, 7502, `A database with that name already exists`);
      const db: D1Database = { uuid: randomUUID(), name, queries: [], applied: [] };
      state.databases.push(db);
      record.action = "d1.create";
      return ok(res, { uuid: db.uuid, name: db.name, created_in_region: "WEUR" });
    }
    if ((match = /^\/d1\/database\/([^/]+)$/.exec(path)) && method === "GET") {
      const key = decodeURIComponent(match[1]);
      const db = state.databases.find((d) => d.uuid === key || d.name === key);
      if (!db) return fail(res, 404, 7404, `The database ${key} could not be found`);
      return ok(res, { uuid: db.uuid, name: db.name, version: "production", num_tables: 0, file_size: 0, running_in_region: "WEUR" });
    }
    if ((match = /^\/d1\/database\/([^/]+)\/(query|raw)$/.exec(path)) && method === "POST") {
      const db = state.databases.find((d) => d.uuid === match![1]);
      if (!db) return fail(res, 404, 7404, `The database ${match[1]} could not be found`);
      const body = JSON.parse(raw.toString()) as { sql: string };
      db.queries.push(body.sql);
      const inserted = migrationsFromQuery(body.sql);
      if (inserted.length) {
        db.applied.push(...inserted);
        record.action = "d1.migrate";
      } else if (!/^\s*(SELECT|PRAGMA)/i.test(body.sql) && !/CREATE TABLE IF NOT EXISTS "?d1_migrations/i.test(body.sql)) record.action = "d1.write";
      const rows = /SELECT[\s\S]*FROM\s+"?d1_migrations/i.test(body.sql) ? db.applied.map((name, i) => ({ id: i + 1, name, applied_at: "2026-12-07 00:00:00" })) : [];
      const meta = { changed_db: inserted.length > 0, changes: inserted.length, duration: 1, last_row_id: 0, rows_read: rows.length, rows_written: inserted.length, size_after: 8192 };
      if (match[2] === "raw") return ok(res, [{ results: { columns: rows.length ? Object.keys(rows[0]) : [], rows: rows.map((r) => Object.values(r)) }, success: true, meta }]);
      return ok(res, [{ results: rows, success: true, meta }]);
    }

    // R2.
    if (path === "/r2/buckets" && method === "GET") return ok(res, { buckets: state.buckets.map((name) => ({ name, creation_date: "2026-12-07T00:00:00Z" })) });
    if (path === "/r2/buckets" && method === "POST") {
      const { name } = JSON.parse(raw.toString()) as { name: string };
      if (state.buckets.includes(name)) return fail(res, 409, 10004, "The bucket you tried to create already exists, and you own it.");
      state.buckets.push(name);
      record.action = "r2.create";
      return ok(res, { name, creation_date: "2026-12-07T00:00:00Z", location: "WEUR" });
    }
    if ((match = /^\/r2\/buckets\/([^/]+)$/.exec(path)) && method === "GET") {
      const name = decodeURIComponent(match[1]);
      if (!state.buckets.includes(name)) return fail(res, 404, 10006, "The specified bucket does not exist.");
      return ok(res, { name, creation_date: "2026-12-07T00:00:00Z", location: "WEUR" });
    }
    return unknown();

    function unknown() {
      const line = `${method} ${url.pathname}${url.search}`;
      state.unknown.push(line);
      process.stderr.write(`[stand-in-cloudflare] UNKNOWN ROUTE ${line}\n`);
      return fail(res, 404, 7003, `No route for that URI (stand-in): ${line}`);
    }
  }
  const running = await listen(server);
  return { ...running, apiBase: `${running.url}/client/v4`, workerUrl: `${running.url}/__worker`, state };
}
