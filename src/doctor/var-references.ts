/** Every `${VAR}` a raw (not yet interpolated) config refers to, with the config paths that use it. */
const VAR_PATTERN = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

export interface VarReference {
  name: string;
  /** Config paths (dot-separated) whose string mentions the variable. */
  paths: string[];
}

export function varReferences(raw: unknown): VarReference[] {
  const found = new Map<string, string[]>();
  const walk = (value: unknown, path: string[]) => {
    if (typeof value === "string") {
      for (const match of value.matchAll(VAR_PATTERN)) {
        const paths = found.get(match[1]) ?? [];
        paths.push(path.join(".") || "(root)");
        found.set(match[1], paths);
      }
    } else if (Array.isArray(value)) value.forEach((v, i) => walk(v, [...path, String(i)]));
    else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
  };
  walk(raw, []);
  return [...found].map(([name, paths]) => ({ name, paths }));
}

/** Which of the references are missing (not a string) or empty in `env`. */
export function unsetVars(refs: VarReference[], env: Record<string, unknown>): { missing: VarReference[]; empty: VarReference[] } {
  return {
    missing: refs.filter((r) => typeof env[r.name] !== "string"),
    empty: refs.filter((r) => env[r.name] === ""),
  };
}
