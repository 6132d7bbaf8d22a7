import { deleteTrigger, hashToken, listTriggers, newTriggerId, newTriggerToken, saveTrigger } from "../../../src/triggers/trigger-store.ts";
import type { SlashCommand } from "../commands/types.ts";
import { originOf } from "../origin.ts";

export const triggerCommand: SlashCommand = {
  name: "/trigger",
  usage: "/trigger [name|remove ID]",
  summary: "create a trigger URL that starts a turn in this chat (list without a name)",
  async run(args, session) {
    const runtime = session.runtime();
    const db = runtime.env.DB;
    const text = args.trim();
    if (!text) {
      const all = await listTriggers(db, session.sessionKey);
      if (!all.length) return "No triggers in this chat. Create one with /trigger <name>.";
      return ["Triggers of this chat:", ...all.map((t) => `- ${t.name} (id: ${t.id})`), "Remove one with /trigger remove <id>."].join("\n");
    }
    const remove = /^remove\s+(\S+)$/i.exec(text);
    if (remove) return (await deleteTrigger(db, session.sessionKey, remove[1])) ? `Removed trigger ${remove[1]}.` : `No trigger ${remove[1]} in this chat.`;
    const origin = originOf(runtime.meta);
    if (!origin) return "Send a message in this chat first, so the trigger knows where to answer.";
    const name = text.slice(0, 64);
    const id = newTriggerId();
    const token = newTriggerToken();
    await saveTrigger(db, {
      id,
      name,
      sessionKey: session.sessionKey,
      workspaceId: origin.workspaceId,
      channel: origin.channel,
      chatId: origin.chatId,
      tokenHash: await hashToken(token),
      createdAt: Date.now(),
    });
    return [
      `Trigger '${name}' created (id: ${id}).`,
      `Token (shown only once, keep it secret): ${token}`,
      "Fire it with:",
      `curl -X POST <gateway>/triggers/${id} -H 'Authorization: Bearer ${token}' -H 'content-type: application/json' -d '{"message":"…"}'`,
      "Each post becomes a turn in this chat (it waits while I am busy).",
    ].join("\n");
  },
};
