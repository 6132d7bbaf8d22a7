/** The one SSE reader (src/sse-data.ts), fed the way its two callers feed it: Node chunks and a web ReadableStream. */
import { describe, expect, it } from "vitest";
import { sseData } from "../../src/sse-data.ts";

const bytes = (...parts: string[]) => parts.map((p) => new TextEncoder().encode(p));
async function* iterate(chunks: Uint8Array[]) {
  yield* chunks;
}
const read = async (body: AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>) => {
  const out: string[] = [];
  for await (const data of sseData(body)) out.push(data);
  return out;
};

describe("sseData", () => {
  it("should yield each event's data across chunk borders, CRLF lines and multi-line data", async () => {
    const chunks = bytes('data: {"a":', '1}\r\n\r\n: comment\nevent: x\ndata: line one\ndata:line two\n\n', "data: [DONE]\n\n");
    expect(await read(iterate(chunks))).toEqual(['{"a":1}', "line one\nline two", "[DONE]"]);
  });

  it("should read a web ReadableStream (Workers AI) and keep a last event cut off before its blank line", async () => {
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of bytes('data: {"response":"Hi"}\n\n', 'data: {"response":"!"}')) controller.enqueue(chunk);
        controller.close();
      },
    });
    expect(await read(stream)).toEqual(['{"response":"Hi"}', '{"response":"!"}']);
  });

  it("should split a multi-byte character across chunks correctly", async () => {
    const all = new TextEncoder().encode("data: héllo 🐈\n\n");
    expect(await read(iterate([all.slice(0, 8), all.slice(8, 15), all.slice(15)]))).toEqual(["héllo 🐈"]);
  });
});
