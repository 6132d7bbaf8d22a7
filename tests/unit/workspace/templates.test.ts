import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { SEED_MARKER, WORKSPACE_TEMPLATES, ensureWorkspaceSeeded, isTemplateContent } from "../../../src/workspace/templates.ts";
import { freshWorkspace } from "../tools/harness.ts";

const EXPECTED = ["AGENTS.md", "SOUL.md", "USER.md", "HEARTBEAT.md", "memory/MEMORY.md"];

describe("workspace templates", () => {
  it("should seed the five bootstrap files on first use", async () => {
    const ws = freshWorkspace("seed");
    const { seeded } = await ensureWorkspaceSeeded(ws);
    expect(seeded.sort()).toEqual([...EXPECTED].sort());
    for (const path of EXPECTED) expect(await ws.readText(path)).toBe(WORKSPACE_TEMPLATES[path]);
    expect(await ws.exists(SEED_MARKER)).toBe(true);
  });

  it("should give HEARTBEAT.md an empty Active Tasks section", () => {
    const heartbeat = WORKSPACE_TEMPLATES["HEARTBEAT.md"];
    expect(heartbeat).toMatch(/## Active Tasks\s*$/);
  });

  it("should never overwrite a file the user already has", async () => {
    const ws = freshWorkspace("keep");
    await ws.writeFile("SOUL.md", "# My own soul");
    const { seeded } = await ensureWorkspaceSeeded(ws);
    expect(seeded).not.toContain("SOUL.md");
    expect(await ws.readText("SOUL.md")).toBe("# My own soul");
  });

  it("should not seed again once the marker exists, even if a file was deleted", async () => {
    const ws = freshWorkspace("once");
    await ensureWorkspaceSeeded(ws);
    await ws.deleteFile("USER.md");
    const again = await ensureWorkspaceSeeded(ws);
    expect(again.seeded).toEqual([]);
    expect(await ws.exists("USER.md")).toBe(false);
  });

  it("should skip seeding when another isolate already wrote the marker", async () => {
    const ws = freshWorkspace("marker");
    await env.WORKSPACE.put(`workspaces/${ws.id}/${SEED_MARKER}`, "earlier");
    expect((await ensureWorkspaceSeeded(ws)).seeded).toEqual([]);
    expect(await ws.exists("AGENTS.md")).toBe(false);
  });

  it("should keep the seeded files small enough for an 8 KB hello prompt", () => {
    const bytes = Object.values(WORKSPACE_TEMPLATES).reduce((n, t) => n + new TextEncoder().encode(t).length, 0);
    expect(bytes).toBeLessThanOrEqual(1200);
  });

  it("should recognise untouched template content", () => {
    expect(isTemplateContent("USER.md", `\n${WORKSPACE_TEMPLATES["USER.md"]}\n`)).toBe(true);
    expect(isTemplateContent("USER.md", "# User\nName: Ada")).toBe(false);
    expect(isTemplateContent("notes.md", "anything")).toBe(false);
  });
});
