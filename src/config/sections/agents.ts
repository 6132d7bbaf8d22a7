import { Cron } from "croner";
import { z } from "zod";

function isCronExpression(expr: string): boolean {
  try {
    new Cron(expr, { paused: true });
    return true;
  } catch {
    return false;
  }
}

export const reasoningEffortSchema = z.enum(["none", "low", "medium", "high", "xhigh", "max", "adaptive"]);

/** A model choice: used by agents.defaults, modelPresets and inline fallbackModels. */
export const modelChoiceShape = {
  model: z.string().min(1),
  provider: z.string().min(1).default("auto"),
  maxTokens: z.number().int().positive().default(8192),
  contextWindowTokens: z.number().int().min(1024).default(200_000),
  temperature: z.number().min(0).max(2).default(0.1),
  reasoningEffort: reasoningEffortSchema.nullable().default(null),
};

export const modelPresetSchema = z.strictObject(modelChoiceShape);

export const fallbackModelSchema = z.union([z.string().min(1), z.strictObject(modelChoiceShape)]);

export const dreamConfigSchema = z.strictObject({
  enabled: z.boolean().default(true),
  intervalH: z.number().positive().default(2),
  /** A 5-field cron expression in `agents.defaults.timezone`; overrides intervalH (each workspace's own alarm runs it). */
  cron: z
    .string()
    .nullable()
    .default(null)
    .refine((expr) => expr === null || isCronExpression(expr), "not a cron expression: use 5 fields (minute hour day-of-month month day-of-week), e.g. \"0 3 * * *\""),
  modelOverride: z.string().nullable().default(null),
  maxIterations: z.number().int().positive().default(10),
});

export const agentDefaultsSchema = z.strictObject({
  ...modelChoiceShape,
  model: z.string().min(1).default("@cf/meta/llama-3.3-70b-instruct-fp8-fast"),
  modelPreset: z.string().nullable().default(null),
  fallbackModels: z.array(fallbackModelSchema).default([]),
  /** Seconds to wait for a model's answer (streaming: for its first event). */
  llmTimeoutS: z.number().positive().default(120),
  /** Seconds a started stream may stay silent before it counts as a timeout. */
  streamIdleTimeoutS: z.number().positive().default(90),
  maxToolIterations: z.number().int().positive().default(200),
  maxToolResultChars: z.number().int().min(500).default(16_000),
  timezone: z.string().default("UTC"),
  botName: z.string().default("nanobot"),
  botIcon: z.string().default("🐈"),
  disabledSkills: z.array(z.string()).default([]),
  idleCompactAfterMinutes: z.number().min(0).default(15),
  maxConcurrentSubagents: z.number().int().min(1).default(1),
  /** Longest tool hint in a channel's status line (nanobot's `toolHintMaxLength`). */
  toolHintMaxLength: z.number().int().min(20).max(500).default(40),
  /**
   * One conversation for a single user across Telegram, Slack, the WebUI and the API/CLI: all of them use the
   * session `unified:default` (replies still go to the chat each message came from).
   */
  unifiedSession: z.boolean().default(false),
  dream: dreamConfigSchema.prefault({}),
});

export const agentsSchema = z.strictObject({
  defaults: agentDefaultsSchema.prefault({}),
  /** "agent": one workspace for the agent; "user": one workspace per channel user. */
  isolation: z.enum(["agent", "user"]).default("agent"),
  /** Name of the agent; also the default workspace id. */
  name: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).default("main"),
});

export type AgentDefaults = z.infer<typeof agentDefaultsSchema>;
export type ModelPreset = z.infer<typeof modelPresetSchema>;
