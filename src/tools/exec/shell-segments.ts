/**
 * Splits a shell command into the simple commands an allow list must check one by one: top-level segments
 * (split on `&&`, `||`, `;`, `|`, `&`, newlines, outside quotes and parentheses), plus — recursively — what runs
 * inside `$(…)`, backticks, `<(…)`, `sh -c '…'`/`bash -c "…"` and `eval '…'`. Without the nested part,
 * `ls $(rm -rf x)` would pass an allow list of `ls .*`.
 */

const MAX_DEPTH = 4;

/** Top-level segments, trimmed, empty ones dropped. */
export function splitTopLevel(command: string): string[] {
  const segments: string[] = [];
  let current = "";
  let depth = 0;
  let quote: "'" | '"' | "`" | null = null;
  const push = () => {
    if (current.trim()) segments.push(current.trim());
    current = "";
  };
  for (let i = 0; i < command.length; i++) {
    const c = command[i];
    if (quote) {
      current += c;
      if (c === "\\" && quote !== "'" && i + 1 < command.length) current += command[++i];
      else if (c === quote) quote = null;
      continue;
    }
    if (c === "\\" && i + 1 < command.length) {
      current += c + command[++i];
      continue;
    }
    if (c === "'" || c === '"' || c === "`") {
      quote = c;
      current += c;
      continue;
    }
    if (c === "(") depth++;
    if (c === ")") depth = Math.max(0, depth - 1);
    const redirect = c === "&" && (/[<>]$/.test(current) || command[i + 1] === ">"); // 2>&1, &>file
    if (depth === 0 && !redirect && (c === ";" || c === "\n" || c === "\r" || c === "&" || c === "|")) {
      push();
      if ((c === "&" || c === "|") && command[i + 1] === c) i++;
      continue;
    }
    current += c;
  }
  push();
  return segments;
}

/** Contents of `$(…)` / `<(…)` / `>(…)` with balanced parentheses. */
function substitutions(command: string): string[] {
  const found: string[] = [];
  const opener = /[$<>]\(/g;
  for (let m = opener.exec(command); m; m = opener.exec(command)) {
    if (command[m.index + 2] === "(") continue; // $(( arithmetic ))
    let depth = 1;
    let i = m.index + 2;
    for (; i < command.length && depth > 0; i++) {
      if (command[i] === "(") depth++;
      else if (command[i] === ")") depth--;
    }
    found.push(command.slice(m.index + 2, depth === 0 ? i - 1 : i));
  }
  for (const m of command.matchAll(/`([^`]*)`/g)) found.push(m[1]);
  return found;
}

/** Scripts handed to another shell: `bash -c '…'`, `sh -lc "…"`, `eval '…'`. */
function innerScripts(command: string): string[] {
  const found: string[] = [];
  const shellC = /\b(?:ba|z|da|k|fi)?sh\s+(?:-[a-z]+\s+)*-[a-z]*c\s+(['"])([\s\S]*?)\1/gi;
  for (const m of command.matchAll(shellC)) found.push(m[2]);
  for (const m of command.matchAll(/\beval\s+(['"])([\s\S]*?)\1/g)) found.push(m[2]);
  return found;
}

/** Every segment an allow list must match: top-level ones and those nested in substitutions and `-c` scripts. */
export function commandSegments(command: string, depth = 0): string[] {
  const segments = splitTopLevel(command);
  if (depth >= MAX_DEPTH) return segments;
  for (const nested of [...substitutions(command), ...innerScripts(command)]) {
    segments.push(...commandSegments(nested, depth + 1));
  }
  return segments;
}
