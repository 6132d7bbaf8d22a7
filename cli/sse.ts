/**
 * Reads a Server-Sent Events body and yields each event's `data` (multi-line data joined with "\n").
 * Comments and other fields are skipped; OpenAI streams only use `data:`.
 */
export async function* sseData(body: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
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
  for await (const value of body) {
    buffer += decoder.decode(value, { stream: true });
    yield* events(false);
  }
  buffer += decoder.decode();
  yield* events(true);
  if (data.length) yield data.join("\n");
}
