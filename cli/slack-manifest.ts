/** The Slack app manifest for a deployed gateway: paste it at api.slack.com/apps → Create New App → From a manifest. */
export function slackManifest(workerUrl: string, appName = "nanobot"): string {
  const url = `${workerUrl.replace(/\/+$/, "")}/webhooks/slack`;
  const manifest = {
    display_information: { name: appName, description: "Personal AI agent on Cloudflare Workers" },
    features: { bot_user: { display_name: appName, always_online: true }, app_home: { messages_tab_enabled: true, messages_tab_read_only_enabled: false } },
    oauth_config: {
      scopes: { bot: ["app_mentions:read", "chat:write", "im:history", "im:read", "im:write", "channels:history", "groups:history", "reactions:write", "files:read", "files:write"] },
    },
    settings: {
      event_subscriptions: { request_url: url, bot_events: ["app_mention", "message.im", "message.channels", "message.groups"] },
      // Button presses (the message tool's buttons) arrive at the same route as block_actions payloads.
      interactivity: { is_enabled: true, request_url: url },
      org_deploy_enabled: false,
      socket_mode_enabled: false,
      token_rotation_enabled: false,
    },
  };
  return JSON.stringify(manifest, null, 2);
}
