/** Plumbing shared by the chat-platform stand-ins: body parsing, JSON answers, start/stop on 127.0.0.1. */
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

export function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** JSON or form-encoded parameters, as both platforms accept either. */
export function parseParams(raw: Buffer, contentType: string | undefined): Record<string, any> {
  const text = raw.toString("utf8");
  if (!text) return {};
  if ((contentType ?? "").includes("application/x-www-form-urlencoded")) {
    const out: Record<string, any> = {};
    for (const [k, v] of new URLSearchParams(text)) {
      try {
        out[k] = JSON.parse(v);
      } catch {
        out[k] = v;
      }
    }
    return out;
  }
  return JSON.parse(text);
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
}

export async function listen(server: http.Server, port = 0): Promise<RunningServer> {
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const { port: actual } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${actual}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A scripted failure: the next `count` calls of `method` (optionally only for one chat) fail this way. */
export interface Fault {
  method: string;
  chat?: string;
  count: number;
  status: number;
  description?: string;
  retryAfter?: number;
  /** Telegram only: fail only calls sent with this parse_mode ("HTML"). */
  parseMode?: string;
  /**
   * Never answer: the call stays open until the caller goes away (recorded with status 0, nothing delivered).
   * Lets a test reset the caller while a send is in flight.
   */
  hang?: boolean;
  /** Only calls whose `text` contains this (e.g. one part of a long reply). */
  textIncludes?: string;
}

/** Holds a request open until the client disconnects (a `hang` fault). */
export function hangUntilClosed(res: http.ServerResponse): Promise<void> {
  return new Promise((resolve) => res.once("close", () => resolve()));
}

export function takeFault(faults: Fault[], method: string, chat: string | undefined, parseMode?: string, text?: unknown): Fault | null {
  const fault = faults.find(
    (f) =>
      f.count > 0 &&
      f.method === method &&
      (f.chat === undefined || f.chat === chat) &&
      (f.parseMode === undefined || f.parseMode === parseMode) &&
      (f.textIncludes === undefined || String(text ?? "").includes(f.textIncludes)),
  );
  if (!fault) return null;
  fault.count--;
  return fault;
}
