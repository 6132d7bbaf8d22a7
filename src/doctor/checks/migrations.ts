import { BUNDLED_MIGRATIONS } from "../bundled-migrations.ts";
import { finding, type Finding } from "../types.ts";
import type { DoctorContext } from "../types-context.ts";

const CHECK = "migrations";

/** Compares D1's `d1_migrations` table (written by `wrangler d1 migrations apply`) with what this code expects. */
export async function migrationsCheck(ctx: DoctorContext): Promise<Finding[]> {
  const fix = ctx.local
    ? "restart `npm start` (it applies local migrations), or run `npx wrangler d1 migrations apply DB --local`"
    : "run `npx nanobot deploy` (it applies them), or `npx wrangler d1 migrations apply DB --remote --env production`";
  let applied: string[];
  try {
    const { results } = await ctx.env.DB.prepare("SELECT name FROM d1_migrations ORDER BY id").all<{ name: string }>();
    applied = results.map((r) => r.name);
  } catch (err) {
    const message = String((err as Error)?.message ?? err);
    if (/no such table/i.test(message)) return [finding(CHECK, "fail", "no D1 migration has been applied (no d1_migrations table)", fix)];
    return [finding(CHECK, "fail", `cannot read D1: ${message.slice(0, 160)}`, "check the DB binding in wrangler.toml")];
  }
  const pending = BUNDLED_MIGRATIONS.filter((m) => !applied.includes(m));
  const unknown = applied.filter((m) => !BUNDLED_MIGRATIONS.includes(m));
  const findings: Finding[] = [];
  if (pending.length) findings.push(finding(CHECK, "fail", `${pending.length} pending: ${pending.join(", ")}`, fix));
  if (unknown.length) findings.push(finding(CHECK, "warn", `the database has migrations this Worker does not know (${unknown.join(", ")}): the code is older than the database`, "deploy the current code (`npx nanobot deploy`)"));
  if (!findings.length) findings.push(finding(CHECK, "ok", `all ${BUNDLED_MIGRATIONS.length} applied (latest ${BUNDLED_MIGRATIONS.at(-1)})`));
  return findings;
}
