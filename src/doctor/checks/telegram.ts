import { errorMessage, probe } from "../probe.ts";
import { finding, type Finding } from "../types.ts";
import type { DoctorContext } from "../types-context.ts";

interface WebhookInfo {
  url: string;
  pending_update_count: number;
  last_error_date?: number;
  last_error_message?: string;
}

const CHECK = "telegram";
const REGISTER = "re-register the webhook with `npx nanobot deploy` (or POST /admin/channels/telegram/webhook)";

/** `channels.telegram.mode`: "auto" polls under `npm start` and uses the webhook when deployed. */
function expectsWebhook(ctx: DoctorContext): boolean {
  const mode = ctx.config.channels.telegram.mode;
  if (mode === "webhook") return true;
  if (mode === "polling") return false;
  return !ctx.local;
}

/** Telegram's own view of delivery (`getWebhookInfo`): registered URL, last delivery error, backlog. */
export async function telegramCheck(ctx: DoctorContext): Promise<Finding[]> {
  const t = ctx.config.channels.telegram;
  if (!t.enabled) return [];
  if (!t.token) return [finding(CHECK, "fail", "channels.telegram.token is empty", "set TELEGRAM_BOT_TOKEN (the token @BotFather gave you) and refer to it as ${TELEGRAM_BOT_TOKEN}")];
  const result = await probe(`${t.apiRoot.replace(/\/+$/, "")}/bot${t.token}/getWebhookInfo`);
  if (!result.ok) return [finding(CHECK, "fail", `Telegram Bot API: ${result.reason}`, `check channels.telegram.apiRoot (${t.apiRoot})`)];
  const res = result.response;
  if (res.status === 401 || res.status === 404) {
    await res.body?.cancel();
    return [finding(CHECK, "fail", `the bot token is wrong: Telegram answered ${res.status}`, "set TELEGRAM_BOT_TOKEN to the token @BotFather gave you (/token in @BotFather shows it again)")];
  }
  if (!res.ok) return [finding(CHECK, "fail", `getWebhookInfo failed: ${await errorMessage(res)}`, `check channels.telegram.apiRoot (${t.apiRoot})`)];
  const info = ((await res.json()) as { result: WebhookInfo }).result;
  return webhookFindings(ctx, info);
}

function webhookFindings(ctx: DoctorContext, info: WebhookInfo): Finding[] {
  const pending = `${info.pending_update_count} pending update(s)`;
  if (!expectsWebhook(ctx)) {
    if (info.url) {
      return [finding(CHECK, "fail", `a webhook is registered (${info.url}), so polling getUpdates is refused (409 Conflict)`,
        'set channels.telegram.mode to "webhook" if that URL should receive messages, or delete it: curl "https://api.telegram.org/bot$TELEGRAM_BOT_TOKEN/deleteWebhook"')];
    }
    return [finding(CHECK, "ok", `no webhook registered: the local gateway polls getUpdates; ${pending}`)];
  }
  const expected = `${ctx.origin}/webhooks/telegram`;
  const findings: Finding[] = [];
  if (!info.url) findings.push(finding(CHECK, "fail", `no webhook registered: messages to the bot reach nobody (${pending})`, REGISTER));
  else if (info.url !== expected) findings.push(finding(CHECK, "fail", `the webhook points at ${info.url}, expected ${expected}`, REGISTER));
  if (!ctx.config.channels.telegram.webhookSecretToken) {
    findings.push(finding(CHECK, "fail", "channels.telegram.webhookSecretToken is empty: every webhook delivery is refused", `set TELEGRAM_WEBHOOK_SECRET (npx nanobot onboard generates one), then ${REGISTER}`));
  }
  if (info.last_error_message) {
    const when = info.last_error_date ? ` at ${new Date(info.last_error_date * 1000).toISOString()}` : "";
    if (/\b401\b|unauthorized/i.test(info.last_error_message)) {
      findings.push(finding(CHECK, "fail", `webhook secret mismatch: Telegram's last delivery${when} was refused: "${info.last_error_message}" (${pending})`,
        `Telegram sends an old secret; ${REGISTER} so it sends the current channels.telegram.webhookSecretToken`));
    } else {
      findings.push(finding(CHECK, "warn", `last delivery error${when}: "${info.last_error_message}" (${pending})`, "check `npx wrangler tail` for what the Worker answered; Telegram retries pending updates"));
    }
  }
  if (!findings.length) findings.push(finding(CHECK, "ok", `webhook ${info.url}; ${pending}`));
  return findings;
}
