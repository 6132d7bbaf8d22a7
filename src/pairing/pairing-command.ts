import type { SlashCommand } from "../../durable-objects/session/commands/types.ts";
import type { Outbounds } from "../channels/outbound.ts";
import type { Config } from "../config/schema.ts";
import type { Env } from "../env.ts";
import { normalizePairingCode } from "./pairing-code.ts";
import { PairingStore, type PairingRequest } from "./pairing-store.ts";

const USAGE = "Usage: /pairing [list] · /pairing approve CODE · /pairing deny CODE · /pairing revoke [channel] USER_ID";

const who = (r: { channel: string; senderId: string; senderName: string | null }) =>
  `${r.channel} user ${r.senderId}${r.senderName ? ` (${r.senderName})` : ""}`;

function describePending(list: PairingRequest[], now: number): string {
  if (!list.length) return "No pending pairing requests.";
  const lines = list.map((r) => `- ${r.code} — ${who(r)}, expires in ${Math.max(0, Math.round((r.expiresAt - now) / 1000))}s`);
  return ["Pending pairing requests:", ...lines, "", "Approve with /pairing approve CODE (or deny with /pairing deny CODE)."].join("\n");
}

/**
 * `/pairing`: lets anyone already allowed in (allowFrom, an approved sender, or the API key holder) manage
 * who else may talk to the agent. Only messages that passed access control ever reach a session, so the
 * command needs no permission check of its own.
 */
export const pairingCommand: SlashCommand = {
  name: "/pairing",
  usage: "/pairing [approve|deny CODE | revoke USER]",
  summary: "list, approve or deny access requests",
  async run(args, session) {
    const store = new PairingStore(session.env.DB);
    const [action = "list", ...rest] = args.split(/\s+/).filter(Boolean);
    const by = session.request ? `${session.request.message.channel}:${session.request.message.senderId}` : "session";
    switch (action.toLowerCase()) {
      case "list": {
        const approved = await store.approved();
        const tail = approved.length ? `\n\nApproved: ${approved.map((a) => `${a.channel}:${a.senderId}`).join(", ")}` : "";
        return describePending(await store.pending(), Date.now()) + tail;
      }
      case "approve":
      case "deny": {
        const code = normalizePairingCode(rest.join(""));
        if (!code) return `${USAGE}\nA code looks like ABCD-EFGH.`;
        const req = action.toLowerCase() === "approve" ? await store.approve(code, by) : await store.deny(code);
        if (!req) return `No pending pairing request with code ${code} (codes expire after 10 minutes). See /pairing for the current ones.`;
        if (action.toLowerCase() === "deny") return `Denied the request ${code} from ${who(req)}.`;
        await notifyApproved(session.outbounds, session.env, session.config, req);
        return `Approved ${who(req)}. They can now talk to the agent.`;
      }
      case "revoke": {
        const [a, b] = rest;
        const channel = b ? a : session.request?.message.channel;
        const user = b ?? a;
        if (!user || !channel) return USAGE;
        return (await store.revoke(channel, user)) ? `Revoked access of ${channel} user ${user}.` : `${channel} user ${user} was not approved (users in allowFrom are managed in the config).`;
      }
      default:
        return USAGE;
    }
  },
};

/** Tells the newly approved sender, best effort: approval stands even if the platform is unreachable. */
export async function notifyApproved(outbounds: Outbounds, env: Env, config: Config, req: PairingRequest): Promise<void> {
  const outbound = outbounds.get(req.channel);
  if (!outbound?.send) return;
  try {
    await outbound.send({ env, config, target: { chatId: req.chatId }, text: "Your access request was approved. Send your message again and I'll answer." });
  } catch (err) {
    console.log(JSON.stringify({ event: "pairing_notify_failed", channel: req.channel, error: String(err).slice(0, 200) }));
  }
}
