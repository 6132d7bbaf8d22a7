import { spawnSync } from "node:child_process";
import { runWranglerInherited } from "../../scripts/lib/wrangler.ts";
import { generatePluginIndex } from "../../scripts/gen-plugins.ts";
import { CliError } from "../cli-error.ts";

export const deployHelp = `Usage: npx nanobot deploy [-- wrangler deploy options]

Deploys the Worker to your Cloudflare account (\`wrangler deploy\`), then applies the D1 migrations to the
remote database (\`wrangler d1 migrations apply DB --remote\`). Needs \`npx wrangler login\` (or
CLOUDFLARE_API_TOKEN) first. Set secrets with \`npx wrangler secret put NANOBOT_API_KEY\` (and every other
\${VAR} your nanobot.config.json refers to). Setting the Telegram webhook is not automated yet.`;

export async function deployCommand(argv: string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(`${deployHelp}\n`);
    return 0;
  }
  const extra = argv[0] === "--" ? argv.slice(1) : argv;
  const plugins = await generatePluginIndex();
  if (plugins.problems.length) throw new CliError(`Plugin tools are not valid, nothing was deployed:\n${plugins.problems.join("\n")}`, 1);
  // Building the sandbox container image needs a Docker engine; without one the Worker still deploys and
  // exec can use an external runner (tools.exec.runnerUrl).
  if (!extra.some((a) => a.startsWith("--containers-rollout")) && spawnSync("docker", ["info"], { stdio: "ignore" }).status !== 0) {
    process.stdout.write("Docker is not available: deploying without the sandbox container (exec then needs tools.exec.runnerUrl).\n");
    extra.push("--containers-rollout=none");
  }
  const deployed = await runWranglerInherited(["deploy", "--env", "production", ...extra]);
  if (deployed !== 0) throw new CliError(`wrangler deploy failed (exit ${deployed}); see its output above. Nothing else was changed.`, deployed);
  const migrated = await runWranglerInherited(["d1", "migrations", "apply", "DB", "--remote", "--env", "production"]);
  if (migrated !== 0) throw new CliError(`The Worker is deployed, but applying the remote D1 migrations failed (exit ${migrated}). Re-run: npx wrangler d1 migrations apply DB --remote --env production`, migrated);
  process.stdout.write("Deployed. Telegram webhook setup is not automated yet: call setWebhook with your Worker URL + /webhooks/telegram and secret_token = TELEGRAM_WEBHOOK_SECRET.\n");
  return 0;
}
