import type { Config } from "../config/schema.ts";
import type { Env } from "../env.ts";
import { configCheck } from "./checks/config.ts";
import { emailCheck } from "./checks/email.ts";
import { mcpChecks } from "./checks/mcp.ts";
import { migrationsCheck } from "./checks/migrations.ts";
import { providerChecks } from "./checks/provider.ts";
import { sandboxCheck } from "./checks/sandbox.ts";
import { secretsCheck } from "./checks/secrets.ts";
import { discordCheck } from "./checks/discord.ts";
import { qqCheck } from "./checks/qq.ts";
import { slackCheck } from "./checks/slack.ts";
import { feishuCheck } from "./checks/feishu.ts";
import { dingtalkCheck } from "./checks/dingtalk.ts";
import { telegramCheck } from "./checks/telegram.ts";
import { wecomCheck } from "./checks/wecom.ts";
import { whatsappCheck } from "./checks/whatsapp.ts";
import { configSecrets, redactor } from "./redact.ts";
import { finding, report, type DoctorReport, type Finding } from "./types.ts";
import type { DoctorContext } from "./types-context.ts";
import type { DoctorConfig } from "./worker-config.ts";
import { isLocalGatewayHost } from "./local-host.ts";

/** Every check that needs the running Worker (its secrets, bindings and network), run in parallel. */
const WORKER_CHECKS: ReadonlyArray<[name: string, run: (ctx: DoctorContext) => Promise<Finding[]>]> = [
  ["provider", providerChecks],
  ["telegram", telegramCheck],
  ["slack", slackCheck],
  ["wecom", wecomCheck],
  ["feishu", feishuCheck],
  ["dingtalk", dingtalkCheck],
  ["qq", qqCheck],
  ["discord", discordCheck],
  ["whatsapp", whatsappCheck],
  ["email", emailCheck],
  ["sandbox", sandboxCheck],
  ["migrations", migrationsCheck],
  ["mcp", mcpChecks],
];


function howToSet(local: boolean) {
  return (name: string) =>
    local
      ? `add ${name}=… to .dev.vars (npx nanobot onboard writes it); a running npm start picks the change up by itself`
      : `set it: \`npx wrangler secret put ${name} --env production\` (npx nanobot deploy pushes every variable from .dev.vars)`;
}

export async function runDoctor(cfg: DoctorConfig, env: Env, requestUrl: string): Promise<DoctorReport> {
  const url = new URL(requestUrl);
  const local = isLocalGatewayHost(url.hostname);
  const restart = local ? "a running npm start picks the change up by itself" : "deploy again (npx nanobot deploy)";
  const sources = "the bundled nanobot.config.json + NANOBOT_CONFIG + the Worker's variables";
  const findings: Finding[] = [
    configCheck(cfg.strict, sources, restart),
    ...secretsCheck(cfg.refs, env, local ? "the gateway's variables (.dev.vars)" : "the Worker's secrets", howToSet(local)),
  ];
  if (cfg.lenient.ok) {
    const ctx: DoctorContext = { config: cfg.lenient.config, env, origin: url.origin, local };
    const results = await Promise.all(
      WORKER_CHECKS.map(([name, run]) => run(ctx).catch((err: unknown) => [finding(name, "fail", `the check itself failed: ${String((err as Error)?.message ?? err).slice(0, 200)}`)])),
    );
    findings.push(...results.flat());
  }
  const redact = redactor(secretValues(cfg, env));
  return report(findings.map((f) => ({ ...f, detail: redact(f.detail), fix: redact(f.fix) })));
}

/** Values that must never appear in the report: config secrets, the variables it refers to, secret-named vars. */
function secretValues(cfg: DoctorConfig, env: Env): unknown[] {
  const config: Config | null = cfg.lenient.ok ? cfg.lenient.config : null;
  const secretNamed = Object.keys(env).filter((k) => /KEY|TOKEN|SECRET|PASSWORD/i.test(k));
  return [...(config ? configSecrets(config) : []), ...cfg.refs.map((r) => env[r.name]), ...secretNamed.map((k) => env[k])];
}
