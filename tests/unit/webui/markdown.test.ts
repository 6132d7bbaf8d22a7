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

  it("should show a generated image's data URL as an image and refuse any other image source", () => {
    const png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
    const html = renderMarkdown(`Here it is **now**\n\n![generated/a "b".png](data:image/png;base64,${png})`);
    expect(html).toContain("<b>now</b>");
    expect(html).toContain(`<img class="inline-image" alt="generated/a &quot;b&quot;.png" src="data:image/png;base64,${png}">`);
    for (const other of ["![x](https://example.com/a.png)", "![x](data:image/svg+xml;base64,PHN2Zz4=)", '![x](data:image/png;base64,AA" onerror="alert(1))']) expect(renderMarkdown(other)).not.toContain("<img");
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
