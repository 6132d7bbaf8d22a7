/**
 * The README is what a new user types. Every `npx nanobot …` and `npm …` line in it must name a verb, flags
 * and scripts that exist, so a renamed flag fails here before it fails a user (routes: readme-routes.test.ts).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot, runCli } from "../support/run-cli.ts";

const readme = readFileSync(path.join(repoRoot, "README.md"), "utf8");
const pkg = JSON.parse(readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { scripts: Record<string, string> };

/** Lines inside ``` blocks, with `\` continuations joined and comments cut off. */
function codeLines(text: string): string[] {
  const lines: string[] = [];
  for (const block of text.matchAll(/```[a-z]*\n([\s\S]*?)```/g)) {
    const joined = block[1].replace(/\\\n\s*/g, " ");
    for (const line of joined.split("\n")) lines.push(line.replace(/\s+#.*$/, "").trim());
  }
  return lines.filter(Boolean);
}

/** `npx nanobot <verb> [sub] --flag …` invocations, also those written inline in `backticks`. */
function cliInvocations(): Array<{ verb: string; flags: string[]; text: string }> {
  const inline = [...readme.matchAll(/`(npx nanobot [^`]+)`/g)].map((m) => m[1]);
  const all = [...codeLines(readme).filter((l) => l.startsWith("npx nanobot")), ...inline];
  return all.map((text) => {
    const words = text.split(/\s+/).slice(2);
    // Words after a bare `--` belong to wrangler (`npx nanobot deploy -- --message v2`), not to our CLI.
    const ours = words.includes("--") ? words.slice(0, words.indexOf("--")) : words;
    const flags = ours.filter((w) => /^--[a-z]/.test(w)).map((w) => w.split("=")[0]);
    return { verb: words[0], flags, text };
  });
}

describe("README commands", () => {
  const invocations = cliInvocations();
  const verbs = [...new Set(invocations.map((i) => i.verb))];

  it("should mention the CLI at all (the parser found the examples)", () => {
    expect(invocations.length).toBeGreaterThan(10);
    expect(verbs).toEqual(expect.arrayContaining(["onboard", "agent", "deploy", "pairing"]));
  });

  it.each(verbs)("`npx nanobot %s` should exist and accept every flag the README gives it", async (verb) => {
    const result = await runCli([verb, "--help"]);
    expect(result.code, `${verb} --help: ${result.stderr}`).toBe(0);
    const flags = new Set(invocations.filter((i) => i.verb === verb).flatMap((i) => i.flags));
    for (const flag of flags) expect(result.stdout, `README uses ${flag} with ${verb}`).toContain(flag);
  });

  it("should only use npm scripts that package.json defines", () => {
    const used = codeLines(readme)
      .flatMap((l) => l.split("&&").map((part) => part.trim()))
      .map((part) => /^npm (?:run )?([\w:-]+)/.exec(part)?.[1])
      .filter((script): script is string => !!script && !["ci", "install"].includes(script));
    expect(used.length).toBeGreaterThan(2);
    for (const script of used) expect(pkg.scripts, `npm ${script}`).toHaveProperty(script);
  });
});
