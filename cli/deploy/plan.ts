import type { ProductionWorker } from "./production-wrangler.ts";

export interface DeployPlan {
  worker: ProductionWorker;
  account: string | null;
  workerUrl: string | null;
  /** Resources by name with what happens to them; null = unknown (not logged in). */
  database: { name: string; exists: boolean | null };
  bucket: { name: string; exists: boolean | null };
  secrets: Array<{ name: string; origin: string }>;
  pendingMigrations: string[] | null;
  container: string;
  configSources: string[];
}

const state = (exists: boolean | null) => (exists === null ? "unknown (not logged in)" : exists ? "exists, reused" : "will be created");

/** The plan as lines: what a deploy creates, pushes and applies. Secret values never appear, only names. */
export function formatPlan(plan: DeployPlan): string[] {
  const w = plan.worker;
  return [
    `Worker "${w.name}" (wrangler.toml [env.production])${plan.account ? ` on account ${plan.account}` : ""}${plan.workerUrl ? ` at ${plan.workerUrl}` : ""}`,
    `  config:          ${plan.configSources.length ? plan.configSources.join(" + ") : "(none: defaults, Workers AI as the provider)"}`,
    `  D1 database:     ${plan.database.name}: ${state(plan.database.exists)}`,
    `  R2 bucket:       ${plan.bucket.name}: ${state(plan.bucket.exists)}`,
    `  D1 migrations:   ${plan.pendingMigrations === null ? "unknown (not logged in)" : plan.pendingMigrations.length ? `${plan.pendingMigrations.join(", ")} (applied before the upload)` : "none pending"}`,
    `  secrets:         ${plan.secrets.length ? plan.secrets.map((s) => `${s.name} (${s.origin})`).join(", ") : "none"}`,
    `  Durable Objects: ${w.durableObjects.join(", ")}`,
    `  crons:           ${w.crons.join(", ") || "none"}`,
    `  vars:            ${Object.keys(w.vars).join(", ") || "none"}`,
    `  container:       ${plan.container}`,
  ];
}
