import { CliError } from "../cli-error.ts";
import { connectionFromFlags } from "../connection.ts";
import { GatewayClient, messages } from "../gateway-client.ts";
import { renderMarkdown } from "../markdown.ts";
import { connectionHelp, connectionOptions, helpOption, parseCommandArgs } from "../options.ts";
import { shouldRenderMarkdown } from "../reply-printer.ts";

export const statusHelp = `Usage: npx nanobot status [options]

Shows whether the gateway is up (GET /health), which models it offers (GET /v1/models) and the session's
/status (model, session size, token usage).

Options:
  --session ID         session to report on (default: cli)
  --no-markdown        plain text output
${connectionHelp}
  -h, --help           show this help`;

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
  const client = new GatewayClient(connectionFromFlags(values));
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const health = await client.health();
  if (health.httpStatus === 503 && health.status === "error" && health.error) {
    out(`Gateway:  ${client.connection.url}  error`);
    throw new CliError(messages.invalidConfig(health.error));
  }
  out(`Gateway:  ${client.connection.url}  ${health.status}${health.error ? ` (${health.error})` : ""}`);
  if (health.httpStatus !== 200) throw new CliError(`GET /health answered ${health.httpStatus}: is ${client.connection.url} a nanobot gateway?`);
  out(
    `API key:  ${client.connection.keySource ?? "none found (run `npx nanobot onboard`: it writes NANOBOT_API_KEY to the project's .dev.vars, which the CLI reads inside the project folder)"}`,
  );
  const models = await client.models();
  out(`Models:   ${models.length ? models.join(", ") : "(none configured)"}`);
  const report = await client.chat({ message: "/status", session: values.session ?? "cli", stream: false });
  out("");
  out(shouldRenderMarkdown(values.markdown !== false) ? renderMarkdown(report) : report);
  return 0;
}
