import { describe, expect, it } from "vitest";
import { globMatcher, typeMatcher } from "../../../src/tools/glob-match.ts";
import { lineDiffStats } from "../../../src/tools/line-diff.ts";

describe("glob patterns (nanobot's rules)", () => {
  it.each([
    ["*.py", "src/app/main.py", true],
    ["*.py", "src/app/main.pyc", false],
    ["test_?.ts", "a/test_1.ts", true],
    ["[!a]*.md", "docs/readme.md", true],
    ["[!a]*.md", "docs/about.md", false],
    ["tests/**/test_*.py", "tests/unit/deep/test_x.py", true],
    ["tests/**/test_*.py", "tests/test_x.py", true],
    ["tests/*.py", "tests/unit/test_x.py", false],
    ["**/*.ts", "a/b/c.ts", true],
    ["src/*.ts", "pkg/src/a.ts", true],
  ] as const)("%s against %s → %s", (pattern, path, expected) => {
    expect(globMatcher(pattern)(path)).toBe(expected);
  });

  it("should map type shorthands to extensions", () => {
    expect(typeMatcher("ts")("a/b.tsx")).toBe(true);
    expect(typeMatcher("py")("a/b.pyi")).toBe(true);
    expect(typeMatcher("go")("main.go")).toBe(true);
    expect(typeMatcher("go")("main.rs")).toBe(false);
  });
});

describe("line diff stats", () => {
  it("should count changed lines once each way and ignore a trailing newline", () => {
    expect(lineDiffStats("a\nb\nc\n", "a\nB\nc\nd\n")).toEqual({ added: 2, deleted: 1 });
    expect(lineDiffStats("a\nb", "a\nb\n")).toEqual({ added: 0, deleted: 0 });
    expect(lineDiffStats("", "x\ny\n")).toEqual({ added: 2, deleted: 0 });
  });
});
