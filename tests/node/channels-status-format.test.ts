import { describe, expect, it } from "vitest";
import { formatChannels } from "../../cli/commands/channels.ts";

describe("npx nanobot channels status output", () => {
  it("should count undelivered messages and show the email handler instead of a webhook URL", () => {
    const base = { enabled: true, allowFrom: ["x"], groupPolicy: "mention", secretsSet: {} };
    const text = formatChannels([
      { ...base, name: "whatsapp", webhook: "/webhooks/whatsapp", bot: "Nanobot +1 555", undelivered: 2 },
      { ...base, name: "email", webhook: "email() handler (Email Routing)", undelivered: 0 },
    ]);
    expect(text).toContain("  webhook:     <gateway URL>/webhooks/whatsapp");
    expect(text).toContain("  undelivered: 2 message(s) in the last 7 days (npx nanobot doctor says why)");
    expect(text).toContain("  webhook:     email() handler (Email Routing)");
    expect(text.match(/undelivered/g)).toHaveLength(1);
  });
});
