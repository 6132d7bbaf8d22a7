import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { WorkspaceBoundaryError } from "../../../src/workspace/path-guard.ts";
import { createWorkspace } from "../../../src/workspace/r2-workspace.ts";
import { freshWorkspace } from "../tools/harness.ts";

describe("createWorkspace (R2)", () => {
  it("should store files under workspaces/<id>/<path>", async () => {
    const ws = freshWorkspace("keys");
    await ws.writeFile("/workspace/notes/a.txt", "hello");
    const object = await env.WORKSPACE.get(`workspaces/${ws.id}/notes/a.txt`);
    expect(await object?.text()).toBe("hello");
  });

  it("should read text as UTF-8 and return null for missing files", async () => {
    const ws = freshWorkspace("text");
    await ws.writeFile("u.md", "héllo 🐈 — ok");
    expect(await ws.readText("u.md")).toBe("héllo 🐈 — ok");
    expect(await ws.readText("missing.md")).toBeNull();
    expect(await ws.readFile("missing.md")).toBeNull();
  });

  it("should keep binary content byte for byte", async () => {
    const ws = freshWorkspace("bin");
    const bytes = new Uint8Array(256).map((_, i) => i);
    await ws.writeFile("blob.bin", bytes);
    const file = await ws.readFile("blob.bin");
    expect(file?.size).toBe(256);
    expect(new Uint8Array(file!.body)).toEqual(bytes);
  });

  it("should treat key prefixes as directories", async () => {
    const ws = freshWorkspace("dirs");
    await ws.writeFile("a/b/c.txt", "1");
    await ws.writeFile("a/d.txt", "2");
    await ws.writeFile("top.txt", "3");
    expect(await ws.stat("a")).toMatchObject({ isDirectory: true });
    expect(await ws.stat("a/b/c.txt")).toMatchObject({ isDirectory: false, size: 1 });
    expect(await ws.stat("nope")).toBeNull();
    expect(await ws.exists("a/b")).toBe(true);
    expect(await ws.exists("a/b/x")).toBe(false);
    const flat = await ws.list(".");
    expect(flat.map((e) => [e.path, e.isDirectory])).toEqual([
      ["a", true],
      ["top.txt", false],
    ]);
    const deep = await ws.list("a", { recursive: true });
    expect(deep.map((e) => e.path)).toEqual(["a/b", "a/b/c.txt", "a/d.txt"]);
  });

  it("should not see another workspace's files", async () => {
    const one = freshWorkspace("iso");
    const two = freshWorkspace("iso");
    await one.writeFile("secret.txt", "mine");
    expect(await two.readText("secret.txt")).toBeNull();
    expect(await two.list(".")).toEqual([]);
  });

  it("should delete files and report whether one existed", async () => {
    const ws = freshWorkspace("del");
    await ws.writeFile("x.txt", "x");
    expect(await ws.deleteFile("x.txt")).toBe(true);
    expect(await ws.deleteFile("x.txt")).toBe(false);
    expect(await ws.exists("x.txt")).toBe(false);
  });

  it("should enforce the boundary on every operation", async () => {
    const ws = freshWorkspace("guard");
    await expect(ws.readText("../other/secret")).rejects.toBeInstanceOf(WorkspaceBoundaryError);
    await expect(ws.writeFile("/etc/passwd", "x")).rejects.toBeInstanceOf(WorkspaceBoundaryError);
    await expect(ws.list("%2e%2e")).rejects.toBeInstanceOf(WorkspaceBoundaryError);
  });

  it("should refuse workspace ids that could escape the prefix", () => {
    expect(() => createWorkspace(env.WORKSPACE, "../x")).toThrow(/Invalid workspace id/);
    expect(() => createWorkspace(env.WORKSPACE, "")).toThrow(/Invalid workspace id/);
  });
});
