import { UsageError } from "../cli-error.ts";
import { connectionFromFlags } from "../connection.ts";
import { GatewayClient } from "../gateway-client.ts";
import { connectionHelp, connectionOptions, helpOption, parseCommandArgs } from "../options.ts";

export const cronHelp = `Usage: npx nanobot cron list|add|remove [options]

  cron list [--session KEY]                       jobs of all sessions (or one)
  cron add --message TEXT (--every SECONDS | --cron EXPR [--tz ZONE] | --at ISO) [--name NAME] [--session KEY]
                                                  the job runs as a turn in that session (default: api:cli)
  cron remove ID                                  delete a job

Options:
${connectionHelp}
  -h, --help           show this help`;

const options = {
  ...connectionOptions,
  ...helpOption,
  session: { type: "string" },
  name: { type: "string" },
  message: { type: "string", short: "m" },
  every: { type: "string" },
  cron: { type: "string" },
  tz: { type: "string" },
  at: { type: "string" },
} as const;

interface JobView {
  id: string;
  name: string;
  session: string;
  schedule: { kind: string; everySeconds?: number; expr?: string; tz?: string; atMs?: number };
  nextRunAt: number | null;
}

function describe(s: JobView["schedule"]): string {
  if (s.kind === "every") return `every ${s.everySeconds}s`;
  if (s.kind === "cron") return `cron: ${s.expr} (${s.tz})`;
  return `at ${new Date(s.atMs ?? 0).toISOString()}`;
}

export async function cronCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs("cron", argv, options);
  const [sub, ...rest] = positionals;
  if (values.help || !sub) {
    process.stdout.write(`${cronHelp}\n`);
    return values.help ? 0 : 2;
  }
  const client = new GatewayClient(connectionFromFlags(values));
  const out = (line: string) => process.stdout.write(`${line}\n`);
  if (sub === "list") {
    const query = values.session ? `?session=${encodeURIComponent(values.session)}` : "";
    const { jobs } = await client.json<{ jobs: JobView[] }>("GET", `/api/cron${query}`);
    if (!jobs.length) out("No scheduled jobs.");
    for (const j of jobs) out(`- ${j.name} (id: ${j.id}, ${describe(j.schedule)}) in ${j.session}, next run: ${j.nextRunAt ? new Date(j.nextRunAt).toISOString() : "never"}`);
    return 0;
  }
  if (sub === "add") {
    if (!values.message) throw new UsageError("cron add needs --message TEXT. See `npx nanobot cron --help`.");
    const body = {
      session: values.session ?? "api:cli",
      message: values.message,
      ...(values.name ? { name: values.name } : {}),
      ...(values.every ? { every_seconds: Number(values.every) } : {}),
      ...(values.cron ? { cron_expr: values.cron } : {}),
      ...(values.tz ? { tz: values.tz } : {}),
      ...(values.at ? { at: values.at } : {}),
    };
    const { job } = await client.json<{ job: JobView }>("POST", "/api/cron", body);
    out(`Created job '${job.name}' (id: ${job.id}) in ${body.session}; next run ${job.nextRunAt ? new Date(job.nextRunAt).toISOString() : "never"}`);
    return 0;
  }
  if (sub === "remove") {
    const id = rest[0];
    if (!id) throw new UsageError("cron remove needs a job id (see `npx nanobot cron list`).");
    await client.json("DELETE", `/api/cron/${encodeURIComponent(id)}`);
    out(`Removed job ${id}.`);
    return 0;
  }
  throw new UsageError(`Unknown cron subcommand "${sub}". Use list, add or remove.`);
}
