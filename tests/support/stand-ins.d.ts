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
  runner: { url: string; secret: string; control: string; stdioMcp: { command: string; args: string[] } };
  /** MCP server (official SDK, Streamable HTTP): tests/support/stand-in-mcp.ts */
  mcp: string;
  /** Telegram Bot API stand-in (the `apiRoot`). */
  telegram: string;
  /** Slack stand-in root; the Web API is at `${slack}/api`. */
  slack: string;
  /** WeCom server API stand-in (the `apiRoot`); also signs and encrypts callbacks (stand-in-wecom.ts). */
  wecom: string;
  /** Feishu / Lark open platform stand-in root (tests/support/stand-in-feishu.ts). */
  feishu: string;
  /** DingTalk API stand-in root, new API and oapi paths (tests/support/stand-in-dingtalk.ts). */
  dingtalk: string;
  /** QQ bot OpenAPI stand-in (the `apiRoot`; getAppAccessToken at `${qq}/app/getAppAccessToken`). */
  qq: string;
  /** Discord REST stand-in: the `apiRoot` (…/api/v10); its test controls and CDN are at the server root. */
  discord: string;
  /** WhatsApp Cloud API stand-in root; the Graph API is at `${whatsapp}/v23.0`. */
  whatsapp: string;
}
declare module "vitest" {
  export interface ProvidedContext {
    standIns: StandIns;
  }
}
