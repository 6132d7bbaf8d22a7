import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import * as rollDice from "../../../plugins/examples/roll-dice.ts";
import * as workspaceStats from "../../../plugins/examples/workspace-stats.ts";
import { configSchema } from "../../../src/config/schema.ts";
import { collectPluginTools } from "../../../src/plugins/plugin-tools.ts";
import { buildToolRegistry } from "../../../src/tools/builtin-tools.ts";
import { defineTool } from "../../../src/tools/types.ts";
import { freshWorkspace, runText } from "../tools/harness.ts";

const fake = (name: string) => defineTool({ name, description: "x", parameters: z.object({}), execute: async () => "x" });

describe("plugin tools", () => {
  it("should collect default and named tool exports from plugin modules", () => {
    const tools = collectPluginTools([
      { file: "plugins/roll-dice.ts", module: rollDice },
      { file: "plugins/workspace-stats.ts", module: workspaceStats },
    ]);
    expect(tools.map((t) => t.name)).toEqual(["roll_dice", "workspace_stats"]);
  });

  it("should refuse a plugin tool named like a built-in, an MCP tool, or another plugin's tool", () => {
    expect(() => collectPluginTools([{ file: "plugins/mine.ts", module: { default: fake("read_file") } }])).toThrow(
      "Plugin plugins/mine.ts: tool name 'read_file' collides with the built-in tool 'read_file'. Rename the plugin tool.",
    );
    expect(() => collectPluginTools([{ file: "plugins/mine.ts", module: { default: fake("mcp_x_y") } }])).toThrow(/reserved for MCP servers/);
    expect(() =>
      collectPluginTools([
        { file: "plugins/a.ts", module: { default: fake("same") } },
        { file: "plugins/b.ts", module: { default: fake("same") } },
      ]),
    ).toThrow("Plugins plugins/a.ts and plugins/b.ts both define a tool named 'same'. Rename one of them.");
  });

  it("should run the example plugins against the workspace", async () => {
    const ws = freshWorkspace("plugin");
    await ws.writeFile("docs/a.md", "aaaa");
    await ws.writeFile("docs/b.md", "bb");
    expect(await runText(workspaceStats.workspaceStatsTool, { path: "docs" }, ws)).toBe("2 file(s), 6 bytes under docs\n- docs/a.md (4 bytes)\n- docs/b.md (2 bytes)");
    expect(await runText(rollDice.default, { dice: "3d6" }, ws)).toMatch(/^3d6: [1-6], [1-6], [1-6] \(total \d+\)$/);
    expect(await runText(rollDice.default, { dice: "lots" }, ws)).toMatch(/^Error: 'lots' is not NdM notation/);
  });

  it("should offer the registered plugins next to the built-in tools", async () => {
    const registry = await buildToolRegistry(configSchema.parse({}), env);
    expect(registry.names()).toEqual(expect.arrayContaining(["read_file", "spawn"]));
  });
});
