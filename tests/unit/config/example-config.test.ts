import { describe, expect, it } from "vitest";
import example from "../../../nanobot.config.example.json";
import { loadConfigFrom } from "../../../src/config/load-config.ts";
import { configSchema } from "../../../src/config/schema.ts";

/** Dotted paths of every key under objects (record maps contribute their own entries). */
function keyPaths(value: unknown, prefix = ""): string[] {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return [];
  return Object.entries(value).flatMap(([k, v]) => [`${prefix}${k}`, ...keyPaths(v, `${prefix}${k}.`)]);
}

describe("nanobot.config.example.json", () => {
  it("should be a valid config", () => {
    const result = loadConfigFrom(example, undefined, { OPENROUTER_API_KEY: "sk-or-x", NANOBOT_API_KEY: "nb-x" });
    expect(result.ok ? "valid" : result.error.message).toBe("valid");
  });

  it("should document every key the schema knows (regenerate with npm run config:example)", () => {
    const documented = new Set(keyPaths(example));
    const missing = keyPaths(configSchema.parse({})).filter((path) => !documented.has(path));
    expect(missing).toEqual([]);
  });
});
