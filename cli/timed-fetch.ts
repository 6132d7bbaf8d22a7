/**
 * fetch with the two limits the CLI needs: the gateway must answer (response headers) within `headersMs`,
 * and a streamed body may go silent for at most `idleMs` between pieces. Node's own fetch waits 300 s for
 * headers and forever for a silent body, which looks like a hang to a user.
 */
export class GatewayTimeout extends Error {
  readonly phase: "headers" | "body";
  readonly ms: number;
  constructor(phase: "headers" | "body", ms: number) {
    super(`no ${phase === "headers" ? "answer" : "data"} within ${ms} ms`);
    this.name = "GatewayTimeout";
    this.phase = phase;
    this.ms = ms;
  }
}

export interface TimedResponse {
  response: Response;
  /** The body's chunks; each read must arrive within `idleMs`. Throws GatewayTimeout when one does not. */
  chunks(idleMs: number): AsyncGenerator<Uint8Array>;
}

export async function timedFetch(url: string, init: RequestInit, headersMs: number): Promise<TimedResponse> {
  const controller = new AbortController();
  const signal = init.signal ? AbortSignal.any([init.signal, controller.signal]) : controller.signal;
  let timedOut: GatewayTimeout | null = null;
  const arm = (phase: "headers" | "body", ms: number) => {
    const timer = setTimeout(() => {
      timedOut = new GatewayTimeout(phase, ms);
      controller.abort(timedOut);
    }, ms);
    timer.unref();
    return timer;
  };
  const headersTimer = arm("headers", headersMs);
  let response: Response;
  try {
    response = await fetch(url, { ...init, signal });
  } catch (err) {
    throw timedOut ?? err;
  } finally {
    clearTimeout(headersTimer);
  }
  async function* chunks(idleMs: number): AsyncGenerator<Uint8Array> {
    if (!response.body) return;
    const reader = response.body.getReader();
    try {
      for (;;) {
        const timer = arm("body", idleMs);
        let result: Awaited<ReturnType<typeof reader.read>>;
        try {
          result = await reader.read();
        } catch (err) {
          throw timedOut ?? err;
        } finally {
          clearTimeout(timer);
        }
        if (result.done) return;
        yield result.value;
      }
    } finally {
      reader.releaseLock();
    }
  }
  return { response, chunks };
}
