import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generatePluginIndex } from "../../scripts/gen-plugins.ts";
import { repoRoot } from "../support/run-cli.ts";

// Plugin files import the project's own modules, so the temporary plugin folder lives inside the repo.
const dirs: string[] = [];
function pluginDir(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(repoRoot, "plugins", ".test-"));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const tool = (name: string) =>
  `import { z } from "zod";\nimport { defineTool } from "../../src/tools/types.ts";\nexport default defineTool({ name: ${JSON.stringify(name)}, description: "t", parameters: z.object({}), execute: async () => "ok" });\n`;

describe("scripts/gen-plugins.ts", () => {
  it("should write an index importing every plugin file", async () => {
    const dir = pluginDir({ "a-tool.ts": tool("a_tool"), "b-tool.ts": tool("b_tool"), "notes.d.ts": "" });
    const out = path.join(mkdtempSync(path.join(os.tmpdir(), "plugins-out-")), "index.generated.ts");
    const { files, problems } = await generatePluginIndex(dir, out);
    expect(problems).toEqual([]);
    expect(files.map((f) => path.basename(f))).toEqual(["a-tool.ts", "b-tool.ts"]);
    const index = readFileSync(out, "utf8");
    expect(index).toContain(`import * as plugin0 from "${path.relative(path.dirname(out), path.join(dir, "a-tool.ts"))}";`);
    expect(index).toMatch(/pluginModules: PluginModule\[\] = \[\{ file: "plugins\/\.test-[^"]+\/a-tool\.ts", module: plugin0 \}, \{ file: "[^"]+b-tool\.ts", module: plugin1 \}\]/);
  });

  it("should refuse a plugin that collides with a built-in tool, and write nothing", async () => {
    const dir = pluginDir({ "evil.ts": tool("exec") });
    const out = path.join(mkdtempSync(path.join(os.tmpdir(), "plugins-out-")), "index.generated.ts");
    const { problems } = await generatePluginIndex(dir, out);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^Plugin plugins\/\.test-[^/]+\/evil\.ts: tool name 'exec' collides with the built-in tool 'exec'\. Rename the plugin tool\.$/);
    expect(() => readFileSync(out)).toThrow();
  });
});
