import { CliError } from "./cli-error.ts";

/**
 * main.ts prints every message as `Error: <message>`; texts that already start with "Error:" (a gateway or tool
 * message, or the `String()` of an Error) would otherwise read `Error: Error: …`.
 */
export function stripErrorPrefix(message: string): string {
  return message.replace(/^(?:\s*(?:[A-Z]\w*)?Error:\s*)+/, "");
}

/**
 * One line for the user. An unexpected error (a bug, not a CliError) is shown by its message only; its stack
 * trace only with NANOBOT_DEBUG=1, because a trace tells a user nothing they can act on.
 */
export function formatError(err: unknown, env: NodeJS.ProcessEnv = process.env): string {
  const debug = env.NANOBOT_DEBUG === "1";
  if (err instanceof CliError) return `Error: ${stripErrorPrefix(err.message)}`;
  const message = err instanceof Error ? err.message : String(err);
  const text = `Error: ${stripErrorPrefix(message) || "unknown error"}`;
  if (debug && err instanceof Error && err.stack) return `${text}\n${err.stack}`;
  return `${text}\n(This looks like a bug in the CLI; NANOBOT_DEBUG=1 shows the stack trace.)`;
}
