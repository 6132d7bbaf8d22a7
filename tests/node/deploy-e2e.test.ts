import { readdirSync, readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseDotenv } from "../../cli/project.ts";
import { changes, deploy, onboardedProject, SECRETS } from "../support/deploy-project.ts";
import { type StandInCloudflare, startStandInCloudflare } from "../support/stand-in-cloudflare.ts";
import type { TempProject } from "../support/temp-project.ts";

let cf: StandInCloudflare;
let project: TempProject;
beforeEach(async () => {
  cf = await startStandInCloudflare();
});
afterEach(async () => {
  await cf.close();
  project?.remove();
});

describe("npx nanobot deploy against the stand-in Cloudflare API", () => {
  it("should create D1 and R2, migrate before the upload, push every secret by name, and create nothing on a second run", { timeout: 180_000 }, async () => {
    project = onboardedProject();
    const wranglerToml = readFileSync(project.file("wrangler.toml"), "utf8");
    const first = await deploy(project, cf, ["--url", cf.workerUrl]);
    expect(first.stderr).not.toMatch(/UNKNOWN ROUTE/);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(cf.state.unknown).toEqual([]);

    // Resources: one database, one bucket, found by the names in wrangler.toml.
    expect(cf.state.databases.map((d) => d.name)).toEqual(["nanobot-edge"]);
    expect(cf.state.buckets).toEqual(["nanobot-edge-workspace"]);

    // Migrations in file order, all before the script upload.
    expect(cf.state.databases[0].applied).toEqual(readdirSync(project.file("migrations")).filter((f) => f.endsWith(".sql")).sort());
    const seqOf = (action: string) => changes(cf).filter((r) => r.action === action).map((r) => r.seq);
    expect(Math.max(...seqOf("d1.migrate"))).toBeLessThan(Math.min(...seqOf("script.upload")));

    // The upload: bindings, Durable Object migrations, minified bundle with the production config, secrets by name.
    const upload = cf.state.uploads[0];
    const bindings = Object.fromEntries(upload.bindings.map((b) => [b.name, b.type]));
    expect(bindings).toMatchObject({ DB: "d1", WORKSPACE: "r2_bucket", SESSIONS: "durable_object_namespace", RATE_LIMITS: "durable_object_namespace", WEBSOCKETS: "durable_object_namespace", AI: "ai", RATE_LIMITER: "ratelimit", ASSETS: "assets", NANOBOT_DOH_URL: "plain_text" });
    expect(upload.bindings.find((b) => b.name === "DB")).toMatchObject({ id: cf.state.databases[0].uuid });
    expect(upload.migrations).toMatchObject({ new_tag: "v5", steps: [{ new_sqlite_classes: ["SessionDO"] }, { new_sqlite_classes: ["SandboxContainer"] }, { new_sqlite_classes: ["RateLimiterDO"] }, { new_sqlite_classes: ["WebSocketHubDO"] }, { new_sqlite_classes: ["DiscordGatewayDO"] }] });
    expect(upload.secretNames.sort()).toEqual(["NANOBOT_API_KEY", "OPENROUTER_API_KEY", "SANDBOX_RUNNER_SECRET", "TELEGRAM_BOT_TOKEN", "TELEGRAM_WEBHOOK_SECRET"]);
    // Minified: a few hundred long lines (the unminified bundle has tens of thousands).
    expect(upload.mainText.split("\n").length).toBeLessThan(2_000);
    expect(upload.mainText).toContain("anthropic/claude-sonnet-4.5");
    expect(cf.state.scripts.get("nanobot-edge")?.crons).toEqual(["*/30 * * * *"]);

    // The runner secret was generated once and kept in .dev.vars; no secret value was ever printed.
    const runnerSecret = parseDotenv(readFileSync(project.file(".dev.vars"), "utf8")).SANDBOX_RUNNER_SECRET;
    expect(runnerSecret).toMatch(/^[0-9a-f]{64}$/);
    for (const value of [...Object.values(SECRETS), runnerSecret]) expect(first.stdout + first.stderr).not.toContain(value);

    // Telegram's webhook is registered through the deployed Worker with the production API key.
    expect(cf.state.workerCalls).toEqual([
      { method: "POST", path: "/admin/channels/telegram/webhook", authorization: `Bearer ${SECRETS.NANOBOT_API_KEY}`, body: JSON.stringify({ url: `${cf.workerUrl}/webhooks/telegram` }) },
    ]);
    expect(first.stdout).toContain(`Worker URL: ${cf.workerUrl}`);
    expect(first.stdout).toContain(`curl ${cf.workerUrl}/v1/chat/completions -H "Authorization: Bearer $NANOBOT_API_KEY"`);

    // Second run: nothing new is created, no migration runs again, the same runner secret goes up.
    const before = changes(cf).length;
    const second = await deploy(project, cf, ["--url", cf.workerUrl]);
    expect(second.code, second.stdout + second.stderr).toBe(0);
    const again = changes(cf).slice(before).map((r) => r.action);
    expect(again).not.toContain("d1.create");
    expect(again).not.toContain("r2.create");
    expect(again).not.toContain("d1.migrate");
    expect(cf.state.databases).toHaveLength(1);
    expect(cf.state.uploads[1].migrations).toBeNull();
    expect(cf.state.uploads[1].secretNames.sort()).toEqual(upload.secretNames);
    expect(second.stdout).toContain("nanobot-edge: exists, reused");
    expect(second.stdout).toContain("D1 migrations:   none pending");
    expect(parseDotenv(readFileSync(project.file(".dev.vars"), "utf8")).SANDBOX_RUNNER_SECRET).toBe(runnerSecret);
    // No ids were written back: wrangler.toml still names the resources only.
    expect(readFileSync(project.file("wrangler.toml"), "utf8")).toBe(wranglerToml);
    expect(wranglerToml).not.toMatch(/^\s*database_id\s*=/m);
  });
});
