import { z } from "zod";

export const execConfigSchema = z.object({
  enable: z.boolean().default(true),
  timeout: z.number().int().min(0).default(60),
  /** Where the sandbox runner listens; `npm start` wires the local one in. */
  runnerUrl: z.string().default(""),
  runnerSecret: z.string().default(""),
  /** Deployed runner container only: false starts it without internet access (egress limited to nothing). */
  containerInternet: z.boolean().default(true),
  allowPatterns: z.array(z.string()).default([]),
  denyPatterns: z.array(z.string()).default([]),
  allowedEnvKeys: z.array(z.string()).default([]),
});

export const webConfigSchema = z.object({
  enable: z.boolean().default(true),
  search: z
    .looseObject({
      provider: z.string().default("duckduckgo"),
      apiKey: z.string().default(""),
      baseUrl: z.string().default(""),
      maxResults: z.number().int().min(1).max(10).default(5),
    })
    .prefault({}),
  fetch: z
    .looseObject({
      useJinaReader: z.boolean().default(false),
      maxBytes: z.number().int().positive().default(5 * 1024 * 1024),
      cacheTtlS: z.number().int().min(0).default(300),
    })
    .prefault({}),
  /** DNS-over-HTTPS resolver used by the SSRF guard; empty disables resolution (local development). */
  dohUrl: z.string().default("https://cloudflare-dns.com/dns-query"),
});

export const mcpServerConfigSchema = z.object({
  url: z.string().optional(),
  headers: z.record(z.string(), z.string()).default({}),
  command: z.string().optional(),
  args: z.array(z.string()).default([]),
  env: z.record(z.string(), z.string()).default({}),
  enabledTools: z.array(z.string()).default(["*"]),
  toolTimeout: z.number().positive().default(30),
});

export const toolsSchema = z.object({
  restrictToWorkspace: z.boolean().default(true),
  exec: execConfigSchema.prefault({}),
  web: webConfigSchema.prefault({}),
  file: z.object({ enable: z.boolean().default(true) }).prefault({}),
  ssrfWhitelist: z.array(z.string()).default([]),
  mcpServers: z.record(z.string(), mcpServerConfigSchema).default({}),
});

export type ToolsConfig = z.infer<typeof toolsSchema>;
export type ExecConfig = z.infer<typeof execConfigSchema>;
export type WebConfig = z.infer<typeof webConfigSchema>;
