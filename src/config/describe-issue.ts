import type { z } from "zod";
import { ConfigError } from "./config-error.ts";
import { closestKey } from "./did-you-mean.ts";

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

function joinPath(path: Path): string {
  return path.map(String).join(".") || "(root)";
}

export function describeIssue(root: Schema, issues: readonly Issue[]): ConfigError {
  let issue = pickIssue(issues);
  while (issue.code === "invalid_union") {
    const branch = unionBranch(issue);
    if (!branch) break;
    issue = branch;
  }
  if (issue.code === "unrecognized_keys") {
    const key = issue.keys[0];
    const known = knownKeysAt(root, issue.path);
    const guess = closestKey(key, known);
    const hint = guess ? `did you mean "${guess}"?` : `known keys: ${known.join(", ")}`;
    const more = issue.keys.length > 1 ? `; also unknown here: ${issue.keys.slice(1).join(", ")}` : "";
    return new ConfigError(joinPath([...issue.path, key]), `unknown key (${hint}${more})`);
  }
  if (issue.code === "invalid_type") {
    const got = typeName((issue as { input?: unknown }).input);
    if (got === "nothing") return new ConfigError(joinPath(issue.path), `missing (expected ${issue.expected})`);
    if (issue.expected === "int" && got === "number") return new ConfigError(joinPath(issue.path), "expected a whole number");
    return new ConfigError(joinPath(issue.path), `expected ${issue.expected}, got ${got}`);
  }
  return new ConfigError(joinPath(issue.path), issue.message);
}
