import { defineConfig } from "vitest/config";

// `include` is relative to this folder (a root-relative glob matches nothing and silently skips the project).
export default defineConfig({
  test: {
    name: "sandbox-runner",
    environment: "node",
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
  },
});
