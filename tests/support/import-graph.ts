/**
 * Static import facts of the project's own source, read with the TypeScript parser (not regexes), for the
 * architecture tests: relative imports (including `import type`, which still ties modules together for a
 * reader), bare side-effect imports, and top-level registration calls.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";

export interface ImportRef {
  specifier: string;
  /** Absolute path of a relative import that resolves to a file; null for packages and unresolvable paths. */
  resolved: string | null;
  line: number;
  typeOnly: boolean;
  /** `import "./x"`: evaluated for its side effects only. */
  bare: boolean;
}

export interface ParsedModule {
  imports: ImportRef[];
  /** Top-level statements that call something imported, or anything named register…: `file:line: text`. */
  topLevelRegistrations: Array<{ line: number; text: string }>;
}

/** `.ts` source files under `dirs` of `root` (no declaration files, no node_modules). */
export function sourceFiles(root: string, dirs: string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== "node_modules") walk(full);
      } else if (/\.(ts|mts)$/.test(entry.name) && !entry.name.endsWith(".d.ts")) out.push(full);
    }
  };
  for (const dir of dirs) if (existsSync(path.join(root, dir))) walk(path.join(root, dir));
  return out.sort();
}

const REGISTER_NAME = /^register[A-Z_]/;

/** Parses one module's text; `file` is its absolute path (relative imports resolve against it). */
export function parseModule(file: string, text: string): ParsedModule {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const lineOf = (node: ts.Node) => sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
  const imports: ImportRef[] = [];
  const importedNames = new Set<string>();
  const add = (spec: ts.Expression | undefined, node: ts.Node, typeOnly: boolean, bare: boolean) => {
    if (!spec || !ts.isStringLiteral(spec)) return;
    const specifier = spec.text;
    const target = specifier.startsWith(".") ? path.resolve(path.dirname(file), specifier) : null;
    imports.push({ specifier, resolved: target && existsSync(target) ? target : null, line: lineOf(node), typeOnly, bare });
  };
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st)) {
      const clause = st.importClause;
      add(st.moduleSpecifier, st, Boolean(clause?.isTypeOnly), !clause);
      if (clause?.name) importedNames.add(clause.name.text);
      const bindings = clause?.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) importedNames.add(bindings.name.text);
      if (bindings && ts.isNamedImports(bindings)) for (const el of bindings.elements) importedNames.add(el.name.text);
    } else if (ts.isExportDeclaration(st)) {
      add(st.moduleSpecifier, st, st.isTypeOnly, false);
    }
  }
  const topLevelRegistrations: ParsedModule["topLevelRegistrations"] = [];
  const calls = (expr: ts.Expression | undefined): ts.CallExpression | null => {
    let e = expr;
    while (e && (ts.isAwaitExpression(e) || ts.isVoidExpression(e) || ts.isParenthesizedExpression(e))) e = e.expression;
    return e && ts.isCallExpression(e) ? e : null;
  };
  const rootName = (e: ts.Expression): string | null => {
    if (ts.isIdentifier(e)) return e.text;
    if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e) || ts.isCallExpression(e)) return rootName(e.expression);
    return null;
  };
  const lastName = (e: ts.Expression): string | null => (ts.isIdentifier(e) ? e.text : ts.isPropertyAccessExpression(e) ? e.name.text : null);
  for (const st of sf.statements) {
    const found: ts.CallExpression[] = [];
    if (ts.isExpressionStatement(st)) {
      const call = calls(st.expression);
      if (call) found.push(call);
    } else if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) {
        const call = calls(d.initializer);
        if (call && REGISTER_NAME.test(lastName(call.expression) ?? "")) found.push(call);
      }
    }
    for (const call of found) {
      const root = rootName(call.expression);
      if ((root && importedNames.has(root)) || REGISTER_NAME.test(lastName(call.expression) ?? "")) {
        topLevelRegistrations.push({ line: lineOf(call), text: call.getText(sf).split("\n")[0].slice(0, 80) });
      }
    }
  }
  return { imports, topLevelRegistrations };
}

export function parseFile(file: string): ParsedModule {
  return parseModule(file, readFileSync(file, "utf8"));
}

/** file → files it imports (relative imports that resolve, `import type` included). */
export function importGraph(files: string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of files) graph.set(file, [...new Set(parseFile(file).imports.flatMap((i) => (i.resolved ? [i.resolved] : [])))]);
  return graph;
}

/** Strongly connected components (Tarjan), largest first: each is a set of files that import each other in a circle. */
export function importCycles(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      out.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return out.sort((a, b) => b.length - a.length);
}

/** Every file `entry` reaches through static imports. */
export function importClosure(graph: Map<string, string[]>, entry: string): Set<string> {
  const seen = new Set<string>();
  const todo = [entry];
  while (todo.length) {
    const f = todo.pop()!;
    if (seen.has(f)) continue;
    seen.add(f);
    todo.push(...(graph.get(f) ?? []));
  }
  return seen;
}
