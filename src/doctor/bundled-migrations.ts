/**
 * The D1 migrations (migrations/*.sql) this Worker's code expects. Bundled as names because a deployed Worker
 * cannot read the migrations folder; tests/node/doctor-migrations.test.ts fails when this list and the folder
 * disagree, so adding a migration means adding its name here.
 */
export const BUNDLED_MIGRATIONS: readonly string[] = ["0001_init.sql", "0002_sandbox_sync.sql", "0003_memory.sql", "0004_pairing.sql", "0005_telegram_poll_offset.sql"];
