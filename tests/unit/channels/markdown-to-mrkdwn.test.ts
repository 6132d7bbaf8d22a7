import { describe, expect, it } from "vitest";
import { markdownToMrkdwn } from "../../../src/channels/slack/markdown-to-mrkdwn.ts";

describe("markdownToMrkdwn", () => {
  it("should convert bold, italic, strike and links to Slack syntax", () => {
    expect(markdownToMrkdwn("**bold** *it* ~~gone~~ [site](https://e.com)")).toBe("*bold* _it_ ~gone~ <https://e.com|site>");
  });

  it("should keep code blocks and inline code unformatted", () => {
    expect(markdownToMrkdwn("```py\n**x** < 1\n```\n`**y**`")).toBe("```\n**x** &lt; 1\n```\n`**y**`");
  });

  it("should escape the characters Slack treats as control", () => {
    expect(markdownToMrkdwn("a < b & c > d <!channel>")).toBe("a &lt; b &amp; c &gt; d &lt;!channel&gt;");
  });

  it("should turn headings into bold lines and bullets into dots", () => {
    expect(markdownToMrkdwn("# Plan\n- first\n* second")).toBe("*Plan*\n• first\n• second");
  });
});
