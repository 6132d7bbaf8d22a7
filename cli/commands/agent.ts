import readline from "node:readline";
import { CliError } from "../cli-error.ts";
import { connectionFromFlags } from "../connection.ts";
import { formatError } from "../error-output.ts";
import { GatewayClient } from "../gateway-client.ts";
import { connectionHelp, connectionOptions, helpOption, parseCommandArgs } from "../options.ts";
import { createReplyPrinter, shouldRenderMarkdown } from "../reply-printer.ts";
import { startSpinner } from "../spinner.ts";

export const agentHelp = `Usage: npx nanobot agent [-m "message"] [options]

Chat with your agent through the gateway's OpenAI-compatible API (session api:<id>, kept on the server).
Without -m it starts an interactive chat; leave with exit, quit or Ctrl-D.

Options:
  -m, --message TEXT   send one message, print the reply, exit
  --session ID         session id (default: cli); the same id continues the same conversation
  --model NAME         model or preset name (default: the gateway's configured model)
  --no-markdown        print the reply as plain text (Markdown is rendered only on a terminal anyway)
  --reply-timeout SECONDS  how long a reply may stay silent (model thinking, tools running) before the CLI
                       gives up (default: NANOBOT_REPLY_TIMEOUT, else 300)
${connectionHelp}
  -h, --help           show this help`;

const options = {
  ...connectionOptions,
  ...helpOption,
  message: { type: "string", short: "m" },
  session: { type: "string", default: "cli" },
  model: { type: "string" },
  markdown: { type: "boolean", default: true },
  "reply-timeout": { type: "string" },
} as const;

interface TurnContext {
  client: GatewayClient;
  session: string;
  model?: string;
  markdown: boolean;
}

async function runTurn(ctx: TurnContext, message: string, signal?: AbortSignal): Promise<string> {
  const spinner = startSpinner("thinking…");
  const printer = createReplyPrinter(process.stdout, ctx.markdown);
  try {
    const reply = await ctx.client.chat({
      message,
      session: ctx.session,
      model: ctx.model,
      stream: true,
      signal,
      onDelta: (text) => {
        spinner.stop();
        printer.write(text);
      },
    });
    if (!reply) process.stdout.write("(empty reply)\n");
    return reply;
  } finally {
    spinner.stop();
    printer.end();
  }
}

async function interactive(ctx: TurnContext): Promise<number> {
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout, prompt: "you › " });
  const tty = Boolean(process.stdin.isTTY);
  if (tty) process.stdout.write(`nanobot · session ${ctx.session} · ${ctx.client.connection.url} · exit, quit or Ctrl-D to leave\n`);
  let current: AbortController | null = null;
  // With piped input readline closes at end of input while a turn is still running; lines already read are
  // still delivered, but prompting a closed interface throws.
  let closed = false;
  rl.on("close", () => (closed = true));
  const prompt = () => {
    if (!closed) rl.prompt();
  };
  // Ctrl-C stops the reply being streamed; at the prompt it leaves, like Ctrl-D.
  rl.on("SIGINT", () => (current ? current.abort() : rl.close()));
  prompt();
  for await (const line of rl) {
    const text = line.trim();
    if (text === "exit" || text === "quit") break;
    if (text) {
      current = new AbortController();
      try {
        await runTurn(ctx, text, current.signal);
      } catch (err) {
        if ((err as Error).name === "AbortError") process.stdout.write("\n(stopped)\n");
        else process.stderr.write(`${formatError(err)}\n`);
      } finally {
        current = null;
      }
    }
    prompt();
  }
  rl.close();
  if (tty) process.stdout.write("\n");
  return 0;
}

export async function agentCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs("agent", argv, options);
  if (values.help) {
    process.stdout.write(`${agentHelp}\n`);
    return 0;
  }
  if (positionals.length) throw new CliError(`Unexpected argument "${positionals[0]}". Quote the message: npx nanobot agent -m "…"`, 2);
  const session = values.session ?? "cli";
  if (!session.trim()) throw new CliError("--session needs a non-empty id.", 2);
  const ctx: TurnContext = {
    client: new GatewayClient(connectionFromFlags(values)),
    session,
    model: values.model,
    markdown: shouldRenderMarkdown(values.markdown !== false),
  };
  if (values.message !== undefined) {
    if (!values.message.trim()) throw new CliError('The message is empty. Usage: npx nanobot agent -m "hello"', 2);
    await runTurn(ctx, values.message);
    return 0;
  }
  return interactive(ctx);
}
