/** URLs of the stand-in servers the global setup starts on 127.0.0.1. */
export interface StandIns {
  llm: string;
  /** MCP server (official SDK, Streamable HTTP): tests/support/stand-in-mcp.ts */
  mcp: string;
}
declare module "vitest" {
  export interface ProvidedContext {
    standIns: StandIns;
  }
}
