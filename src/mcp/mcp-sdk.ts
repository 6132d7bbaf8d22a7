/**
 * What mcp-connection.ts uses of the MCP SDK, loaded with `import("./mcp-sdk.ts")` on the first connection.
 * Going through this module keeps the bundle tree-shaken (a dynamic import of an SDK entry point keeps all of
 * its exports).
 */
export { Client } from "@modelcontextprotocol/sdk/client/index.js";
export { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
export { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
// AJV (the SDK's default validator) compiles schemas with `new Function`, which workerd forbids: tools with
// an outputSchema would fail under `wrangler dev` and in production while vitest passes (toolchain.md row 7).
export { CfWorkerJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/cfworker";
