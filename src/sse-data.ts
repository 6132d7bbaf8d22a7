/**
 * The one Server-Sent Events reader (https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation),
 * shared by the Worker (Workers AI streams) and the CLI (`npx nanobot agent` reading /v1/chat/completions).
 * Yields each event's `data` (several `data:` lines joined with "\n", one leading space dropped); comments and
 * other fields are skipped, since every stream read here carries its payload in `data:`. Plain TypeScript
 * with no imports, so Node and workerd load it alike.
 */
export async function* sseData(body: AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buffer = "";
  let data: string[] = [];
  const lines = function* (final: boolean): Generator<string> {
    let newline: number;
    while ((newline = buffer.indexOf("\n")) >= 0) {
      yield buffer.slice(0, newline).replace(/\r$/, "");
      buffer = buffer.slice(newline + 1);
    }
    if (final && buffer) {
      yield buffer;
      buffer = "";
    }
  };
  const events = function* (final: boolean): Generator<string> {
    for (const line of lines(final)) {
      if (line === "") {
        if (data.length) yield data.join("\n");
        data = [];
      } else if (line.startsWith("data:")) {
        data.push(line.slice(line[5] === " " ? 6 : 5));
      }
    }
  };
  for await (const value of chunksOf(body)) {
    buffer += decoder.decode(value, { stream: true });
    yield* events(false);
  }
  buffer += decoder.decode();
  yield* events(true);
  // A stream cut off without the final blank line still delivers its last event.
  if (data.length) yield data.join("\n");
}

async function* chunksOf(body: AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  if (!("getReader" in body)) return yield* body;
  const reader = body.getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}
