/**
 * A tool call as a short line people can read while it runs ("read notes/todo.md", "$ npm test"), in the
 * spirit of nanobot's tool hints: a verb per known tool, the one argument that says what it does, and the
 * whole hint capped at `agents.defaults.toolHintMaxLength` characters.
 */
const FORMATS: Record<string, { keys: string[]; template: (value: string) => string }> = {
  read_file: { keys: ["path"], template: (v) => `read ${v}` },
  write_file: { keys: ["path"], template: (v) => `write ${v}` },
  edit_file: { keys: ["path"], template: (v) => `edit ${v}` },
  apply_patch: { keys: [], template: () => "apply patch" },
  list_dir: { keys: ["path"], template: (v) => `ls ${v}` },
  find_files: { keys: ["query", "glob", "path"], template: (v) => `find ${v}` },
  grep: { keys: ["pattern"], template: (v) => `grep "${v}"` },
  exec: { keys: ["command"], template: (v) => `$ ${v}` },
  web_search: { keys: ["query"], template: (v) => `search "${v}"` },
  web_fetch: { keys: ["url"], template: (v) => `fetch ${v}` },
  message: { keys: [], template: () => "message" },
  spawn: { keys: ["label", "task"], template: (v) => `spawn ${v}` },
  cron: { keys: ["action"], template: (v) => `cron ${v}` },
  generate_image: { keys: ["prompt"], template: (v) => `image "${v}"` },
};

function shorten(text: string, max: number): string {
  const oneLine = text.replace(/\s+/g, " ").trim();
  return oneLine.length <= max ? oneLine : `${oneLine.slice(0, Math.max(1, max - 1))}…`;
}

function firstString(args: Record<string, unknown>, keys: string[]): string | undefined {
  for (const key of keys) if (typeof args[key] === "string" && args[key]) return args[key] as string;
  return Object.values(args).find((v): v is string => typeof v === "string" && v.length > 0);
}

export function formatToolHint(name: string, args: unknown, maxLength: number): string {
  const record = args && typeof args === "object" && !Array.isArray(args) ? (args as Record<string, unknown>) : {};
  const known = FORMATS[name];
  if (known && !known.keys.length) return known.template("");
  const value = firstString(record, known?.keys ?? []);
  if (known) return value === undefined ? name : shorten(known.template(value), maxLength);
  const mcp = /^mcp_([^_]+)_(.+)$/.exec(name);
  const label = mcp ? `${mcp[1]}: ${mcp[2]}` : name;
  return shorten(value === undefined ? label : `${label} ${value}`, maxLength);
}
