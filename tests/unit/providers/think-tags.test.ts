import { describe, expect, it } from "vitest";
import { splitThinkTags, ThinkTagStream } from "../../../src/providers/think-tags.ts";

describe("inline think tags", () => {
  it("should split <think>, <thinking> and <thought> out of a whole text", () => {
    expect(splitThinkTags("<think>plan</think>answer")).toEqual({ content: "answer", reasoning: "plan" });
    expect(splitThinkTags("a<thinking>x</thinking>b<thought>y</thought>c")).toEqual({ content: "abc", reasoning: "xy" });
    expect(splitThinkTags("no tags, 3 < 4")).toEqual({ content: "no tags, 3 < 4", reasoning: "" });
  });

  it("should treat an unclosed tag as reasoning cut off mid-thought", () => {
    expect(splitThinkTags("<think>still going")).toEqual({ content: "", reasoning: "still going" });
  });

  it("should handle tags split at every possible chunk boundary", () => {
    const text = "<think>why</think>Because.";
    for (let size = 1; size <= text.length; size++) {
      const s = new ThinkTagStream();
      let content = "";
      let reasoning = "";
      for (let i = 0; i < text.length; i += size) {
        const part = s.push(text.slice(i, i + size));
        content += part.content;
        reasoning += part.reasoning;
      }
      const rest = s.end();
      expect({ content: content + rest.content, reasoning: reasoning + rest.reasoning }).toEqual({ content: "Because.", reasoning: "why" });
    }
  });

  it("should release text that only looked like the start of a tag", () => {
    const s = new ThinkTagStream();
    expect(s.push("a <th")).toEqual({ content: "a ", reasoning: "" });
    expect(s.push("e end")).toEqual({ content: "<the end", reasoning: "" });
  });
});
