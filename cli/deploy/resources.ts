import { CloudflareApiError, type CloudflareApi } from "./cloudflare-api.ts";

// Error codes of the Cloudflare API that mean "not there" (the same ones wrangler checks).
const SCRIPT_NOT_FOUND = [10007, 10090];
const BUCKET_NOT_FOUND = 10006;
const SUBDOMAIN_NOT_FOUND = 10007;

const notFound = (err: unknown, codes: number[]) => err instanceof CloudflareApiError && (err.status === 404 || (err.code !== null && codes.includes(err.code)));

/** The account's workers.dev subdomain (`<sub>.workers.dev`), or null when none is registered yet. */
export async function workersDevSubdomain(api: CloudflareApi): Promise<string | null> {
  try {
    return (await api.request<{ subdomain: string }>("GET", "/accounts/{account}/workers/subdomain")).subdomain;
  } catch (err) {
    if (notFound(err, [SUBDOMAIN_NOT_FOUND])) return null;
    throw err;
  }
}

export async function findDatabase(api: CloudflareApi, name: string): Promise<string | null> {
  const list = await api.request<Array<{ uuid: string; name: string }>>("GET", `/accounts/{account}/d1/database?name=${encodeURIComponent(name)}&per_page=1000`);
  return list.find((d) => d.name === name)?.uuid ?? null;
}

export async function createDatabase(api: CloudflareApi, name: string): Promise<string> {
  return (await api.request<{ uuid: string }>("POST", "/accounts/{account}/d1/database", { name })).uuid;
}

export async function bucketExists(api: CloudflareApi, name: string): Promise<boolean> {
  try {
    await api.request("GET", `/accounts/{account}/r2/buckets/${encodeURIComponent(name)}`);
    return true;
  } catch (err) {
    if (notFound(err, [BUCKET_NOT_FOUND])) return false;
    throw err;
  }
}

export async function createBucket(api: CloudflareApi, name: string): Promise<void> {
  await api.request("POST", "/accounts/{account}/r2/buckets", { name });
}

/** Names of the secrets the deployed Worker has ([] before its first deploy). */
export async function deployedSecretNames(api: CloudflareApi, script: string): Promise<string[]> {
  try {
    return (await api.request<Array<{ name: string }>>("GET", `/accounts/{account}/workers/scripts/${encodeURIComponent(script)}/secrets`)).map((s) => s.name);
  } catch (err) {
    if (notFound(err, SCRIPT_NOT_FOUND)) return [];
    throw err;
  }
}
