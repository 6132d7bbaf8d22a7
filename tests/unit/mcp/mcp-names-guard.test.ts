import { describe, expect, it } from "vitest";
import { configSchema } from "../../../src/config/schema.ts";
import { mcpToolName } from "../../../src/mcp/mcp-names.ts";
import { ssrfMcpUrlGuard } from "../../../src/mcp/url-guard.ts";

describe("MCP tool names", () => {
  it("should follow nanobot's mcp_<server>_<name> scheme with sanitising and a hashed cut above 64 chars", () => {
    expect(mcpToolName("github", "list_issues")).toBe("mcp_github_list_issues");
    expect(mcpToolName("my server", "read.file")).toBe("mcp_my_server_read_file");
    expect(mcpToolName("s", "note://today", "resource")).toBe("mcp_s_resource_note_today");
    expect(mcpToolName("s", "greet", "prompt")).toBe("mcp_s_prompt_greet");
    const long = mcpToolName("server", "x".repeat(80));
    expect(long).toHaveLength(64);
    expect(long).toMatch(/^mcp_server_x{44}_[0-9a-f]{8}$/);
    expect(mcpToolName("server", "x".repeat(81))).not.toBe(long);
  });
});

describe("MCP server URL guard", () => {
  // dohUrl "" = no DNS resolution (offline); literal addresses are judged without it.
  const guard = (whitelist: string[] = []) => ssrfMcpUrlGuard(configSchema.parse({ tools: { ssrfWhitelist: whitelist, web: { dohUrl: "" } } }), {});

  it("should refuse private addresses with the SSRF boundary note unless whitelisted", async () => {
    const refusal = await guard()("http://10.1.2.3:8000/mcp");
    expect(refusal).toContain("internal/private");
    expect(refusal).toContain("non-bypassable security boundary");
    expect(await guard()("http://169.254.169.254/mcp")).toContain("internal/private");
    expect(await guard(["10.1.0.0/16"])("http://10.1.2.3:8000/mcp")).toBeNull();
  });

  it("should allow public hosts and literal loopback, and refuse other schemes", async () => {
    expect(await guard()("https://mcp.example.com/mcp")).toBeNull();
    expect(await guard()("http://127.0.0.1:9000/mcp")).toBeNull();
    expect(await guard()("file:///etc/passwd")).toMatch(/^Only http\/https allowed/);
  });
});
