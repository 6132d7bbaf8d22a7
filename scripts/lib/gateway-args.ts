/** What the gateway needs to know about the arguments the user passed to `wrangler dev` after `--`. */
export interface GatewayArgs {
  /** Arguments as given, forwarded to `wrangler dev` unchanged. */
  passthrough: string[];
  port: number;
  ip: string;
  persistTo: string | null;
  hasPort: boolean;
  hasIp: boolean;
}

/** Value of `--name value` or `--name=value` (last one wins, as in wrangler's own parser). */
function optionValue(args: string[], name: string): string | null {
  let value: string | null = null;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === `--${name}` && i + 1 < args.length) value = args[++i];
    else if (a.startsWith(`--${name}=`)) value = a.slice(name.length + 3);
  }
  return value;
}

export function parseGatewayArgs(argv: string[]): GatewayArgs {
  const passthrough = argv[0] === "--" ? argv.slice(1) : [...argv];
  const portText = optionValue(passthrough, "port");
  const port = portText === null ? 8787 : Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number, got "${portText}".`);
  const ip = optionValue(passthrough, "ip");
  return {
    passthrough,
    port,
    ip: ip ?? "127.0.0.1",
    persistTo: optionValue(passthrough, "persist-to"),
    hasPort: portText !== null,
    hasIp: ip !== null,
  };
}
