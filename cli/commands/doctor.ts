import { UsageError } from "../cli-error.ts";
import { resolveConnection } from "../connection.ts";
import { formatFinding, formatSummary } from "../doctor/format.ts";
import { gatewayFindings } from "../doctor/gateway-findings.ts";
import { localChecks } from "../doctor/local-checks.ts";
import { mergeFindings } from "../doctor/merge.ts";
import { connectionOptions, helpOption, parseCommandArgs } from "../options.ts";
import { findProjectRoot } from "../project.ts";
import { redactor } from "../../src/doctor/redact.ts";
import { finding, report, type Finding } from "../../src/doctor/types.ts";
import { isLocalGatewayHost } from "../../src/doctor/local-host.ts";

export const doctorHelp = `Usage: npx nanobot doctor [options]

Checks a nanobot gateway and prints one line per finding with its fix: the config and every \${VAR} it uses,
the LLM provider (a model-list call), Telegram's webhook (URL, last error, pending updates), Slack's
auth.test, the sandbox runner and its isolation, D1 migrations and MCP servers. Exit code 1 when something
is broken (a FAIL line), 0 otherwise. Secret values are never printed.

Locally (the default gateway, run inside the project folder) it also reads nanobot.config.json and
.dev.vars; with --url of a deployed Worker, the Worker checks itself (GET /admin/doctor, owner-only).

Options:
  --json           print {ok, findings} as JSON
  --url URL        gateway URL (default: NANOBOT_URL, else http://127.0.0.1:8787)
  --api-key KEY    API key (default: NANOBOT_API_KEY, else the project's .dev.vars / nanobot.config.json)
  -h, --help       show this help`;

const options = { ...connectionOptions, ...helpOption, json: { type: "boolean" } } as const;


export async function doctorCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs("doctor", argv, options);
  if (values.help) {
    process.stdout.write(`${doctorHelp}\n`);
    return 0;
  }
  const connection = resolveConnection({ url: values.url, apiKey: values["api-key"] }, process.env, process.cwd());
  if (!URL.canParse(connection.url) || !/^https?:$/.test(new URL(connection.url).protocol)) {
    throw new UsageError(`--url must be an http(s) URL, got "${connection.url}".`);
  }
  const local = isLocalGatewayHost(new URL(connection.url).hostname);
  const root = findProjectRoot(process.cwd());
  const secrets: string[] = connection.apiKey ? [connection.apiKey] : [];
  let localFindings: Finding[] = [];
  if (local && root) {
    const checked = localChecks(root);
    localFindings = checked.findings;
    secrets.push(...checked.secrets);
  } else if (local) {
    localFindings = [finding("config", "warn", "not inside the nanobot-edge project folder: nanobot.config.json and .dev.vars were not checked", "run doctor from the project folder")];
  }
  const findings = mergeFindings(localFindings, await gatewayFindings(connection, local));
  const redact = redactor(secrets);
  const result = report(findings.map((f) => ({ ...f, detail: redact(f.detail), fix: redact(f.fix) })));
  if (values.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else process.stdout.write(`${[...result.findings.map(formatFinding), "", formatSummary(result.findings)].join("\n")}\n`);
  return result.ok ? 0 : 1;
}
