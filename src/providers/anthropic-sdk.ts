/**
 * What the backend and sdk-errors.ts use of `@anthropic-ai/sdk`, loaded with `import("./anthropic-sdk.ts")` on the
 * first model call (see openai-sdk.ts for why through this module).
 */
export { default as Anthropic, APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from "@anthropic-ai/sdk";
