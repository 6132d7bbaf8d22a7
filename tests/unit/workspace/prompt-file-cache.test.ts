import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { listPromptDir, readPromptFile } from "../../../src/workspace/prompt-file-cache.ts";
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

  it("should serve a directory listing from memory until its TTL, and drop it when a file below it is written or deleted", async () => {
    const id = `cache-${crypto.randomUUID().slice(0, 8)}`;
    const workspace = createWorkspace(env.WORKSPACE, id);
    const names = async (now: number) => (await listPromptDir(workspace, "skills", now)).map((e) => e.path);
    await env.WORKSPACE.put(`workspaces/${id}/skills/a/SKILL.md`, "a");
    expect(await names(1_000)).toEqual(["skills/a"]);
    await env.WORKSPACE.put(`workspaces/${id}/skills/b/SKILL.md`, "b");
    expect(await names(2_000)).toEqual(["skills/a"]);
    expect(await names(40_000)).toEqual(["skills/a", "skills/b"]);
    await workspace.writeFile("skills/c/SKILL.md", "c");
    expect(await names(40_001)).toEqual(["skills/a", "skills/b", "skills/c"]);
    await workspace.deleteFile("skills/a/SKILL.md");
    expect(await names(40_002)).toEqual(["skills/b", "skills/c"]);
  });
});
