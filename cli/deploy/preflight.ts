import { createInterface } from "node:readline/promises";
import { resolveConfig } from "../../src/config/resolve-config.ts";
import { CliError } from "../cli-error.ts";
import { type CloudflareApi, connectCloudflare } from "./cloudflare-api.ts";
import { appliedMigrations, localMigrations } from "./migrations.ts";
import type { DeployPlan } from "./plan.ts";
import { literalSecrets, localOnlyMessage, localOnlyValues, type ProductionConfig, readProductionConfig, referencedVars } from "./production-config.ts";
import type { ProductionWorker } from "./production-wrangler.ts";
import { bucketExists, deployedSecretNames, findDatabase, workersDevSubdomain } from "./resources.ts";
import { planSecrets, type SecretPlan } from "./secrets.ts";

export interface Preflight {
  plan: DeployPlan;
  api: CloudflareApi | null;
  config: ProductionConfig;
  secrets: SecretPlan;
  databaseId: string | null;
}

export const isInteractive = (env: NodeJS.ProcessEnv) => env.CI !== "true" && env.CI !== "1" && Boolean(process.stdin.isTTY && process.stdout.isTTY);

async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}

/** Local-only values stop the deploy, unless someone at a terminal says they are meant. */
async function checkLocalOnly(config: ProductionConfig, env: NodeJS.ProcessEnv): Promise<void> {
  const findings = localOnlyValues(config.value);
  if (!findings.length) return;
  const message = localOnlyMessage(findings);
  if (isInteractive(env)) {
    process.stdout.write(`${message.replace(/ Nothing was changed\.$/, "")}\n`);
    if (await confirm("Deploy these values anyway?")) return;
    throw new CliError(`Not deployed: ${findings.map((f) => f.key).join(", ")} only work(s) on this machine (see above). Nothing was changed.`);
  }
  throw new CliError(message);
}

const noSubdomain = (account: string) =>
  "This Cloudflare account has no workers.dev subdomain yet, so the Worker would have no URL. Register one at " +
  `https://dash.cloudflare.com/${account}/workers/onboarding (Workers & Pages → your subdomain), then deploy again. Nothing was changed.`;

/**
 * Everything a deploy needs to know, read without changing anything: the production config (checked for
 * local-only values, every `${VAR}` resolvable, valid for the Worker's own validator), the account, what
 * exists there, the secrets and the pending migrations. Throws before any change when something is missing.
 */
export async function preflight(root: string, env: NodeJS.ProcessEnv, worker: ProductionWorker, options: { dryRun: boolean; url: string | null; container: string }): Promise<Preflight> {
  const config = readProductionConfig(root);
  await checkLocalOnly(config, env);
  for (const key of literalSecrets(config.value)) {
    process.stdout.write(`warning: ${key} is written into the config itself, so it is bundled into the Worker's code; use a \${VAR} and put the value in .dev.vars.\n`);
  }
  const vars = referencedVars(config.value);
  // wrangler.toml [vars] reach the Worker by themselves; only the rest must be pushed as secrets.
  for (const name of Object.keys(worker.vars)) vars.delete(name);

  let api: CloudflareApi | null = null;
  try {
    api = await connectCloudflare(root, env);
  } catch (err) {
    if (!options.dryRun) throw err;
    process.stdout.write(`${(err as Error).message.replace(/, then deploy again\.$/, "")} — the plan below cannot say what already exists.\n`);
  }
  const d1 = worker.d1[0];
  const r2 = worker.r2[0];
  let subdomain: string | null = null;
  let databaseId: string | null = null;
  let bucket: boolean | null = null;
  let deployedSecrets: string[] = [];
  if (api) {
    subdomain = await workersDevSubdomain(api);
    // [env.production] has no routes, so wrangler always publishes to workers.dev (it refuses without a subdomain).
    if (!subdomain) throw new CliError(noSubdomain(api.accountId));
    databaseId = d1 ? await findDatabase(api, d1.name) : null;
    bucket = r2 ? await bucketExists(api, r2.bucket) : null;
    deployedSecrets = await deployedSecretNames(api, worker.name);
  }

  const secrets = planSecrets(root, vars, env, deployedSecrets);
  if (secrets.missing.length) {
    throw new CliError(
      `The production config refers to variables that are not set: ${secrets.missing.map((m) => `${m.name} (${m.key})`).join(", ")}. ` +
        "Add them to .dev.vars (or set them in the environment), then deploy again. Nothing was changed.",
    );
  }
  const resolved = resolveConfig({ name: config.sources.at(-1) ?? "nanobot.config.json", text: config.text }, undefined, { ...env, ...worker.vars, ...Object.fromEntries(secrets.values) });
  if (!resolved.ok) throw new CliError(`The production config is invalid: ${resolved.error.message}. Nothing was changed.`);

  const local = d1 ? localMigrations(d1.migrationsDir) : [];
  let pending: string[] | null = api ? local : null;
  if (api && databaseId) {
    const applied = new Set(await appliedMigrations(api, databaseId));
    pending = local.filter((m) => !applied.has(m));
  }
  const plan: DeployPlan = {
    worker,
    account: api?.accountId ?? null,
    workerUrl: options.url ?? (subdomain ? `https://${worker.name}.${subdomain}.workers.dev` : null),
    database: { name: d1?.name ?? "(none)", exists: api ? databaseId !== null : null },
    bucket: { name: r2?.bucket ?? "(none)", exists: bucket },
    secrets: [...secrets.origin].map(([name, origin]) => ({ name, origin })),
    pendingMigrations: pending,
    container: options.container,
    configSources: config.sources,
  };
  return { plan, api, config, secrets, databaseId };
}
