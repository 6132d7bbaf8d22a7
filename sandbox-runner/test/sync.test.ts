import { mkdtempSync, readFileSync, rmSync, existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { b64, startTestRunner, type TestRunner } from "./runner-harness.ts";

let runner: TestRunner;
beforeAll(async () => {
  runner = await startTestRunner({ maxFileBytes: 64 * 1024 });
});
afterAll(() => runner.dispose());

async function json(res: Promise<Response>) {
  const r = await res;
  return { status: r.status, body: (await r.json()) as any };
}

describe("runner workspace sync", () => {
  it("should round-trip pushed files, command output files and deletions", async () => {
    const ws = "sync-ws";
    const binary = Buffer.from([0, 1, 2, 255, 254, 10, 13]);
    const exec = await json(
      runner.call("POST", "/exec", {
        workspace: ws,
        command: "cat notes.txt; cp data.bin data-copy.bin; mkdir out; echo hi > out/new.txt; rm notes.txt",
        sync: { epoch: null, put: [{ path: "notes.txt", etag: "e1", data: b64("hello notes\n") }, { path: "data.bin", etag: "e2", data: b64(binary) }] },
      }),
    );
    expect(exec.status).toBe(200);
    expect(exec.body.stdout).toBe("hello notes\n");
    const epoch = exec.body.epoch;
    expect(epoch).toMatch(/^[0-9a-f-]{36}$/);
    const changed = Object.fromEntries(exec.body.changedFiles.changed.map((f: any) => [f.path, Buffer.from(f.data, "base64")]));
    expect(Object.keys(changed).sort()).toEqual(["data-copy.bin", "out/new.txt"]);
    expect(changed["data-copy.bin"].equals(binary)).toBe(true);
    expect(changed["out/new.txt"].toString()).toBe("hi\n");
    expect(exec.body.changedFiles.deleted).toEqual(["notes.txt"]);

    // Until the Worker acknowledges the upload, the runner knows no R2 etag for what the command produced.
    let manifest = await json(runner.call("GET", `/workspaces/${ws}/manifest`));
    expect(manifest.body).toMatchObject({ epoch, files: { "data.bin": { etag: "e2" }, "out/new.txt": { etag: "" } } });
    expect(manifest.body.files["notes.txt"]).toBeUndefined();

    const ack = await json(runner.call("POST", `/workspaces/${ws}/sync`, { epoch, ack: { "out/new.txt": "e3", "data-copy.bin": "e4" } }));
    expect(ack).toEqual({ status: 200, body: { epoch } });
    manifest = await json(runner.call("GET", `/workspaces/${ws}/manifest`));
    expect(manifest.body.files["out/new.txt"]).toEqual({ etag: "e3", size: 3 });

    // Nothing changed since: the next command reports no files.
    const again = await json(runner.call("POST", "/exec", { workspace: ws, command: "ls", sync: { epoch } }));
    expect(again.body.changedFiles).toEqual({ changed: [], deleted: [], skipped: [] });
  });

  it("should refuse a stale epoch with 409 and the manifest", async () => {
    const ws = "epoch-ws";
    const first = await json(runner.call("POST", `/workspaces/${ws}/sync`, { epoch: null, put: [{ path: "a.txt", etag: "x1", data: b64("a") }] }));
    const wrong = await json(runner.call("POST", "/exec", { workspace: ws, command: "true", sync: { epoch: "not-the-epoch" } }));
    expect(wrong.status).toBe(409);
    expect(wrong.body.manifest).toEqual({ workspace: ws, epoch: first.body.epoch, files: { "a.txt": { etag: "x1", size: 1 } } });
    // A Worker that has no state cannot take over a working copy that already exists either.
    const unknown = await json(runner.call("POST", `/workspaces/${ws}/sync`, { epoch: null }));
    expect(unknown.status).toBe(409);
  });

  it("should start with an empty manifest and a new epoch after a restart with a wiped disk", async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), "runner-wipe-"));
    const first = await startTestRunner({ root });
    const put = await json(first.call("POST", "/workspaces/main/sync", { epoch: null, put: [{ path: "k.txt", etag: "k1", data: b64("k") }] }));
    await first.close();
    const restarted = await startTestRunner({ root });
    const kept = await json(restarted.call("GET", "/workspaces/main/manifest"));
    expect(kept.body).toEqual({ workspace: "main", epoch: put.body.epoch, files: { "k.txt": { etag: "k1", size: 1 } } });
    await restarted.close();
    rmSync(root, { recursive: true, force: true });
    const wiped = await startTestRunner({ root });
    const empty = await json(wiped.call("GET", "/workspaces/main/manifest"));
    expect(empty.body).toEqual({ workspace: "main", epoch: null, files: {} });
    await wiped.close();
    rmSync(root, { recursive: true, force: true });
  });

  it("should report files over the size cap as skipped and keep them out of later diffs", async () => {
    const ws = "cap-ws";
    const res = await json(runner.call("POST", "/exec", { workspace: ws, command: "head -c 100000 /dev/zero > big.bin; echo s > small.txt", sync: { epoch: null } }));
    expect(res.body.changedFiles.skipped).toEqual([{ path: "big.bin", size: 100000, reason: "file larger than the sync limit" }]);
    expect(res.body.changedFiles.changed.map((f: any) => f.path)).toEqual(["small.txt"]);
    const manifest = await json(runner.call("GET", `/workspaces/${ws}/manifest`));
    expect(manifest.body.files["big.bin"]).toEqual({ etag: "", size: 100000, local: true });
    const next = await json(runner.call("POST", "/exec", { workspace: ws, command: "true", sync: { epoch: res.body.epoch } }));
    expect(next.body.changedFiles.skipped).toEqual([]);
  });

  it("should not write through a symlink a command planted in the workspace", async () => {
    const outside = mkdtempSync(path.join(os.tmpdir(), "runner-outside-"));
    const ws = "symlink-ws";
    const first = await json(runner.call("POST", "/exec", { workspace: ws, command: `ln -s ${outside} link; ln -s ${outside}/f.txt file.txt`, sync: { epoch: null } }));
    // symlinks are never synced back
    expect(first.body.changedFiles.changed).toEqual([]);
    const sync = await json(
      runner.call("POST", `/workspaces/${ws}/sync`, {
        epoch: first.body.epoch,
        put: [{ path: "link/pwned.txt", etag: "p", data: b64("x") }, { path: "file.txt", etag: "q", data: b64("y") }],
      }),
    );
    expect(sync.status).toBe(200);
    expect(existsSync(path.join(outside, "pwned.txt"))).toBe(false);
    expect(existsSync(path.join(outside, "f.txt"))).toBe(false);
    expect(readFileSync(path.join(runner.root, "workspaces", ws, "link", "pwned.txt"), "utf8")).toBe("x");
    rmSync(outside, { recursive: true, force: true });
  });

  it("should reject paths that leave the workspace", async () => {
    for (const bad of ["../x", "/etc/passwd", "a/../../b", "a//b", ""]) {
      const res = await json(runner.call("POST", "/workspaces/bad-ws/sync", { epoch: null, put: [{ path: bad, etag: "e", data: b64("x") }] }));
      expect(res.status, bad).toBe(400);
    }
  });
});
