import { resolveConnection } from "../connection.ts";
import { GatewayClient } from "../gateway-client.ts";
import { renderMarkdown } from "../markdown.ts";
import { connectionOptions, helpOption, parseCommandArgs } from "../options.ts";
import { shouldRenderMarkdown } from "../reply-printer.ts";

export const statusHelp = `Usage: npx nanobot status [options]

Shows whether the gateway is up (GET /health), which models it offers (GET /v1/models) and the session's
/status (model, session size, token usage).

Options:
  --session ID     session to report on (default: cli)
  --no-markdown    plain text output
  --url URL        gateway URL (default: NANOBOT_URL, else http://127.0.0.1:8787)
  --api-key KEY    API key (default: NANOBOT_API_KEY, else the project's .dev.vars / nanobot.config.json)
  -h, --help       show this help`;

const options = {
  ...connectionOptions,
  ...helpOption,
  session: { type: "string", default: "cli" },
  markdown: { type: "boolean", default: true },
} as const;

export async function statusCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs("status", argv, options);
  if (values.help) {
    process.stdout.write(`${statusHelp}\n`);
    return 0;
  }
  const client = new GatewayClient(resolveConnection({ url: values.url, apiKey: values["api-key"] }, process.env, process.cwd()));
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const health = await client.health();
  out(`Gateway:  ${client.connection.url}  ${health.status}${health.error ? ` (${health.error})` : ""}`);
  if (health.httpStatus !== 200) {
    out("Fix the configuration error above (nanobot.config.json or NANOBOT_CONFIG), then restart the gateway.");
    return 1;
  }
  out(`API key:  ${client.connection.keySource ?? "none found"}`);
  const models = await client.models();
  out(`Models:   ${models.length ? models.join(", ") : "(none configured)"}`);
  const report = await client.chat({ message: "/status", session: values.session ?? "cli", stream: false });
  out("");
  out(shouldRenderMarkdown(values.markdown !== false) ? renderMarkdown(report) : report);
  return 0;
}
