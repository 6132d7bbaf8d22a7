/**
 * Glob matching for grep / find_files, with nanobot's rules: a pattern without `/` matches the file name
 * (`*.ts`); a pattern with `/` (or starting with `**`) matches the end of the relative path
 * (`tests/**\/test_*.py`), where `*` stays inside one segment and `**` spans any number of them.
 */
function toRegexSource(glob: string, crossSlash: boolean): string {
  const one = crossSlash ? "." : "[^/]";
  let out = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === "*") {
      if (glob[i + 1] === "*") {
        i++;
        if (glob[i + 1] === "/") {
          i++;
          out += "(?:.*/)?";
        } else out += ".*";
      } else out += `${one}*`;
    } else if (c === "?") out += one;
    else if (c === "[") {
      const end = glob.indexOf("]", i + 2);
      if (end === -1) out += "\\[";
      else {
        let set = glob.slice(i + 1, end).replace(/\\/g, "\\\\");
        if (set.startsWith("!")) set = `^${set.slice(1)}`;
        out += `[${set}]`;
        i = end;
      }
    } else out += c.replace(/[.+^${}()|\\]/g, "\\$&");
  }
  return out;
}

export type GlobMatcher = (relPath: string) => boolean;

export function globMatcher(pattern: string): GlobMatcher {
  const glob = pattern.trim().replace(/\\/g, "/");
  if (!glob) return () => false;
  if (glob.includes("/") || glob.startsWith("**")) {
    const re = new RegExp(`(?:^|/)${toRegexSource(glob.replace(/^\/+/, ""), false)}$`);
    return (rel) => re.test(rel);
  }
  const re = new RegExp(`^${toRegexSource(glob, true)}$`);
  return (rel) => re.test(rel.slice(rel.lastIndexOf("/") + 1));
}

/** `type` shorthands (rg-style) → file name patterns; anything else means that extension. */
const TYPE_EXTENSIONS: Record<string, string[]> = {
  py: ["py", "pyi"],
  python: ["py", "pyi"],
  js: ["js", "jsx", "mjs", "cjs"],
  ts: ["ts", "tsx", "mts", "cts"],
  md: ["md", "mdx"],
  markdown: ["md", "mdx"],
  rust: ["rs"],
  yaml: ["yaml", "yml"],
  yml: ["yaml", "yml"],
  sh: ["sh", "bash"],
  html: ["html", "htm"],
  css: ["css", "scss", "sass"],
};

export function typeMatcher(type: string | undefined): GlobMatcher {
  const wanted = type?.trim().toLowerCase().replace(/^\*?\./, "");
  if (!wanted) return () => true;
  const exts = TYPE_EXTENSIONS[wanted] ?? [wanted];
  return (rel) => {
    const name = rel.slice(rel.lastIndexOf("/") + 1).toLowerCase();
    return exts.some((ext) => name.endsWith(`.${ext}`));
  };
}
