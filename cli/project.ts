import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

const PACKAGE_NAME = "nanobot-edge";

function isProjectDir(dir: string): boolean {
  const pkg = path.join(dir, "package.json");
  if (!existsSync(pkg)) return false;
  try {
    return (JSON.parse(readFileSync(pkg, "utf8")) as { name?: unknown }).name === PACKAGE_NAME;
  } catch {
    return false;
  }
}

/** The nanobot-edge project folder containing `from` (walking up), or null when run elsewhere. */
export function findProjectRoot(from: string): string | null {
  let dir = path.resolve(from);
  for (;;) {
    if (isProjectDir(dir)) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/** Parses a `.dev.vars` / `.env` file: `KEY=value`, optional quotes, `#` comments, `export ` prefix. */
export function parseDotenv(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!match) continue;
    let value = match[2];
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.endsWith(quote) && value.length >= 2) {
      value = value.slice(1, -1);
      if (quote === '"') value = value.replace(/\\n/g, "\n").replace(/\\"/g, '"');
    } else {
      value = value.replace(/\s+#.*$/, "");
    }
    vars[match[1]] = value;
  }
  return vars;
}

export function readDevVars(root: string): Record<string, string> {
  const file = path.join(root, ".dev.vars");
  return existsSync(file) ? parseDotenv(readFileSync(file, "utf8")) : {};
}

/** The project's nanobot.config.json as plain JSON, or null when absent or unreadable. */
export function readProjectConfig(root: string): Record<string, unknown> | null {
  const file = path.join(root, "nanobot.config.json");
  if (!existsSync(file)) return null;
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, "utf8"));
    return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
