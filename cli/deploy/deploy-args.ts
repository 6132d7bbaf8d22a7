import { UsageError } from "../cli-error.ts";

export interface DeployArgs {
  dryRun: boolean;
  /** The Worker's public URL when it is not `https://<name>.<subdomain>.workers.dev` (a custom domain). */
  url: string | null;
  help: boolean;
  /** Everything after `--`, passed to `wrangler deploy` unchanged. */
  wranglerArgs: string[];
}

/** `npx nanobot deploy [--dry-run] [--url URL] [-- wrangler options]`. */
export function parseDeployArgs(argv: string[]): DeployArgs {
  const args: DeployArgs = { dryRun: false, url: null, help: false, wranglerArgs: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") {
      args.wranglerArgs = argv.slice(i + 1);
      break;
    }
    if (arg === "--help" || arg === "-h") args.help = true;
    else if (arg === "--dry-run") args.dryRun = true;
    else if (arg === "--url" || arg.startsWith("--url=")) {
      const value = arg === "--url" ? argv[++i] : arg.slice("--url=".length);
      if (!value || !/^https?:\/\//.test(value)) throw new UsageError("--url needs the Worker's URL, e.g. --url https://bot.example.com. See `npx nanobot deploy --help`.");
      args.url = value.replace(/\/+$/, "");
    } else throw new UsageError(`Unknown option "${arg}". Options for wrangler go after \`--\`. See \`npx nanobot deploy --help\`.`);
  }
  return args;
}
