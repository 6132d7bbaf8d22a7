import { z } from "zod";
import { agentsSchema, modelPresetSchema } from "./sections/agents.ts";
import { channelsSchema } from "./sections/channels.ts";
import { providersSchema } from "./sections/providers.ts";
import { subagentProfilesSchema } from "./sections/subagents.ts";
import { limitsSchema } from "./sections/limits.ts";
import { transcriptionSchema } from "./sections/media.ts";
import { toolsSchema } from "./sections/tools.ts";

/** The whole configuration: the single source of truth for keys, defaults and types. */
export const configSchema = z.strictObject({
  agents: agentsSchema.prefault({}),
  modelPresets: z.record(z.string(), modelPresetSchema).default({}),
  providers: providersSchema,
  api: z
    .strictObject({
      apiKey: z.string().default(""),
      /** Largest accepted request body on `/v1/*` (other routes: `limits`). */
      maxBodyBytes: z.number().int().positive().default(8 * 1024 * 1024),
    })
    .prefault({}),
  limits: limitsSchema.prefault({}),
  channels: channelsSchema,
  tools: toolsSchema.prefault({}),
  transcription: transcriptionSchema.prefault({}),
  subagentProfiles: subagentProfilesSchema,
  webui: z
    .strictObject({
      /** Largest WebSocket frame the hub accepts; larger ones get an `error` event (files go through /webui/upload). */
      maxFrameBytes: z.number().int().min(1024).default(64 * 1024),
    })
    .prefault({}),
  gateway: z
    .strictObject({
      heartbeat: z
        .strictObject({ enabled: z.boolean().default(true), intervalS: z.number().int().positive().default(1800) })
        .prefault({}),
    })
    .prefault({}),
});

export type Config = z.infer<typeof configSchema>;
