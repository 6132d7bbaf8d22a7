import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { watchDevVars } from "../../scripts/lib/dev-vars-watch.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let root = "";
let close = () => {};
afterEach(() => {
  close();
  rmSync(root, { recursive: true, force: true });
});

function watchCount(debounceMs = 150): { count: () => number } {
  root = mkdtempSync(path.join(os.tmpdir(), "dev-vars-"));
  let n = 0;
  close = watchDevVars(root, () => n++, debounceMs).close;
  return { count: () => n };
}

describe("watchDevVars (npm start restarts wrangler dev on a change)", () => {
  it("should fire once for a burst of writes that creates the file", async () => {
    const w = watchCount();
    const file = path.join(root, ".dev.vars");
    writeFileSync(file, "A=1\n");
    writeFileSync(file, "A=1\nB=2\n");
    await sleep(600);
    expect(w.count()).toBe(1);
  });

  it("should ignore rewrites with the same content and other files, and fire when the file is deleted", async () => {
    const w = watchCount();
    const file = path.join(root, ".dev.vars");
    writeFileSync(file, "A=1\n");
    await sleep(500);
    writeFileSync(file, "A=1\n");
    writeFileSync(path.join(root, ".dev.vars.example"), "X=1\n");
    await sleep(500);
    expect(w.count()).toBe(1);
    unlinkSync(file);
    await sleep(500);
    expect(w.count()).toBe(2);
  });
});
