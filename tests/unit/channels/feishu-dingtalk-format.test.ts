import { describe, expect, it } from "vitest";
import { markdownTitle, markdownToDingtalk } from "../../../src/channels/dingtalk/dingtalk-markdown.ts";
import { markdownCard, markdownToCardMarkdown } from "../../../src/channels/feishu/feishu-card.ts";
import { dingtalkSign, verifyDingtalkSign } from "../../../src/channels/dingtalk/verify-sign.ts";

describe("Feishu card markdown", () => {
  it("should turn headings into bold lines and keep bold, italic, strike, links and lists", () => {
    expect(markdownToCardMarkdown("# Plan **now**\n- **a** *b* ~~c~~ [d](https://e.com)")).toBe("**Plan now**\n- **a** *b* ~~c~~ [d](https://e.com)");
  });

  it("should put tables in a code block and leave code blocks alone", () => {
    expect(markdownToCardMarkdown("| a | b |\n|---|---|\n| 1 | 2 |\nafter")).toBe("```\n| a | b |\n|---|---|\n| 1 | 2 |\n```\nafter");
    expect(markdownToCardMarkdown("```md\n# not a heading\n```")).toBe("```md\n# not a heading\n```");
  });

  it("should make images links (card images need an image_key) and wrap it all in one markdown element", () => {
    expect(JSON.parse(markdownCard("![fox](https://e.com/f.png)"))).toEqual({ config: { wide_screen_mode: true }, elements: [{ tag: "markdown", content: "[fox](https://e.com/f.png)" }] });
  });
});

describe("DingTalk markdown", () => {
  it("should keep headings, bold and lists, drop strike and inline-code markers, and break every line", () => {
    expect(markdownToDingtalk("# Plan\n- **a** ~~b~~ `c`\n\nend")).toBe("# Plan  \n- **a** b c  \n\nend  ");
  });

  it("should keep code and table lines without their fences and separator", () => {
    expect(markdownToDingtalk("```js\nlet x = 1;\n```\n| a | b |\n|---|---|\n| 1 | 2 |")).toBe("let x = 1;  \n| a | b |  \n| 1 | 2 |  ");
  });

  it("should title a message with its first words", () => {
    expect(markdownTitle("## Weekly **report**\nbody")).toBe("Weekly report");
    expect(markdownTitle("x".repeat(40))).toBe(`${"x".repeat(29)}…`);
  });
});

describe("DingTalk callback sign", () => {
  it("should be base64(HMAC-SHA256(secret, timestamp + \\n + secret)) and hold for one hour", async () => {
    const sign = await dingtalkSign("secret", "1700000000000");
    // Known answer from an independent implementation (node:crypto createHmac).
    expect(sign).toBe("OuzzJR5+xZ4/EYwqtNt6sMYZQMTa/HEGvc9miJe7XzY=");
    expect(await verifyDingtalkSign({ secret: "secret", timestamp: "1700000000000", sign, nowMs: 1700000000000 + 3_599_000 })).toBe(true);
    expect(await verifyDingtalkSign({ secret: "secret", timestamp: "1700000000000", sign, nowMs: 1700000000000 + 3_601_000 })).toBe(false);
    expect(await verifyDingtalkSign({ secret: "other", timestamp: "1700000000000", sign, nowMs: 1700000000000 })).toBe(false);
  });
});
