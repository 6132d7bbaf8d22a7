/** The application commands `npx nanobot channels register discord` creates (one bulk overwrite). */

export const ASK_MESSAGE_COMMAND = "Ask nanobot";

/** nanobot's session commands, each its own slash command (they take no options). */
export const SESSION_COMMANDS = [
  { name: "new", description: "Start a new conversation" },
  { name: "stop", description: "Stop the answer that is running" },
  { name: "status", description: "Show the model, context use and what is running" },
] as const;

/** contexts 0 = servers, 1 = DMs with the bot; integration type 0 = installed to a server. */
const WHERE = { integration_types: [0], contexts: [0, 1] };

export function discordCommands(): Array<Record<string, unknown>> {
  return [
    {
      name: "ask",
      type: 1,
      description: "Ask nanobot",
      options: [
        { type: 3, name: "prompt", description: "What to ask", required: true, max_length: 6000 },
        { type: 11, name: "file", description: "An image or file to include", required: false },
      ],
      ...WHERE,
    },
    ...SESSION_COMMANDS.map((c) => ({ name: c.name, type: 1, description: c.description, ...WHERE })),
    // Message context command: right-click a message → Apps → "Ask nanobot" (message commands have no description).
    { name: ASK_MESSAGE_COMMAND, type: 3, ...WHERE },
  ];
}
