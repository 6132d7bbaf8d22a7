import { slackManifest } from "../slack-manifest.ts";
import { timedFetch } from "../timed-fetch.ts";

export interface ChannelSetup {
  workerUrl: string;
  apiKey: string | null;
  telegram: boolean;
  slack: boolean;
}

/** A fresh workers.dev name can take a few seconds to resolve after the first deploy. */
const ATTEMPTS = 6;
const DELAY_MS = 2_000;
/** The Worker answers the setWebhook call within seconds; without a limit Node's fetch would wait 300 s per try. */
const ANSWER_MS = 20_000;

/** Asks the deployed Worker to call Telegram's setWebhook (with channels.telegram.webhookSecretToken). */
async function registerTelegram(workerUrl: string, apiKey: string): Promise<string> {
  let last = "";
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    try {
      const { response: res } = await timedFetch(
        `${workerUrl}/admin/channels/telegram/webhook`,
        { method: "POST", headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" }, body: JSON.stringify({ url: `${workerUrl}/webhooks/telegram` }) },
        ANSWER_MS,
      );
      const body = (await res.json().catch(() => ({}))) as { url?: string; bot?: string; error?: { message?: string } | string };
      if (res.ok) return `Telegram webhook registered for ${body.bot ?? "the bot"}: ${body.url}`;
      last = `${res.status} ${typeof body.error === "string" ? body.error : (body.error?.message ?? "")}`.trim();
      if (res.status < 500 && res.status !== 404) break;
    } catch (err) {
      last = (err as Error).message;
    }
    if (attempt < ATTEMPTS) await new Promise((r) => setTimeout(r, DELAY_MS));
  }
  return `Telegram webhook not registered (${last}). Run \`npx nanobot deploy\` again once ${workerUrl}/health answers.`;
}

/** After the upload: Telegram's webhook, the Slack manifest, and how to try the API. Lines to print. */
export async function setUpChannels(setup: ChannelSetup): Promise<string[]> {
  const lines = [`Worker URL: ${setup.workerUrl}`];
  if (setup.telegram) {
    lines.push(setup.apiKey ? await registerTelegram(setup.workerUrl, setup.apiKey) : "Telegram webhook not registered: set api.apiKey (${NANOBOT_API_KEY}) so deploy can ask the Worker to register it.");
  }
  // Printed without Slack too: the app must exist (from this manifest) before its tokens can be onboarded.
  const slackHeading = setup.slack
    ? "Slack app manifest (api.slack.com/apps → Create New App → From a manifest):"
    : "To add Slack: create an app from this manifest (api.slack.com/apps → Create New App → From a manifest), then\n" +
      "`npx nanobot onboard --slack-bot-token xoxb-… --slack-signing-secret …` and deploy again:";
  lines.push("", slackHeading, slackManifest(setup.workerUrl));
  lines.push(
    "",
    "Try it:",
    `  export NANOBOT_API_KEY="$(grep '^NANOBOT_API_KEY=' .dev.vars | cut -d= -f2-)"`,
    `  curl ${setup.workerUrl}/v1/chat/completions -H "Authorization: Bearer $NANOBOT_API_KEY" -H "content-type: application/json" -d '{"model":"default","messages":[{"role":"user","content":"hello"}]}'`,
  );
  return lines;
}
