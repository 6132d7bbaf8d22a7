/**
 * The rules docs/architecture.md states about how modules depend on each other, checked on the source:
 * nothing registers behaviour by being imported, lower layers never reach up into the Durable Objects, no
 * large import circle, and the session object reaches its wiring without the app. Each rule is also run on a
 * planted violation, so a checker that silently stopped seeing anything fails here.
 */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { importClosure, importCycles, importGraph, parseFile, parseModule, sourceFiles } from "../support/import-graph.ts";
import { repoRoot } from "../support/run-cli.ts";

const rel = (file: string) => path.relative(repoRoot, file).split(path.sep).join("/");
const abs = (file: string) => path.join(repoRoot, file);

/** `file:line: …` for every bare import and top-level registration call of one module. */
function sideEffectViolations(file: string, parsed = parseFile(file)): string[] {
  return [
    ...parsed.imports.filter((i) => i.bare).map((i) => `${rel(file)}:${i.line}: bare import "${i.specifier}" (import a value and pass it on instead)`),
    ...parsed.topLevelRegistrations.map((r) => `${rel(file)}:${r.line}: top-level call ${r.text} runs when the module is imported`),
  ];
}

const LOWER_LAYERS = ["src/tools", "src/providers", "src/channels", "src/workspace", "src/security"];

/** `file:line: …` for every import of a lower-layer module that lands in durable-objects/. */
function upwardImports(file: string, parsed = parseFile(file)): string[] {
  return parsed.imports
    .filter((i) => i.resolved && rel(i.resolved).startsWith("durable-objects/"))
    .map((i) => `${rel(file)}:${i.line}: imports ${i.specifier} (a lower layer may not depend on durable-objects/)`);
}

/** The largest circle of files importing each other that the code may have. */
const MAX_CYCLE = 3;

describe("no module registers behaviour by being imported", () => {
  it("should find no bare imports and no top-level registration calls in src/, durable-objects/ or cli/", () => {
    const files = sourceFiles(repoRoot, ["src", "durable-objects", "cli"]);
    expect(files.length).toBeGreaterThan(100);
    expect(files.flatMap((f) => sideEffectViolations(f))).toEqual([]);
  });

  it("should report a planted violation (negative control)", () => {
    const file = abs("src/channels/planted.ts");
    const planted = parseModule(
      file,
      [
        'import "../webui/websocket-outbound.ts";',
        'import { registerOutbound } from "./outbound.ts";',
        'import { COMMANDS } from "./commands.ts";',
        "const local = new Map();",
        'local.set("fine", 1);',
        'registerOutbound("x", {});',
        "COMMANDS.push({});",
        "export function later() { registerOutbound('y', {}); }",
      ].join("\n"),
    );
    expect(sideEffectViolations(file, planted)).toEqual([
      'src/channels/planted.ts:1: bare import "../webui/websocket-outbound.ts" (import a value and pass it on instead)',
      'src/channels/planted.ts:6: top-level call registerOutbound("x", {}) runs when the module is imported',
      "src/channels/planted.ts:7: top-level call COMMANDS.push({}) runs when the module is imported",
    ]);
  });
});

describe("layers", () => {
  it(`should keep ${LOWER_LAYERS.join(", ")} free of imports from durable-objects/`, () => {
    const files = sourceFiles(repoRoot, LOWER_LAYERS);
    expect(files.length).toBeGreaterThan(50);
    expect(files.flatMap((f) => upwardImports(f))).toEqual([]);
  });

  it("should report a planted upward import, type-only too (negative control)", () => {
    const file = abs("src/tools/planted.ts");
    const planted = parseModule(file, 'import type { SessionDO } from "../../durable-objects/session-do.ts";\nimport { z } from "zod";\n');
    expect(upwardImports(file, planted)).toEqual(["src/tools/planted.ts:1: imports ../../durable-objects/session-do.ts (a lower layer may not depend on durable-objects/)"]);
  });

  it(`should have no import circle of more than ${MAX_CYCLE} files in src/ and durable-objects/`, () => {
    const [largest] = importCycles(importGraph(sourceFiles(repoRoot, ["src", "durable-objects"])));
    expect(largest.length > MAX_CYCLE ? largest.map(rel) : []).toEqual([]);
  });

  it("should find a planted circle (negative control)", () => {
    const graph = new Map([
      ["a", ["b"]],
      ["b", ["c"]],
      ["c", ["a", "d"]],
      ["d", []],
    ]);
    expect(importCycles(graph)[0]).toEqual(["a", "b", "c"]);
  });
});

describe("composition roots", () => {
  const graph = importGraph(sourceFiles(repoRoot, ["src", "durable-objects"]));
  const channelFolders = parseFile(abs("src/wiring/channels.ts"))
    .imports.flatMap((i) => (i.resolved && /^src\/channels\/[^/]+\//.test(rel(i.resolved)) ? [rel(i.resolved)] : []));

  it("should let the session object reach its wiring and every channel without the app", () => {
    const reached = [...importClosure(graph, abs("durable-objects/session-do.ts"))].map(rel);
    expect(channelFolders.length).toBeGreaterThanOrEqual(2);
    expect(reached).toEqual(expect.arrayContaining(["src/wiring/session.ts", "src/wiring/channels.ts", ...channelFolders]));
    expect(reached.filter((f) => ["src/index.ts", "src/app.ts", "src/wiring/worker.ts"].includes(f))).toEqual([]);
  });

  it("should serve every channel of the one list through the Worker's root", () => {
    const reached = [...importClosure(graph, abs("src/index.ts"))].map(rel);
    expect(reached).toEqual(expect.arrayContaining(["src/wiring/worker.ts", "src/app.ts", ...channelFolders]));
  });
});
