import { parseDeployArgs } from "../deploy/deploy-args.ts";
import { PRODUCTION_OVERLAY_FILE } from "../deploy/production-config.ts";
import { runDeploy } from "../deploy/run-deploy.ts";

export const deployHelp = `Usage: npx nanobot deploy [--dry-run] [--url URL] [-- wrangler deploy options]

Deploys the Worker to your Cloudflare account (wrangler.toml [env.production]). Log in first with
\`npx wrangler login\`, or set CLOUDFLARE_API_TOKEN and CLOUDFLARE_ACCOUNT_ID (CLOUDFLARE_API_BASE_URL is
honoured). Checks everything before changing anything, then:
  1. creates the D1 database and the R2 bucket if they do not exist yet (found by name afterwards);
  2. applies the pending D1 migrations to the remote database, before the new code takes traffic;
  3. uploads the minified Worker with its secrets (every \${VAR} the production config refers to, from the
     environment or .dev.vars, plus SANDBOX_RUNNER_SECRET, generated once and kept in .dev.vars) and the
     production config: nanobot.config.json with ${PRODUCTION_OVERLAY_FILE} deep-merged over it;
  4. registers the Telegram webhook through the deployed Worker, prints the Slack app manifest, the Worker URL
     and a curl line to try it.
Loopback/private endpoints or local paths in the production config stop the deploy (at a terminal it asks).
A missing \${VAR} stops it too, naming the variables. Without Docker the sandbox container is skipped.

Options:
  --dry-run   print the plan (resources, secrets by name, pending migrations, bindings) and build the
              production bundle; changes nothing
  --url URL   the Worker's URL when it is served from a custom domain
  -h, --help  show this help`;

export async function deployCommand(argv: string[]): Promise<number> {
  const args = parseDeployArgs(argv);
  if (args.help) {
    process.stdout.write(`${deployHelp}\n`);
    return 0;
  }
  return runDeploy(args, process.env, process.cwd());
}
