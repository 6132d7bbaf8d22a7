import { z } from "zod";
import type { ToolSchema } from "../providers/types.ts";
import type { ToolDefinition } from "./types.ts";
import { editDistance } from "../config/did-you-mean.ts";

export type PreparedCall =
  | { ok: true; tool: ToolDefinition; args: Record<string, unknown> }
  | { ok: false; error: string };

/** JSON Schema per tool definition, computed once per isolate: conversion is the costliest part of a registry. */
const schemaCache = new WeakMap<ToolDefinition, ToolSchema>();
const strictCache = new WeakMap<ToolDefinition, z.ZodObject>();

function schemaOf(tool: ToolDefinition): ToolSchema {
  let schema = schemaCache.get(tool);
  if (!schema && tool.inputSchema) {
    schema = { name: tool.name, description: tool.description, parameters: tool.inputSchema };
    schemaCache.set(tool, schema);
  }
  if (!schema) {
    const { $schema: _ignored, ...parameters } = z.toJSONSchema(tool.parameters, { io: "input" }) as Record<string, unknown>;
    schema = { name: tool.name, description: tool.description, parameters };
    schemaCache.set(tool, schema);
  }
  return schema;
}

function strictOf(tool: ToolDefinition): z.ZodObject {
  let strict = strictCache.get(tool);
  // A tool with its own JSON Schema gets its arguments checked by its owner (the MCP server), not here.
  if (!strict) strictCache.set(tool, (strict = tool.inputSchema ? tool.parameters : tool.parameters.strict()));
  return strict;
}

const squash = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, "");

function describeIssue(issue: z.core.$ZodIssue): string {
  const field = issue.path.join(".");
  if (issue.code === "invalid_type") {
    const input = (issue as { input?: unknown }).input;
    if (input === undefined) return `missing required ${field}`;
    return `${field} should be ${issue.expected}`;
  }
  if (issue.code === "unrecognized_keys") return issue.keys.map((k) => `unexpected parameter ${k}`).join("; ");
  return field ? `${field}: ${issue.message}` : issue.message;
}

/** Models often send numbers and booleans as strings; cast them where the schema wants them. */
function coerceScalars(args: Record<string, unknown>, issues: z.core.$ZodIssue[]): Record<string, unknown> | null {
  let changed = false;
  const out = { ...args };
  for (const issue of issues) {
    if (issue.code !== "invalid_type" || issue.path.length !== 1) continue;
    const key = String(issue.path[0]);
    const value = out[key];
    if (typeof value !== "string") continue;
    if (issue.expected === "number" && value.trim() !== "" && Number.isFinite(Number(value))) {
      out[key] = Number(value);
      changed = true;
    } else if (issue.expected === "boolean" && /^(true|false)$/i.test(value)) {
      out[key] = value.toLowerCase() === "true";
      changed = true;
    }
  }
  return changed ? out : null;
}

function parseArguments(raw: string | Record<string, unknown>): Record<string, unknown> | string {
  let value: unknown = raw;
  if (typeof raw === "string") {
    if (!raw.trim()) return {};
    try {
      value = JSON.parse(raw);
    } catch {
      return "arguments are not valid JSON";
    }
    // Some models double-encode the arguments.
    if (typeof value === "string") {
      try {
        value = JSON.parse(value);
      } catch {
        return "arguments are not a JSON object";
      }
    }
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return "arguments are not a JSON object";
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  if (keys.length === 1 && keys[0] === "arguments" && typeof obj.arguments === "object" && obj.arguments !== null) {
    return obj.arguments as Record<string, unknown>;
  }
  return obj;
}

/** The tools one turn may use: schemas for the model, validation of its calls. */
export class ToolRegistry {
  private readonly tools = new Map<string, ToolDefinition>();
  private schemaCache: ToolSchema[] | null = null;

  constructor(tools: Iterable<ToolDefinition> = []) {
    for (const tool of tools) this.register(tool);
  }

  register(tool: ToolDefinition): void {
    if (this.tools.has(tool.name)) throw new Error(`A tool named '${tool.name}' is already registered.`);
    this.tools.set(tool.name, tool);
    this.schemaCache = null;
  }

  get(name: string): ToolDefinition | undefined {
    return this.tools.get(name);
  }

  names(): string[] {
    return [...this.tools.keys()];
  }

  get size(): number {
    return this.tools.size;
  }

  schemas(): ToolSchema[] {
    this.schemaCache ??= [...this.tools.values()].map(schemaOf);
    return this.schemaCache;
  }

  prepareCall(name: string, rawArgs: string | Record<string, unknown>): PreparedCall {
    const tool = this.tools.get(name);
    if (!tool) return { ok: false, error: this.notFound(name) };
    const parsed = parseArguments(rawArgs);
    if (typeof parsed === "string") return { ok: false, error: `Error: Invalid parameters for tool '${name}': ${parsed}` };
    let result = strictOf(tool).safeParse(parsed);
    if (!result.success) {
      const coerced = coerceScalars(parsed, result.error.issues);
      if (coerced) result = strictOf(tool).safeParse(coerced);
    }
    if (!result.success) {
      const details = result.error.issues.map(describeIssue).join("; ");
      return { ok: false, error: `Error: Invalid parameters for tool '${name}': ${details}` };
    }
    return { ok: true, tool, args: result.data as Record<string, unknown> };
  }

  private notFound(name: string): string {
    const wanted = squash(name);
    const close = [...this.tools.keys()].filter((n) => squash(n) === wanted || editDistance(squash(n), wanted) <= 2);
    const hint = close.length === 1 ? ` Did you mean '${close[0]}'?` : "";
    return `Error: Tool '${name}' not found.${hint} Tool names must match exactly. Available: ${this.names().join(", ")}`;
  }
}
