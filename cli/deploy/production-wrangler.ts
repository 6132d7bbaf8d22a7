import path from "node:path";

/** What `wrangler deploy --env production` will ship, as wrangler itself reads wrangler.toml. */
export interface ProductionWorker {
  name: string;
  d1: Array<{ binding: string; name: string; migrationsDir: string }>;
  r2: Array<{ binding: string; bucket: string }>;
  durableObjects: string[];
  crons: string[];
  containers: string[];
  /** `[vars]` of the production environment, name → value as the Worker sees it (they are not secrets). */
  vars: Record<string, string>;
}

export const PRODUCTION_ENV = "production";

/** Reads `[env.production]` through wrangler's own config reader, so names and inheritance match the deploy. */
export async function readProductionWorker(root: string): Promise<ProductionWorker> {
  const { unstable_readConfig } = await import("wrangler");
  const config = unstable_readConfig({ config: path.join(root, "wrangler.toml"), env: PRODUCTION_ENV }, { hideWarnings: true });
  return {
    name: config.name ?? "nanobot-edge",
    d1: config.d1_databases.map((d: { binding: string; database_name?: string; migrations_dir?: string }) => ({
      binding: d.binding,
      name: d.database_name ?? `${config.name}-${d.binding.toLowerCase()}`,
      migrationsDir: path.resolve(root, d.migrations_dir ?? "migrations"),
    })),
    r2: config.r2_buckets.map((b: { binding: string; bucket_name?: unknown }) => ({ binding: b.binding, bucket: String(b.bucket_name ?? `${config.name}-${b.binding.toLowerCase()}`) })),
    durableObjects: config.durable_objects.bindings.map((b: { name: string; class_name: string }) => `${b.name} (${b.class_name})`),
    crons: config.triggers.crons ?? [],
    containers: (config.containers ?? []).map((c: { class_name: string }) => c.class_name),
    vars: Object.fromEntries(Object.entries(config.vars ?? {}).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)])),
  };
}
