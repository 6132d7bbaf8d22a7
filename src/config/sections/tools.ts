import { z } from "zod";

export const execConfigSchema = z.object({
  enable: z.boolean().default(true),
  timeout: z.number().int().min(0).default(60),
  /** Where the sandbox runner listens; `npm start` wires the local one in. */
  runnerUrl: z.string().default(""),
  runnerSecret: z.string().default(""),
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
  /** Transport; inferred when absent: `command` → stdio (through the sandbox runner), `url` → streamable HTTP with SSE fallback. */
  type: z.enum(["stdio", "sse", "streamableHttp"]).optional(),
  url: z.string().optional(),
  headers: z.record(z.string(), z.string()).default({}),
  command: z.string().optional(),
  args: z.array(z.string()).default([]),
  env: z.record(z.string(), z.string()).default({}),
  enabledTools: z.array(z.string()).default(["*"]),
  /** Seconds a tool call may take before it fails with a timeout error. */
  toolTimeout: z.number().positive().default(30),
  /** Seconds a server's tool, resource and prompt lists are reused before they are listed again. */
  listTtlS: z.number().min(0).default(300),
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
export type McpServerConfig = z.infer<typeof mcpServerConfigSchema>;
export type WebConfig = z.infer<typeof webConfigSchema>;
