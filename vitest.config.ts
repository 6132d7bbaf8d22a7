import path from "node:path";
import { defineConfig } from "vitest/config";

// One `vitest run` covers the Worker (inside workerd) and the Node-side projects.
export default defineConfig({
  resolve: {
    // The Workers pool resolves the modules workerd cannot find itself (CommonJS `require` inside dependencies) with
    // this root config, not the project's. linkedom's CSS parser tries an optional `require("cssstyle")` in a
    // try/catch; unresolved, the pool logs "Failed to require …" although the code copes. Resolve it to a module that
    // throws, which that try/catch expects.
    alias: [{ find: /^cssstyle$/, replacement: path.join(import.meta.dirname, "tests/support/absent-cssstyle.cjs") }],
  },
  test: {
    // Console output (the Worker's JSON log lines, SDK notices) is shown for failing tests only: a green run stays
    // readable, and a failure still comes with everything its test printed.
    silent: "passed-only",
    projects: ["./vitest.worker.config.ts", "./vitest.node.config.ts", "./sandbox-runner/vitest.config.ts"],
  },
});
