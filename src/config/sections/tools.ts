import { z } from "zod";
import { sandboxSettingSchema } from "../../../sandbox-runner/src/protocol.ts";
import { imageGenerationSchema } from "./media.ts";

export const execConfigSchema = z.strictObject({
  enable: z.boolean().default(true),
  timeout: z.number().int().min(0).default(60),
  /** Where the sandbox runner listens; `npm start` wires the local one in. */
  runnerUrl: z.string().default(""),
  runnerSecret: z.string().default(""),
  /**
   * The sandbox exec commands and stdio MCP servers must run in: "auto" = bubblewrap on a runner on a host,
   * the container when the runner runs in one; "bwrap"; "container"; "none" = no sandbox, on purpose. A runner
   * that cannot provide it refuses the command with how to fix it (sandbox-runner/src/protocol.ts).
   */
  sandbox: sandboxSettingSchema.default("auto"),
  /**
   * false = commands get no network at all (bubblewrap's --unshare-net): they cannot reach the internet, the
   * runner's host or private ranges. Needs the bubblewrap sandbox; in a container use containerInternet.
   */
  network: z.boolean().default(true),
  /** Deployed runner container only: false starts it without internet access (egress limited to nothing). */
  containerInternet: z.boolean().default(true),
  allowPatterns: z.array(z.string()).default([]),
  denyPatterns: z.array(z.string()).default([]),
  allowedEnvKeys: z.array(z.string()).default([]),
});

export const webConfigSchema = z.strictObject({
  enable: z.boolean().default(true),
  search: z
    .strictObject({
      provider: z.string().default("duckduckgo"),
      apiKey: z.string().default(""),
      baseUrl: z.string().default(""),
      maxResults: z.number().int().min(1).max(10).default(5),
      timeoutS: z.number().positive().default(30),
      /** Per-provider overrides (`{ brave: { apiKey }, duckduckgo: { baseUrl } }`), e.g. for a fallback provider. */
      providers: z
        .record(z.string(), z.strictObject({ apiKey: z.string().optional(), baseUrl: z.string().optional() }))
        .default({}),
    })
    .prefault({}),
  fetch: z
    .strictObject({
      useJinaReader: z.boolean().default(false),
      maxBytes: z.number().int().positive().default(5 * 1024 * 1024),
      cacheTtlS: z.number().int().min(0).default(300),
      timeoutS: z.number().positive().default(30),
      jinaBaseUrl: z.string().default("https://r.jina.ai"),
      /** Optional; the JINA_API_KEY variable is used when empty. */
      jinaApiKey: z.string().default(""),
    })
    .prefault({}),
  userAgent: z
    .string()
    .default("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36"),
  /**
   * DNS-over-HTTPS resolver the SSRF guard checks hostnames with. "auto": Cloudflare's resolver when deployed,
   * off under `npm start` (offline; the Worker var NANOBOT_DOH_URL decides). "" turns resolution off.
   */
  dohUrl: z.string().default("auto"),
});

export const mcpServerConfigSchema = z.strictObject({
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

export const toolsSchema = z.strictObject({
  restrictToWorkspace: z.boolean().default(true),
  exec: execConfigSchema.prefault({}),
  web: webConfigSchema.prefault({}),
  file: z.strictObject({ enable: z.boolean().default(true) }).prefault({}),
  ssrfWhitelist: z.array(z.string()).default([]),
  mcpServers: z.record(z.string(), mcpServerConfigSchema).default({}),
  imageGeneration: imageGenerationSchema.prefault({}),
});

export type ToolsConfig = z.infer<typeof toolsSchema>;
export type ExecConfig = z.infer<typeof execConfigSchema>;
export type McpServerConfig = z.infer<typeof mcpServerConfigSchema>;
export type WebConfig = z.infer<typeof webConfigSchema>;
