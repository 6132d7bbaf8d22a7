import { spawnSync } from "node:child_process";
import { generatePluginIndex } from "../../scripts/gen-plugins.ts";
import { spawnWrangler, runWranglerInherited } from "../../scripts/lib/wrangler.ts";
import { CliError } from "../cli-error.ts";
import { resolveConnection } from "../connection.ts";
import { GatewayClient } from "../gateway-client.ts";
import { deployedUrl, slackManifest } from "../slack-manifest.ts";

export const deployHelp = `Usage: npx nanobot deploy [--url WORKER_URL] [-- wrangler deploy options]

Deploys the Worker to your Cloudflare account (\`wrangler deploy\`), applies the D1 migrations to the
remote database (\`wrangler d1 migrations apply DB --remote\`), then registers the Telegram webhook
(setWebhook with channels.telegram.webhookSecretToken, through the deployed Worker's /admin API, so the bot
token never leaves Cloudflare) and prints the Slack app manifest to paste at api.slack.com/apps.
Needs \`npx wrangler login\` (or CLOUDFLARE_API_TOKEN) first. Set secrets with
\`npx wrangler secret put NANOBOT_API_KEY --env production\` (and every other \${VAR} your config refers to).
The Worker URL is read from wrangler's output; pass --url for a custom domain.`;

/** Runs wrangler with its output shown live and kept, to find the deployed URL. */
function runWranglerTee(args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawnWrangler(args, { stdio: ["inherit", "pipe", "inherit"] });
    let output = "";
    child.stdout?.on("data", (d: Buffer) => {
      output += d.toString();
      process.stdout.write(d);
    });
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output }));
  });
}

/** After a deploy: point Telegram at the Worker (when Telegram is enabled there) and show the Slack manifest. */
export async function setUpChannels(workerUrl: string, client: GatewayClient, out: (line: string) => void): Promise<void> {
  try {
    const result = await client.admin<{ url: string; bot: string }>("/channels/telegram/webhook", { url: `${workerUrl}/webhooks/telegram` });
    out(`Telegram webhook registered for ${result.bot}: ${result.url}`);
  } catch (err) {
    out(`Telegram webhook not registered: ${(err as Error).message}`);
  }
  out("");
  out("Slack app manifest (api.slack.com/apps → Create New App → From a manifest), then set channels.slack.botToken and signingSecret:");
  out(slackManifest(workerUrl));
}

export async function deployCommand(argv: string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(`${deployHelp}\n`);
    return 0;
  }
  let url: string | null = null;
  let rest = argv;
  if (rest[0] === "--url") {
    url = rest[1] ?? null;
    rest = rest.slice(2);
  }
  const extra = rest[0] === "--" ? rest.slice(1) : rest;
  const plugins = await generatePluginIndex();
  if (plugins.problems.length) throw new CliError(`Plugin tools are not valid, nothing was deployed:\n${plugins.problems.join("\n")}`, 1);
  // Building the sandbox container image needs a Docker engine; without one the Worker still deploys and
  // exec can use an external runner (tools.exec.runnerUrl).
  if (!extra.some((a) => a.startsWith("--containers-rollout")) && spawnSync("docker", ["info"], { stdio: "ignore" }).status !== 0) {
    process.stdout.write("Docker is not available: deploying without the sandbox container (exec then needs tools.exec.runnerUrl).\n");
    extra.push("--containers-rollout=none");
  }
  const deployed = await runWranglerTee(["deploy", "--env", "production", ...extra]);
  if (deployed.code !== 0) throw new CliError(`wrangler deploy failed (exit ${deployed.code}); see its output above. Nothing else was changed.`, deployed.code);
  const migrated = await runWranglerInherited(["d1", "migrations", "apply", "DB", "--remote", "--env", "production"]);
  if (migrated !== 0) throw new CliError(`The Worker is deployed, but applying the remote D1 migrations failed (exit ${migrated}). Re-run: npx wrangler d1 migrations apply DB --remote --env production`, migrated);
  url ??= deployedUrl(deployed.output);
  const out = (line: string) => process.stdout.write(`${line}\n`);
  if (!url) {
    out("Deployed. The Worker URL was not found in wrangler's output: run `npx nanobot deploy --url https://…` to register the Telegram webhook.");
    return 0;
  }
  await setUpChannels(url.replace(/\/+$/, ""), new GatewayClient(resolveConnection({ url }, process.env, process.cwd())), out);
  return 0;
}
