import type { z } from "zod";
import { ConfigError } from "./config-error.ts";
import { closestKey } from "./did-you-mean.ts";
import { toCamel, toSnake } from "./normalize-keys.ts";

/**
 * Turns zod's first validation issue into `<path>: <problem>`: unknown keys with the closest known key (taken
 * from the schema itself), type errors with the type received. Values are never quoted: they may be secrets.
 */

type Issue = z.core.$ZodIssue;
type Schema = z.core.$ZodType;
type Path = readonly PropertyKey[];

interface Def {
  type: string;
  innerType?: Schema;
  shape?: Record<string, Schema>;
  valueType?: Schema;
  element?: Schema;
  options?: Schema[];
  in?: Schema;
}

const defOf = (schema: Schema) => schema._zod.def as unknown as Def;

/** The object keys the schema accepts at `path` (through defaults, records, arrays and unions). */
function knownKeysAt(schema: Schema, path: Path): string[] {
  const def = defOf(schema);
  const inner = def.innerType ?? def.in;
  if (inner) return knownKeysAt(inner, path);
  if (def.type === "union") return [...new Set((def.options ?? []).flatMap((option) => knownKeysAt(option, path)))];
  if (path.length === 0) return def.shape ? Object.keys(def.shape) : [];
  const [head, ...rest] = path;
  if (def.shape) {
    const child = def.shape[String(head)];
    return child ? knownKeysAt(child, rest) : [];
  }
  const child = def.valueType ?? def.element;
  return child ? knownKeysAt(child, rest) : [];
}

function typeName(input: unknown): string {
  if (input === undefined) return "nothing";
  if (input === null) return "null";
  if (Array.isArray(input)) return "array";
  return typeof input;
}

/** Of a union's failed branches, the one that matched the input's type (its issues say what is wrong inside). */
function unionBranch(issue: Issue & { code: "invalid_union" }): Issue | null {
  const branches = issue.errors.filter((branch) => branch.length > 0);
  const matching = branches.find((branch) => !branch.some((sub) => sub.code === "invalid_type" && sub.path.length === 0));
  if (!matching) return null;
  const sub = pickIssue(matching);
  return { ...sub, path: [...issue.path, ...sub.path] } as Issue;
}

/** Unknown keys first: a misspelled key often also leaves a required one missing, and the typo is the cause. */
function pickIssue(issues: readonly Issue[]): Issue {
  return issues.find((issue) => issue.code === "unrecognized_keys") ?? issues[0];
}

/**
 * The path as the user spelled it: keys are validated in camelCase, but someone who wrote `max_tokens` should
 * read `max_tokens` in the message. Looked up in the raw sources (the file, then NANOBOT_CONFIG).
 */
function spelledPath(path: Path, sources: readonly unknown[]): string[] {
  let nodes = sources;
  return path.map((segment) => {
    const key = String(segment);
    let spelled: string | null = null;
    const next: unknown[] = [];
    for (const node of nodes) {
      if (!node || typeof node !== "object") continue;
      const record = node as Record<string, unknown>;
      const raw = Object.hasOwn(record, key) ? key : Object.keys(record).find((k) => toCamel(k) === key);
      if (raw === undefined) continue;
      spelled ??= raw;
      next.push(record[raw]);
    }
    nodes = next;
    return spelled ?? key;
  });
}

function joinPath(path: readonly string[]): string {
  return path.join(".") || "(root)";
}

/** `sources`: the parsed file and NANOBOT_CONFIG before key normalization, to spell paths as the user did. */
export function describeIssue(root: Schema, issues: readonly Issue[], sources: readonly unknown[] = []): ConfigError {
  let issue = pickIssue(issues);
  while (issue.code === "invalid_union") {
    const branch = unionBranch(issue);
    if (!branch) break;
    issue = branch;
  }
  if (issue.code === "unrecognized_keys") {
    const [path, ...others] = issue.keys.map((key) => spelledPath([...issue.path, key], sources));
    const key = path[path.length - 1];
    const known = knownKeysAt(root, issue.path);
    const guess = closestKey(key, known);
    const spell = key.includes("_") ? toSnake : (k: string) => k;
    const hint = guess ? `did you mean "${spell(guess)}"?` : `known keys: ${known.join(", ")}`;
    const more = others.length ? `; also unknown here: ${others.map((p) => p[p.length - 1]).join(", ")}` : "";
    return new ConfigError(joinPath(path), `unknown key (${hint}${more})`);
  }
  const path = joinPath(spelledPath(issue.path, sources));
  if (issue.code === "invalid_type") {
    const got = typeName((issue as { input?: unknown }).input);
    if (got === "nothing") return new ConfigError(path, `missing (expected ${issue.expected})`);
    if (issue.expected === "int" && got === "number") return new ConfigError(path, "expected a whole number");
    return new ConfigError(path, `expected ${issue.expected}, got ${got}`);
  }
  if (issue.code === "invalid_union") {
    // No branch took the input's type: name all the accepted ones.
    const expected = issue.errors.flatMap((branch) => branch.flatMap((sub) => (sub.code === "invalid_type" && sub.path.length === 0 ? [sub.expected] : [])));
    if (expected.length) return new ConfigError(path, `expected ${[...new Set(expected)].join(" or ")}, got ${typeName((issue as { input?: unknown }).input)}`);
  }
  return new ConfigError(path, issue.message);
}
