/** URLs of the stand-in servers the global setup starts on 127.0.0.1. */
export interface StandIns {
  llm: string;
  /** Telegram Bot API stand-in (the `apiRoot`). */
  telegram: string;
  /** Slack stand-in root; the Web API is at `${slack}/api`. */
  slack: string;
}
declare module "vitest" {
  export interface ProvidedContext {
    standIns: StandIns;
  }
}
