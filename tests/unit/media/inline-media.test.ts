import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { INLINE_BUDGET_BYTES, inlineMediaMarkdown } from "../../../src/media/inline-media.ts";

describe("inlineMediaMarkdown", () => {
  // The reply is one Durable Object SQLite row (≤ 2 MB): inlined images share one budget, the rest are paths.
  it("should inline images only while they fit one shared budget, and name the others by path", async () => {
    const id = `inline-${crypto.randomUUID().slice(0, 8)}`;
    const key = (n: number) => `workspaces/${id}/generated/img-${n}.png`;
    const size = Math.floor(INLINE_BUDGET_BYTES * 0.6);
    for (const n of [1, 2]) await env.WORKSPACE.put(key(n), new Uint8Array(size));
    const text = await inlineMediaMarkdown([1, 2].map((n) => ({ key: key(n), mimeType: "image/png" })), env.WORKSPACE);
    expect(text).toContain("![generated/img-1.png](data:image/png;base64,");
    expect(text).toContain("[File: generated/img-2.png]");
    expect(text.length).toBeLessThan(1.1 * 1024 * 1024);
  });
});
