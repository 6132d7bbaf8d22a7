// linkedom's CSS parser (@acemir/cssom) tries `require("cssstyle")` inside try/catch and works without it; in the
// Workers test pool an unresolvable require is logged as a failure although the code handles it, so the worker
// vitest config resolves "cssstyle" here and this module fails the same way, quietly. See vitest.worker.config.ts.
throw new Error("cssstyle is not installed (optional for @acemir/cssom)");
