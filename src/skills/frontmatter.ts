export type FrontmatterValue = string | boolean | number | string[] | { [key: string]: FrontmatterValue };

export interface ParsedSkillFile {
  data: Record<string, FrontmatterValue>;
  body: string;
}

function scalar(raw: string): string | boolean | number | string[] {
  const text = raw.trim();
  if (text.startsWith("[") && text.endsWith("]")) {
    return text
      .slice(1, -1)
      .split(",")
      .map((s) => String(scalar(s)))
      .filter(Boolean);
  }
  if (/^(true|false)$/i.test(text)) return text.toLowerCase() === "true";
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  const quoted = /^(["'])([\s\S]*)\1$/.exec(text);
  return quoted ? quoted[2] : text;
}

/**
 * The YAML subset SKILL.md frontmatter uses: `key: value`, quoted strings, booleans, numbers, `[a, b]`,
 * `- item` lists and nested maps by indentation. Anything fancier is kept as text, never an error: a skill
 * with odd frontmatter still loads.
 */
export function parseSkillFile(text: string): ParsedSkillFile {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(text);
  if (!match) return { data: {}, body: text };
  const root: Record<string, FrontmatterValue> = {};
  const stack: Array<{ indent: number; map: Record<string, FrontmatterValue> }> = [{ indent: -1, map: root }];
  let lastKey: { map: Record<string, FrontmatterValue>; key: string; indent: number } | null = null;
  for (const line of match[1].split(/\r?\n/)) {
    if (!line.trim() || line.trim().startsWith("#")) continue;
    const indent = line.length - line.trimStart().length;
    const item = /^\s*-\s+(.*)$/.exec(line);
    if (item && lastKey && indent >= lastKey.indent) {
      const current = lastKey.map[lastKey.key];
      const list = Array.isArray(current) ? current : [];
      list.push(String(scalar(item[1])));
      lastKey.map[lastKey.key] = list;
      continue;
    }
    const kv = /^\s*([A-Za-z0-9_-]+)\s*:\s*(.*)$/.exec(line);
    if (!kv) continue;
    while (stack.length > 1 && indent <= stack[stack.length - 1].indent) stack.pop();
    const map = stack[stack.length - 1].map;
    const [, key, value] = kv;
    if (value.trim() === "") {
      const child: Record<string, FrontmatterValue> = {};
      map[key] = child;
      stack.push({ indent, map: child });
      lastKey = { map, key, indent };
    } else {
      map[key] = scalar(value);
      lastKey = null;
    }
  }
  // `key:` followed by `- items` was opened as a map; the list replaced it above.
  return { data: root, body: match[2] };
}
