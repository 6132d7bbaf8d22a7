import { defineConfig } from "vitest/config";

// One `vitest run` covers the Worker (inside workerd) and the Node-side projects.
export default defineConfig({
  test: {
    projects: ["./vitest.worker.config.ts", "./vitest.node.config.ts", "./sandbox-runner/vitest.config.ts"],
  },
});
