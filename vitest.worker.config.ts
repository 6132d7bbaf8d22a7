import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { dependencySourcemaps } from "./tests/support/dependency-sourcemaps.ts";
import { testConfig } from "./tests/support/test-config.ts";

// Tests run inside workerd against the real Worker. Stand-in servers (LLM, Telegram, Slack, MCP, …) run in
// Node on 127.0.0.1, started by the global setup; their URLs reach the Worker through the config binding.
export default defineConfig(async () => {
  const migrations = await readD1Migrations(path.join(import.meta.dirname, "migrations"));
  return {
    plugins: [
      dependencySourcemaps(),
      cloudflareTest(({ inject }) => ({
        wrangler: { configPath: "./wrangler.toml" },
        // workerd's --verbose (the pool's default) logs runtime-internal details, e.g. an "uncaught exception … Network
        // connection lost" for every refused connection although the Worker caught the fetch error; unhandled
        // rejections in test or Worker code still fail the run through Vitest.
        verbose: false,
        miniflare: {
          bindings: {
            TEST_MIGRATIONS: migrations,
            NANOBOT_CONFIG: JSON.stringify(testConfig(inject("standIns"))),
            STAND_INS: JSON.stringify(inject("standIns")),
            TEST_SECRET_VALUE: "interpolated-secret",
          },
        },
      })),
    ],
    resolve: {
      // Tests must not depend on a developer's own nanobot.config.json (wrangler.toml aliases the module generated from it).
      alias: [{ find: /^nanobot-config$/, replacement: path.join(import.meta.dirname, "tests/support/config-module.ts") }],
    },
    test: {
      name: "worker",
      include: ["tests/worker/**/*.test.ts", "tests/unit/**/*.test.ts", "tests/integration/**/*.test.ts"],
      setupFiles: ["./tests/worker/apply-migrations.ts"],
      globalSetup: ["./tests/support/global-setup.ts"],
      testTimeout: 20_000,
      // One workerd runtime for all files instead of one per file: every test already names its own sessions,
      // chats and workspaces, and starting ~60 runtimes (plus re-transforming the bundle for each) made this
      // project take ~6.5 minutes instead of ~50 s on a 2-core machine.
      isolate: false,
    },
  };
});
