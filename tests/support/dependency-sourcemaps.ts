import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Plugin } from "vite";

const MAP_COMMENT = /\n\/\/# sourceMappingURL=(\S+)\s*$/;

interface SourceMap {
  sources?: string[];
  sourcesContent?: Array<string | null>;
  sourceRoot?: string;
}

/** True when every source the map names is embedded or on disk, i.e. Vite can load it without a warning. */
function mapIsComplete(mapFile: string): boolean {
  try {
    const map = JSON.parse(readFileSync(mapFile, "utf8")) as SourceMap;
    const root = path.resolve(path.dirname(mapFile), map.sourceRoot ?? "");
    return (map.sources ?? []).every((source, i) => map.sourcesContent?.[i] != null || existsSync(path.resolve(root, source)));
  } catch {
    return false;
  }
}

/**
 * The Workers test pool runs dependencies through Vite, which follows their `sourceMappingURL` and prints
 * "Sourcemap for … points to missing source files" when a package ships maps but not the sources they name
 * (@modelcontextprotocol/sdk, standardwebhooks). Such a map cannot point a stack trace anywhere useful, so these
 * files load without it; dependencies with complete maps keep theirs.
 */
export function dependencySourcemaps(): Plugin {
  return {
    name: "nanobot:incomplete-dependency-sourcemaps",
    enforce: "pre",
    load(id) {
      const file = id.split("?")[0] ?? id;
      if (!file.includes("/node_modules/") || !/\.[cm]?js$/.test(file)) return null;
      let code: string;
      try {
        code = readFileSync(file, "utf8");
      } catch {
        return null;
      }
      const match = MAP_COMMENT.exec(code);
      if (!match?.[1] || match[1].startsWith("data:")) return null;
      if (mapIsComplete(path.resolve(path.dirname(file), decodeURI(match[1])))) return null;
      return { code: code.slice(0, match.index + 1), map: null };
    },
  };
}
