/** URLs of the stand-in servers the global setup starts on 127.0.0.1. */
export interface StandIns {
  llm: string;
  /** The real sandbox runner; `control` starts/restarts/stops disposable ones (tests/support/stand-in-runner.ts). */
  runner: { url: string; secret: string; control: string };
}
declare module "vitest" {
  export interface ProvidedContext {
    standIns: StandIns;
  }
}
