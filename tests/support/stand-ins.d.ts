/** URLs of the stand-in servers the global setup starts on 127.0.0.1. */
export interface StandIns {
  llm: string;
  /** Pages for web_fetch: article, 20 MB stream, JSON, image, redirects (tests/support/stand-in-web-pages.ts). */
  webPages: string;
  /** The same pages on 127.0.0.2, a private address no test whitelists: any hit there is an SSRF leak. */
  canary: string;
  /** Search providers under /<provider>/ and the Jina reader under /jina-reader/ (stand-in-search.ts). */
  search: string;
  /** DNS-over-HTTPS JSON resolver (stand-in-doh.ts). */
  doh: string;
  /** The real sandbox runner; `control` starts/restarts/stops disposable ones (tests/support/stand-in-runner.ts). */
  runner: { url: string; secret: string; control: string };
  /** MCP server (official SDK, Streamable HTTP): tests/support/stand-in-mcp.ts */
  mcp: string;
  /** Telegram Bot API stand-in (the `apiRoot`). */
  telegram: string;
  /** Slack stand-in root; the Web API is at `${slack}/api`. */
  slack: string;
  /** WhatsApp Cloud API stand-in root; the Graph API is at `${whatsapp}/v23.0`. */
  whatsapp: string;
}
declare module "vitest" {
  export interface ProvidedContext {
    standIns: StandIns;
  }
}
