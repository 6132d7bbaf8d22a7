import { loadConfig } from "./config.ts";
import { startRunner } from "./server.ts";

/** Entry point: `RUNNER_SECRET=… node sandbox-runner/src/main.ts` (Node ≥ 24 runs the TypeScript directly). */
let config;
try {
  config = loadConfig();
} catch (err) {
  console.error(`sandbox-runner: ${(err as Error).message}`);
  process.exit(2);
}
const runner = await startRunner(config);
const stop = (signal: string) => {
  console.log(JSON.stringify({ event: "runner_stopping", signal }));
  runner.close().then(() => process.exit(0));
  setTimeout(() => process.exit(0), 3000).unref();
};
process.on("SIGINT", () => stop("SIGINT"));
process.on("SIGTERM", () => stop("SIGTERM"));
