import { describe, expect, it } from "vitest";
import { highlight } from "../../../src/webui/client/highlight.ts";
import { renderMarkdown } from "../../../src/webui/client/markdown.ts";

describe("WebUI Markdown rendering", () => {
  it("should escape HTML the model writes instead of rendering it", () => {
    const html = renderMarkdown('<img src=x onerror="alert(1)"> **hi** <script>x()</script>');
    expect(html).not.toMatch(/<img|<script/);
    expect(html).toContain("&lt;img src=x onerror=\"alert(1)\"&gt;");
    expect(html).toContain("<b>hi</b>");
  });

  it("should link only http(s) and mailto URLs, opening them in a new tab", () => {
    expect(renderMarkdown("[site](https://example.com/a?b=1)")).toBe('<a target="_blank" rel="noopener noreferrer" href="https://example.com/a?b=1">site</a>');
    const js = renderMarkdown("[click](javascript:alert(1))");
    expect(js).not.toContain("<a");
  });

  it("should highlight fenced code and keep its content escaped", () => {
    const html = renderMarkdown("```ts\nconst a = \"<b>\"; // note\n```");
    expect(html).toContain('<pre><code class="hl language-ts">');
    expect(html).toContain('<span class="k">const</span>');
    expect(html).toContain('<span class="s">"&lt;b&gt;"</span>');
    expect(html).toContain('<span class="c">// note</span>');
  });

  it("should treat # as a comment only in languages that use it", () => {
    expect(highlight("x = 1 # one", "python")).toContain('<span class="c"># one</span>');
    expect(highlight("#include <stdio.h>", "c")).not.toContain('class="c"');
    expect(highlight("#include <stdio.h>", "c")).toContain("&lt;stdio.h&gt;");
  });
});
