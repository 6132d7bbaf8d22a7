import { CliError, UsageError } from "../cli-error.ts";
import { connectionFromFlags } from "../connection.ts";
import { GatewayClient } from "../gateway-client.ts";
import { connectionHelp, connectionOptions, helpOption, parseCommandArgs } from "../options.ts";

export const pairingHelp = `Usage: npx nanobot pairing list|approve CODE|deny CODE [options]

Unknown people who DM the bot get a pairing code (XXXX-XXXX, valid 10 minutes). List the pending requests,
approve one (that sender is then served on that channel) or deny it.

Options:
${connectionHelp}
  -h, --help           show this help`;

interface Pending {
  code: string;
  channel: string;
  senderId: string;
  senderName: string | null;
  expiresAt: number;
}

const who = (p: { channel: string; senderId: string; senderName: string | null }) => `${p.channel} user ${p.senderId}${p.senderName ? ` (${p.senderName})` : ""}`;

export async function pairingCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs("pairing", argv, { ...connectionOptions, ...helpOption });
  if (values.help) {
    process.stdout.write(`${pairingHelp}\n`);
    return 0;
  }
  const [action, code] = positionals;
  const client = new GatewayClient(connectionFromFlags(values));
  const out = (line: string) => process.stdout.write(`${line}\n`);
  if (action === "list" || action === undefined) {
    const { pending, approved } = await client.admin<{ pending: Pending[]; approved: Array<{ channel: string; senderId: string; senderName: string | null }> }>("/pairing");
    if (!pending.length) out("No pending pairing requests.");
    for (const p of pending) out(`${p.code}  ${who(p)}  expires in ${Math.max(0, Math.round((p.expiresAt - Date.now()) / 1000))}s`);
    if (approved.length) out(`Approved: ${approved.map((a) => `${a.channel}:${a.senderId}`).join(", ")}`);
    return 0;
  }
  if (action !== "approve" && action !== "deny") throw new UsageError(`Unknown subcommand "${action}". Usage: npx nanobot pairing list|approve CODE|deny CODE`);
  if (!code) throw new UsageError(`Missing the code. Usage: npx nanobot pairing ${action} CODE (see npx nanobot pairing list)`);
  try {
    const { request } = await client.admin<{ request: Pending }>(`/pairing/${action}`, { code });
    out(action === "approve" ? `Approved ${who(request)}.` : `Denied the request from ${who(request)}.`);
    return 0;
  } catch (err) {
    if (err instanceof CliError && /404/.test(err.message)) throw new CliError(`No pending pairing request with code ${code}. Codes expire after 10 minutes; see npx nanobot pairing list.`);
    throw err;
  }
}
