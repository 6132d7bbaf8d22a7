import { describe, expect, it } from "vitest";
import { splitMessage } from "../../../src/channels/split-message.ts";

const paragraph = (n: number, word = "lorem") => Array.from({ length: n }, (_, i) => `${word}${i}`).join(" ");

describe("splitMessage", () => {
  it("should return a short text as one part", () => {
    expect(splitMessage("hello world", 100)).toEqual(["hello world"]);
  });

  it("should keep every part within the limit and lose no words", () => {
    const text = Array.from({ length: 30 }, (_, i) => paragraph(40, `p${i}w`)).join("\n\n");
    const parts = splitMessage(text, 500);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(500);
    expect(parts.join(" ").split(/\s+/)).toEqual(text.split(/\s+/));
  });

  it("should prefer a paragraph break over a line or word break", () => {
    const first = "a".repeat(50);
    const text = `${first}\n\n${"b ".repeat(40)}\n${"c ".repeat(20)}`;
    expect(splitMessage(text, 120)[0]).toBe(first);
  });

  it("should cut at a word boundary when a paragraph is longer than the limit", () => {
    const text = paragraph(200);
    const parts = splitMessage(text, 100);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(100);
      expect(part).toMatch(/^lorem\d+( lorem\d+)*$/);
    }
  });

  it("should move a whole code block to the next part instead of cutting it", () => {
    const code = "```js\nconst a = 1;\nconst b = 2;\n```";
    const text = `${"x ".repeat(40)}\n\n${code}`;
    const parts = splitMessage(text, 90);
    expect(parts).toHaveLength(2);
    expect(parts[1]).toBe(code);
  });

  it("should close and reopen a code block that alone exceeds the limit", () => {
    const body = Array.from({ length: 40 }, (_, i) => `line_${i} = ${i}`).join("\n");
    const parts = splitMessage(`\`\`\`python\n${body}\n\`\`\``, 120);
    expect(parts.length).toBeGreaterThan(2);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(120);
      expect(part.startsWith("```python\n")).toBe(true);
      expect(part.endsWith("```")).toBe(true);
    }
    const lines = parts.flatMap((p) => p.split("\n").filter((l) => !l.startsWith("```")));
    expect(lines.join("\n")).toBe(body);
  });

  it("should not cut inside a bold span or a link", () => {
    const text = `${"word ".repeat(14)}**bold words that go on** and [a link text](https://example.com/x) tail`;
    for (const limit of [80, 90, 100, 110]) {
      for (const part of splitMessage(text, limit)) {
        expect((part.match(/\*\*/g) ?? []).length % 2).toBe(0);
        expect(part.includes("[") === part.includes("](")).toBe(true);
      }
    }
  });
});
