import type { SlashCommand } from "./types.ts";

export const newCommand: SlashCommand = {
  name: "/new",
  usage: "/new",
  summary: "start a new conversation (memory files are kept)",
  // Summarising the conversation so far calls the model: not inside a webhook.
  deferred: true,
  interrupts: true,
  async run(_args, session) {
    session.stopTurn();
    await session.startFresh();
    return "New session started.";
  },
};

export const stopCommand: SlashCommand = {
  name: "/stop",
  usage: "/stop",
  summary: "stop the running answer",
  run(_args, session) {
    const stopped = session.stopTurn();
    return stopped ? `Stopped ${stopped} task(s).` : "No active task to stop.";
  },
};

const clip = (text: string, n: number) => (text.length > n ? `${text.slice(0, n)}…` : text);

export const historyCommand: SlashCommand = {
  name: "/history",
  usage: "/history [n]",
  summary: "show the last n messages (default 10, max 50)",
  async run(args, session) {
    const n = args.trim() ? Number(args.trim()) : 10;
    if (!Number.isInteger(n) || n < 1) return "Usage: /history [n] — n is a whole number from 1 to 50.";
    const messages = await session.recent(Math.min(n, 50));
    if (!messages.length) return "No messages in this session yet.";
    return messages
      .map((m) => {
        const text = typeof m.content === "string" ? m.content : (m.content ?? []).map((p) => ("text" in p ? p.text : "[image]")).join(" ");
        return `${m.role === "user" ? "👤 You" : "🤖 Bot"}: ${clip(text ?? "", 200)}`;
      })
      .join("\n");
  },
};

export const modelCommand: SlashCommand = {
  name: "/model",
  usage: "/model [preset]",
  summary: "show or switch the model preset for this session",
  run(args, session) {
    const wanted = args.trim();
    const presets = ["default", ...session.presetNames()];
    if (!wanted) {
      const { model, provider, preset } = session.describeModel();
      return [`Model: ${model} (${provider})`, `Preset: ${preset ?? "default"}`, `Available: ${presets.join(", ")}`, "Switch with /model <preset>."].join("\n");
    }
    if (!presets.includes(wanted)) return `Could not switch model preset: unknown preset '${wanted}'. Available: ${presets.join(", ")}`;
    session.setMeta("model_preset", wanted === "default" ? null : wanted);
    const { model } = session.describeModel();
    return `Switched to preset '${wanted}' (${model}) for this session.`;
  },
};
