import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { BUNDLED_MIGRATIONS } from "../../src/doctor/bundled-migrations.ts";
import { repoRoot } from "../support/run-cli.ts";

describe("the migration names the doctor bundles", () => {
  it("should list exactly the files in migrations/, in order (add a new migration's name to src/doctor/bundled-migrations.ts)", () => {
    const files = readdirSync(path.join(repoRoot, "migrations")).filter((f) => f.endsWith(".sql")).sort();
    expect([...BUNDLED_MIGRATIONS]).toEqual(files);
  });
});
