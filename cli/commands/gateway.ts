import { startGateway } from "../../scripts/start-gateway.ts";

export const gatewayHelp = `Usage: npx nanobot gateway [-- wrangler dev options]

Same as \`npm start\`: applies the local D1 migrations, starts the sandbox runner and \`wrangler dev\` on
http://127.0.0.1:8787. Options are passed to \`wrangler dev\`, e.g.
  npx nanobot gateway -- --port 8799 --persist-to ./state --var NANOBOT_CONFIG:'{"api":{"apiKey":"k"}}'
Ctrl-C stops everything.`;

export async function gatewayCommand(argv: string[]): Promise<number> {
  if (argv[0] === "--help" || argv[0] === "-h") {
    process.stdout.write(`${gatewayHelp}\n`);
    return 0;
  }
  return startGateway(argv);
}
