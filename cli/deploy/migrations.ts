import { readdirSync } from "node:fs";
import { CloudflareApiError, type CloudflareApi } from "./cloudflare-api.ts";

/** The migration files wrangler applies, in its order (file name order). */
export function localMigrations(dir: string): string[] {
  try {
    return readdirSync(dir).filter((f) => f.endsWith(".sql")).sort();
  } catch {
    return [];
  }
}

/** Names recorded in the remote database's d1_migrations table (wrangler's default table); [] when it has none. */
export async function appliedMigrations(api: CloudflareApi, databaseId: string): Promise<string[]> {
  try {
    const [first] = await api.request<Array<{ results: Array<{ name: string }> }>>("POST", `/accounts/{account}/d1/database/${databaseId}/query`, {
      sql: "SELECT name FROM d1_migrations ORDER BY id",
    });
    return (first?.results ?? []).map((r) => r.name);
  } catch (err) {
    if (err instanceof CloudflareApiError && /no such table/i.test(err.message)) return [];
    throw err;
  }
}
