/**
 * docs/architecture.md is a map made of file names; a map pointing at files that moved is worse than none.
 * Every repository path it mentions (in backticks or as a link) must exist, and the README must link to it.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../support/run-cli.ts";

const ROOTS = /^(src|durable-objects|cli|scripts|tests|migrations|sandbox-runner|docs|bin|plugins|bench)\/|^[\w.-]+\.(md|json|toml|ts)$/;

/** Repository paths in `code spans` and [links](targets): placeholders (`<name>`, `*`) and route-like spans are skipped. */
export function mentionedPaths(markdown: string): string[] {
  const spans = [...markdown.matchAll(/`([^`\n]+)`/g), ...markdown.matchAll(/\]\(([^)\s#]+)[^)]*\)/g)].map((m) => m[1].trim());
  const paths = spans.filter((s) => ROOTS.test(s) && !/[<>*…\s]/.test(s)).map((s) => s.replace(/:\d+(:\d+)?$/, "").replace(/\/$/, ""));
  return [...new Set(paths)];
}

describe("docs/architecture.md", () => {
  const doc = readFileSync(path.join(repoRoot, "docs/architecture.md"), "utf8");

  it("should mention only paths that exist", () => {
    const paths = mentionedPaths(doc);
    expect(paths.length).toBeGreaterThan(40);
    expect(paths.filter((p) => !existsSync(path.join(repoRoot, p)))).toEqual([]);
  });

  it("should see a renamed or missing path (negative control)", () => {
    const paths = mentionedPaths("See `src/channels/registry.ts`, [the map](docs/architecture.md), `src/channels/<name>/`, `/webhooks/telegram` and `src/app.ts:12`.");
    expect(paths).toEqual(["src/channels/registry.ts", "src/app.ts", "docs/architecture.md"]);
    expect(paths.filter((p) => !existsSync(path.join(repoRoot, p)))).toEqual(["src/channels/registry.ts"]);
  });

  it("should be linked from the README", () => {
    expect(readFileSync(path.join(repoRoot, "README.md"), "utf8")).toMatch(/\]\(docs\/architecture\.md\)/);
  });
});
