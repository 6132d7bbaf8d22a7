import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { readPromptFile } from "../../../src/workspace/prompt-file-cache.ts";
import { createWorkspace } from "../../../src/workspace/r2-workspace.ts";

describe("prompt file cache", () => {
  it("should serve a prompt file from memory until its TTL, then read R2 again", async () => {
    const id = `cache-${crypto.randomUUID().slice(0, 8)}`;
    const workspace = createWorkspace(env.WORKSPACE, id);
    await env.WORKSPACE.put(`workspaces/${id}/SOUL.md`, "v1");
    expect(await readPromptFile(workspace, "SOUL.md", 1_000)).toBe("v1");
    // Written behind the cache's back (another isolate): not seen yet, seen after the TTL.
    await env.WORKSPACE.put(`workspaces/${id}/SOUL.md`, "v2");
    expect(await readPromptFile(workspace, "SOUL.md", 2_000)).toBe("v1");
    expect(await readPromptFile(workspace, "SOUL.md", 40_000)).toBe("v2");
  });

  it("should see writes through the workspace at once", async () => {
    const id = `cache-${crypto.randomUUID().slice(0, 8)}`;
    const workspace = createWorkspace(env.WORKSPACE, id);
    expect(await readPromptFile(workspace, "USER.md", 1_000)).toBeNull();
    await workspace.writeFile("USER.md", "Name: Ada");
    expect(await readPromptFile(workspace, "USER.md", 1_001)).toBe("Name: Ada");
    await workspace.deleteFile("USER.md");
    expect(await readPromptFile(workspace, "USER.md", 1_002)).toBeNull();
  });
});
