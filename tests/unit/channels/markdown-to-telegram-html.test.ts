import { describe, expect, it } from "vitest";
import { isBalancedTelegramHtml, markdownToTelegramHtml, visibleTelegramText } from "../../../src/channels/telegram/markdown-to-html.ts";

describe("markdownToTelegramHtml", () => {
  it("should render bold, italic, strike, inline code and links", () => {
    expect(markdownToTelegramHtml("**bold** *it* _it2_ ~~gone~~ `x<y` [site](https://e.com/a?b=1&c=2)")).toBe(
      '<b>bold</b> <i>it</i> <i>it2</i> <s>gone</s> <code>x&lt;y</code> <a href="https://e.com/a?b=1&amp;c=2">site</a>',
    );
  });

  it("should render fenced code blocks with their language and escape their content", () => {
    expect(markdownToTelegramHtml("```ts\nif (a < b && c) {}\n```")).toBe('<pre><code class="language-ts">if (a &lt; b &amp;&amp; c) {}</code></pre>');
  });

  it("should not format markers inside code", () => {
    expect(markdownToTelegramHtml("```\n**not bold**\n```\n`__x__`")).toBe("<pre><code>**not bold**</code></pre>\n<code>__x__</code>");
  });

  it("should escape raw HTML the model writes", () => {
    expect(markdownToTelegramHtml("<script>alert(1)</script> & more")).toBe("&lt;script&gt;alert(1)&lt;/script&gt; &amp; more");
  });

  it("should turn headings into bold lines, bullets into dots and quotes into blockquotes", () => {
    expect(markdownToTelegramHtml("## Title\n- one\n- two\n> quoted\n> more")).toBe("<b>Title</b>\n• one\n• two\n<blockquote>quoted\nmore</blockquote>");
  });

  it("should leave snake_case identifiers and lone asterisks alone", () => {
    expect(markdownToTelegramHtml("use my_var_name and 2 * 3 * 4")).toBe("use my_var_name and 2 * 3 * 4");
  });

  it("should produce balanced HTML for unbalanced or overlapping markers", () => {
    for (const input of ["**a *b** c*", "**open", "`open", "```\nnever closed", "_a **b_ c**", "[x](javascript:alert(1))", "<b>fake</b>"]) {
      expect(isBalancedTelegramHtml(markdownToTelegramHtml(input))).toBe(true);
    }
  });

  it("should never make the visible text longer than the Markdown source", () => {
    const source = "# Head\n**bold** and `code` and [link](https://x.y) & <tag>\n```js\nlet a = 1 < 2;\n```";
    expect(visibleTelegramText(markdownToTelegramHtml(source)).length).toBeLessThanOrEqual(source.length);
  });
});

describe("isBalancedTelegramHtml", () => {
  it("should reject crossed or unknown tags", () => {
    expect(isBalancedTelegramHtml("<b><i>x</b></i>")).toBe(false);
    expect(isBalancedTelegramHtml("<div>x</div>")).toBe(false);
    expect(isBalancedTelegramHtml('<a href="https://x">x</a>')).toBe(true);
  });
});
