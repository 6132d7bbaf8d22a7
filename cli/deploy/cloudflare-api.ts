import { CliError } from "../cli-error.ts";
import { runWrangler } from "./wrangler-run.ts";

/** A Cloudflare API error: HTTP status plus the first `errors[].code` (wrangler branches on the same codes). */
export class CloudflareApiError extends Error {
  readonly status: number;
  readonly code: number | null;
  constructor(status: number, code: number | null, message: string) {
    super(message);
    this.name = "CloudflareApiError";
    this.status = status;
    this.code = code;
  }
}

interface Envelope<T> {
  success: boolean;
  errors?: Array<{ code: number; message: string }>;
  result: T;
}

/** The REST API wrangler itself talks to, with wrangler's credentials; base URL from CLOUDFLARE_API_BASE_URL. */
export class CloudflareApi {
  readonly base: string;
  readonly accountId: string;
  private readonly headers: Record<string, string>;

  constructor(base: string, headers: Record<string, string>, accountId: string) {
    this.base = base.replace(/\/+$/, "");
    this.headers = headers;
    this.accountId = accountId;
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const url = `${this.base}${path.replace("{account}", this.accountId)}`;
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: { ...this.headers, ...(body === undefined ? {} : { "content-type": "application/json" }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (err) {
      throw new CliError(`Cannot reach the Cloudflare API at ${this.base} (${(err as Error).message}). Check the network (or CLOUDFLARE_API_BASE_URL).`);
    }
    const parsed = (await res.json().catch(() => null)) as Envelope<T> | null;
    if (!res.ok || !parsed?.success) {
      const first = parsed?.errors?.[0];
      throw new CloudflareApiError(res.status, first?.code ?? null, first?.message ?? `HTTP ${res.status}`);
    }
    return parsed.result;
  }
}

type Auth = Record<string, string>;

/** wrangler's credentials: CLOUDFLARE_API_TOKEN (or API key + email), else the `npx wrangler login` token. */
async function credentials(root: string, env: NodeJS.ProcessEnv): Promise<Auth> {
  if (env.CLOUDFLARE_API_TOKEN) return { authorization: `Bearer ${env.CLOUDFLARE_API_TOKEN}` };
  if (env.CLOUDFLARE_API_KEY && env.CLOUDFLARE_EMAIL) return { "x-auth-key": env.CLOUDFLARE_API_KEY, "x-auth-email": env.CLOUDFLARE_EMAIL };
  // `wrangler auth token --json` is wrangler's documented way to hand its login to scripts; never printed.
  const result = await runWrangler(root, ["auth", "token", "--json"]);
  try {
    const parsed = JSON.parse(result.output.slice(result.output.indexOf("{"))) as { type: string; token?: string; key?: string; email?: string };
    if (parsed.type === "api_key" && parsed.key && parsed.email) return { "x-auth-key": parsed.key, "x-auth-email": parsed.email };
    if (parsed.token) return { authorization: `Bearer ${parsed.token}` };
  } catch {
    // not logged in: fall through
  }
  throw new CliError("Not logged in to Cloudflare. Run `npx wrangler login` (or set CLOUDFLARE_API_TOKEN and CLOUDFLARE_ACCOUNT_ID), then deploy again.");
}

/** The account: CLOUDFLARE_ACCOUNT_ID, else the only account the credentials can see. */
export async function connectCloudflare(root: string, env: NodeJS.ProcessEnv): Promise<CloudflareApi> {
  const base = env.CLOUDFLARE_API_BASE_URL || "https://api.cloudflare.com/client/v4";
  const auth = await credentials(root, env);
  if (env.CLOUDFLARE_ACCOUNT_ID) return new CloudflareApi(base, auth, env.CLOUDFLARE_ACCOUNT_ID);
  const probe = new CloudflareApi(base, auth, "");
  let accounts: Array<{ id: string; name: string }>;
  try {
    accounts = await probe.request("GET", "/accounts");
  } catch (err) {
    if (err instanceof CloudflareApiError) throw new CliError(`Cloudflare refused the credentials (${err.message}). Run \`npx wrangler login\` again, or check CLOUDFLARE_API_TOKEN.`);
    throw err;
  }
  if (accounts.length === 1) return new CloudflareApi(base, auth, accounts[0].id);
  if (!accounts.length) throw new CliError("These Cloudflare credentials see no account. Check the API token's permissions (Account: Workers Scripts, D1, R2 — edit).");
  throw new CliError(`These credentials see ${accounts.length} accounts (${accounts.map((a) => `${a.name}: ${a.id}`).join(", ")}). Set CLOUDFLARE_ACCOUNT_ID to the one to deploy to.`);
}
