import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createTurnSafety } from "../../../src/agent/safety/turn-safety.ts";
import { executeToolCalls } from "../../../src/agent/tool-executor.ts";
import { MAX_SAVED_RESULTS, PREVIEW_CHARS } from "../../../src/agent/truncate-result.ts";
import { readFileTool } from "../../../src/tools/read-file.ts";
import { ToolRegistry } from "../../../src/tools/registry.ts";
import { defineTool } from "../../../src/tools/types.ts";
import { freshWorkspace, toolContext } from "./harness.ts";

const big = Array.from({ length: 4000 }, (_, i) => `row ${String(i + 1).padStart(4, "0")} ${"x".repeat(41)}`).join("\n");
const partsTool = defineTool({
  name: "parts",
  description: "Returns a large text as content parts, as some MCP servers do.",
  parameters: z.object({}),
  async execute() {
    return [{ type: "text", text: big.slice(0, 100_000) }, { type: "text", text: big.slice(100_000) }];
  },
});
const dumpTool = defineTool({
  name: "dump",
  description: "Returns a large text.",
  parameters: z.object({}),
  async execute() {
    return big;
  },
});

async function run(calls: { id: string; name: string; arguments: string }[], ws = freshWorkspace("oversize"), maxResultChars = 16_000) {
  const { emit: _emit, ...context } = toolContext(ws);
  const results = await executeToolCalls(calls, {
    registry: new ToolRegistry([dumpTool, partsTool, readFileTool]),
    context: { ...context, sessionKey: "api:over size/1" },
    safety: createTurnSafety(),
    hooks: {},
    maxResultChars,
  });
  return { ws, results: results.map((r) => String(r.result)) };
}

describe("oversized tool results", () => {
  it("should save a 200 KB result to a workspace file and give the model a preview plus the path", async () => {
    expect(big.length).toBeGreaterThan(200_000);
    const { ws, results } = await run([{ id: "call_1", name: "dump", arguments: "{}" }]);
    const path = ".nanobot/tool-results/api_over_size_1/call_1.txt";
    expect(results[0]).toBe(
      `[tool output persisted]\nFull output saved to: ${path}\nOriginal size: ${big.length} chars\nPreview:\n${big.slice(0, PREVIEW_CHARS)}\n...\n` +
        "(Read the saved file with read_file (offset/limit) or grep it for the full output.)",
    );
    expect(await ws.readText(path)).toBe(big);
    // The saved file is one read_file pages through.
    const { results: paged } = await run([{ id: "call_2", name: "read_file", arguments: JSON.stringify({ path, offset: 3999, limit: 5 }) }], ws);
    expect(paged[0]).toBe(`3999| row 3999 ${"x".repeat(41)}\n4000| row 4000 ${"x".repeat(41)}\n\n(End of file — 4000 lines total)`);
  });

  it("should leave results within the budget alone and cut read_file instead of saving a copy", async () => {
    const ws = freshWorkspace("oversize-read");
    await ws.writeFile("big.txt", big);
    const { results } = await run([{ id: "call_3", name: "read_file", arguments: JSON.stringify({ path: "big.txt", limit: 10 }) }], ws);
    expect(results[0]).toContain("10| row 0010");
    const { results: cut } = await run([{ id: "call_4", name: "read_file", arguments: JSON.stringify({ path: "big.txt" }) }], ws);
    expect(cut[0]).toContain("characters truncated");
    expect(await ws.exists(".nanobot/tool-results/api_over_size_1/call_4.txt")).toBe(false);
  });

  it("should save large text-only content parts the same way", async () => {
    const { ws, results } = await run([{ id: "call_p", name: "parts", arguments: "{}" }]);
    expect(results[0]).toMatch(/^\[tool output persisted\]\nFull output saved to: \.nanobot\/tool-results\/api_over_size_1\/call_p\.txt\nOriginal size: 204000 chars/);
    expect(await ws.readText(".nanobot/tool-results/api_over_size_1/call_p.txt")).toBe(`${big.slice(0, 100_000)}\n${big.slice(100_000)}`);
  });

  it("should keep only the newest saved results of a session", async () => {
    const ws = freshWorkspace("oversize-prune");
    for (let i = 0; i < MAX_SAVED_RESULTS + 2; i++) await run([{ id: `c${String(i).padStart(2, "0")}`, name: "dump", arguments: "{}" }], ws, 2_000);
    const kept = (await ws.list(".nanobot/tool-results/api_over_size_1")).map((e) => e.path.split("/").pop());
    expect(kept).toHaveLength(MAX_SAVED_RESULTS);
    expect(kept).not.toContain("c00.txt");
    expect(kept).toContain(`c${MAX_SAVED_RESULTS + 1}.txt`);
  });
});
