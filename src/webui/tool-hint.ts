/** nanobot's one-line tool call hints (utils/tool_hints.py): key argument, template, length cap. */
const FORMATS: Record<string, { keys: string[]; template: (v: string) => string }> = {
  read_file: { keys: ["path", "file_path"], template: (v) => `read ${v}` },
  write_file: { keys: ["path", "file_path"], template: (v) => `write ${v}` },
  edit_file: { keys: ["path", "file_path"], template: (v) => `edit ${v}` },
  find_files: { keys: ["query", "glob", "path"], template: (v) => `find ${v}` },
  grep: { keys: ["pattern"], template: (v) => `grep "${v}"` },
  exec: { keys: ["command"], template: (v) => `$ ${v}` },
  web_search: { keys: ["query"], template: (v) => `search "${v}"` },
  web_fetch: { keys: ["url"], template: (v) => `fetch ${v}` },
  list_dir: { keys: ["path"], template: (v) => `ls ${v}` },
};

const MAX = 40;
const clip = (v: string) => (v.length > MAX ? `${v.slice(0, MAX - 1)}…` : v);

export function toolHint(name: string, args: Record<string, unknown>): string {
  const format = FORMATS[name];
  if (format) {
    const value = format.keys.map((k) => args[k]).find((v) => typeof v === "string" && v);
    return value ? format.template(clip(String(value))) : name;
  }
  const first = Object.values(args).find((v) => typeof v === "string" && v);
  return first ? `${name}("${clip(String(first))}")` : name;
}
