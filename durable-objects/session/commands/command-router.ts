import type { CommandSession, SlashCommand } from "./types.ts";

export interface ParsedCommand {
  name: string;
  args: string;
}

/** `/cmd@botname args` → `{name: "/cmd", args}`; Telegram-style `/dream_log` → `/dream-log`. Null if not a command. */
export function parseCommand(text: string): ParsedCommand | null {
  const match = /^\s*(\/[A-Za-z][\w-]*)(?:@[A-Za-z0-9_]+)?(?:\s+([\s\S]*))?$/.exec(text);
  if (!match) return null;
  return { name: match[1].toLowerCase().replace(/_/g, "-"), args: (match[2] ?? "").trim() };
}

export interface CommandRouter {
  /** Every command name, `/help` first. */
  readonly names: readonly string[];
  helpText(): string;
  /** The listed command a parsed one names (null: unknown, answered inline with the help text). */
  find(command: ParsedCommand): SlashCommand | null;
  run(command: ParsedCommand, session: CommandSession): Promise<string>;
}

/** The slash commands of a session, from the list the composition root hands over (src/wiring/session.ts). */
export function createCommandRouter(commands: readonly SlashCommand[]): CommandRouter {
  const helpCommand: SlashCommand = { name: "/help", usage: "/help", summary: "list commands", run: () => helpText() };
  const all: SlashCommand[] = [helpCommand];
  for (const command of commands) {
    if (all.some((c) => c.name === command.name)) throw new Error(`slash command ${command.name} is listed twice`);
    all.push(command);
  }
  const helpText = () => ["🐈 nanobot commands:", ...all.map((c) => `${c.usage} — ${c.summary}`)].join("\n");
  return {
    names: all.map((c) => c.name),
    helpText,
    find: (command) => all.find((c) => c.name === command.name) ?? null,
    async run(command, session) {
      const found = all.find((c) => c.name === command.name);
      if (!found) return `Unknown command ${command.name}.\n\n${helpText()}`;
      return found.run(command.args, session);
    },
  };
}
