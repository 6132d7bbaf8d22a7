import { buildWebui } from "../../scripts/build-webui.ts";
import { generatePluginIndex } from "../../scripts/gen-plugins.ts";
import { CliError } from "../cli-error.ts";
import { findProjectRoot } from "../project.ts";
import { bundleProductionConfig } from "./bundle-config.ts";
import { setUpChannels } from "./channels.ts";
import { chooseContainer } from "./container.ts";
import type { DeployArgs } from "./deploy-args.ts";
import { formatPlan } from "./plan.ts";
import { preflight } from "./preflight.ts";
import { PRODUCTION_ENV, readProductionWorker } from "./production-wrangler.ts";
import { createBucket, createDatabase } from "./resources.ts";
import { saveRunnerSecret, withSecretsFile } from "./secrets.ts";
import { runWrangler } from "./wrangler-run.ts";

const out = (line = "") => process.stdout.write(`${line}\n`);

async function wrangler(root: string, args: string[], env: NodeJS.ProcessEnv, failure: string): Promise<void> {
  const result = await runWrangler(root, args, { show: true, env });
  if (result.code !== 0) throw new CliError(`${failure} (wrangler exit ${result.code}; its output is above).`, result.code);
}

/**
 * `npx nanobot deploy`: checks everything first (preflight), then, in this order, creates the D1 database and
 * R2 bucket if missing, applies the remote D1 migrations, and uploads the minified Worker with its secrets and
 * the production config in one `wrangler deploy` — so the new code only takes traffic once its schema exists.
 */
export async function runDeploy(args: DeployArgs, env: NodeJS.ProcessEnv, cwd: string): Promise<number> {
  const root = findProjectRoot(cwd);
  if (!root) throw new CliError("Run `npx nanobot deploy` inside the nanobot-edge project folder (where wrangler.toml is).");
  const plugins = await generatePluginIndex();
  if (plugins.problems.length) throw new CliError(`Plugin tools are not valid, nothing was deployed:\n${plugins.problems.join("\n")}`);
  await buildWebui();

  const worker = await readProductionWorker(root);
  const container = chooseContainer(args.wranglerArgs, worker.containers.length > 0);
  const pre = await preflight(root, env, worker, { dryRun: args.dryRun, url: args.url, container: container.summary });
  const { plan, api, secrets } = pre;
  out(args.dryRun ? "Deploy plan (--dry-run: nothing is changed):" : "Deploying:");
  for (const line of formatPlan(plan)) out(line);
  out();

  const aliasArgs = bundleProductionConfig(pre.config.text, root);
  const deployArgs = ["deploy", "--env", PRODUCTION_ENV, "--minify", ...aliasArgs, ...container.args, ...args.wranglerArgs];
  if (args.dryRun) {
    // Builds the production bundle exactly as a deploy would, without contacting Cloudflare.
    await wrangler(root, [...deployArgs, "--dry-run", "--outdir", "dist"], env, "Building the production bundle failed");
    out("Dry run: the production bundle builds (dist/). Nothing was created, pushed or applied.");
    return 0;
  }
  if (!api) throw new CliError("Not logged in to Cloudflare. Run `npx wrangler login`, then deploy again.");
  const wranglerEnv = { ...env, CLOUDFLARE_ACCOUNT_ID: api.accountId };

  if (plan.database.exists === false) {
    await createDatabase(api, plan.database.name);
    out(`Created D1 database ${plan.database.name}.`);
  }
  if (plan.bucket.exists === false) {
    await createBucket(api, plan.bucket.name);
    out(`Created R2 bucket ${plan.bucket.name}.`);
  }
  if (secrets.generatedRunnerSecret) saveRunnerSecret(root, secrets.generatedRunnerSecret);
  const d1 = plan.worker.d1[0];
  if (d1 && plan.pendingMigrations?.length) {
    await wrangler(root, ["d1", "migrations", "apply", d1.binding, "--remote", "--env", PRODUCTION_ENV], wranglerEnv, "Applying the remote D1 migrations failed; the running Worker was not changed");
  }
  await withSecretsFile(secrets.values, (file) =>
    wrangler(root, [...deployArgs, "--secrets-file", file], wranglerEnv, "wrangler deploy failed; the database migrations (if any) are applied, the running Worker is unchanged"),
  );

  out();
  if (!plan.workerUrl) {
    out("Deployed. Pass --url https://… (the Worker's address) to register the Telegram webhook and print the Slack manifest.");
    return 0;
  }
  const config = pre.config.value as { channels?: { telegram?: { enabled?: boolean }; slack?: { enabled?: boolean } }; api?: { apiKey?: string } };
  const apiKey = config.api?.apiKey ? config.api.apiKey.replace(/\$\{(\w+)\}/g, (_, name: string) => secrets.values.get(name) ?? "") : null;
  const lines = await setUpChannels({ workerUrl: plan.workerUrl, apiKey, telegram: Boolean(config.channels?.telegram?.enabled), slack: Boolean(config.channels?.slack?.enabled) });
  for (const line of lines) out(line);
  return 0;
}
