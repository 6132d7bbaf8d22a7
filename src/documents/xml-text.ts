const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

/** XML character data → text (named and numeric entities). */
export function decodeXml(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref[0] === "#") {
      const code = ref[1] === "x" || ref[1] === "X" ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[ref] ?? whole;
  });
}

/** The value of `name="…"` in an element's opening tag. */
export function attr(tag: string, name: string): string | undefined {
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return m ? decodeXml(m[1]) : undefined;
}

/** Every `<tag …>…</tag>` (or self-closing) element, non-nested, with its opening tag and inner XML. */
export function* elements(xml: string, tag: string): Generator<{ open: string; inner: string }> {
  const re = new RegExp(`<${tag}(?=[\\s/>])([^>]*?)(?:/>|>([\\s\\S]*?)</${tag}>)`, "g");
  for (const m of xml.matchAll(re)) yield { open: m[1], inner: m[2] ?? "" };
}

/** Relationship id → target, from a `_rels/*.rels` part. */
export function relationships(xml: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const { open } of elements(xml, "Relationship")) {
    const id = attr(open, "Id");
    const target = attr(open, "Target");
    if (id && target) out.set(id, target);
  }
  return out;
}

/** Resolves a relationship target against the folder of the part that names it. */
export function resolvePart(base: string, target: string): string {
  if (target.startsWith("/")) return target.slice(1);
  const parts = base.split("/").slice(0, -1);
  for (const seg of target.split("/")) {
    if (seg === "..") parts.pop();
    else if (seg !== ".") parts.push(seg);
  }
  return parts.join("/");
}
