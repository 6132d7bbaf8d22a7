/**
 * What the backend and sdk-errors.ts use of `openai`, loaded with `import("./openai-sdk.ts")` on the first model
 * call. Going through this module (instead of `import("openai")`) keeps the bundle tree-shaken: a dynamic import
 * of the package itself would keep every export of it.
 */
export { default as OpenAI, APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from "openai";
