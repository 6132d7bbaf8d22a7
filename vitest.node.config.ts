import { defineConfig } from "vitest/config";

// Node-side code: the CLI, the gateway scripts, the stand-in servers themselves.
export default defineConfig({
  test: {
    name: "node",
    environment: "node",
    include: ["tests/node/**/*.test.ts"],
    testTimeout: 30_000,
  },
});
