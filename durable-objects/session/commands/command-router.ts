import { historyCommand, modelCommand, newCommand, stopCommand } from "./basic-commands.ts";
import { statusCommand } from "./status-command.ts";
import type { CommandSession, SlashCommand } from "./types.ts";

const helpCommand: SlashCommand = {
  name: "/help",
  usage: "/help",
  summary: "list commands",
  run: () => helpText(),
};

const COMMANDS: SlashCommand[] = [helpCommand, newCommand, stopCommand, statusCommand, modelCommand, historyCommand];

/** Features register their commands here (one line each). */
export function registerCommand(command: SlashCommand): void {
  if (!COMMANDS.some((c) => c.name === command.name)) COMMANDS.push(command);
}

export function helpText(): string {
  return ["🐈 nanobot commands:", ...COMMANDS.map((c) => `${c.usage} — ${c.summary}`)].join("\n");
}

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

/** The registered command a parsed one names (null: unknown, answered inline with the help text). */
export function findCommand(command: ParsedCommand): SlashCommand | null {
  return COMMANDS.find((c) => c.name === command.name) ?? null;
}

export async function runCommand(command: ParsedCommand, session: CommandSession): Promise<string> {
  const found = COMMANDS.find((c) => c.name === command.name);
  if (!found) return `Unknown command ${command.name}.\n\n${helpText()}`;
  return found.run(command.args, session);
}
