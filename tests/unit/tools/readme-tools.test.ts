import { describe, expect, it } from "vitest";
import { z } from "zod";
import readme from "../../../README.md?raw";
import { applyPatchTool } from "../../../src/tools/apply-patch.ts";
import { findFilesTool } from "../../../src/tools/find-files.ts";
import { grepTool } from "../../../src/tools/grep.ts";

describe("README Tools table", () => {
  it.each([grepTool, findFilesTool, applyPatchTool])("should list $name with the parameters the model sees", (tool) => {
    const section = readme.slice(readme.indexOf("## Tools"), readme.indexOf("### The sandbox runner"));
    const row = section.split("\n").find((line) => line.startsWith(`| \`${tool.name}(`));
    expect(row).toBeDefined();
    const { properties, required = [] } = z.toJSONSchema(tool.parameters) as { properties: Record<string, unknown>; required?: string[] };
    const params = Object.keys(properties).map((p) => (required.includes(p) ? p : `${p}?`));
    expect(row).toContain(`\`${tool.name}(${params.join(", ")})\``);
  });
});
