/**
 * A deliberately small code highlighter: comments, strings, numbers and keywords of the common C-family,
 * Python and shell languages. A full grammar library would cost more bytes than the rest of the page.
 */
const KEYWORDS = new Set(
  ("if else for while do return function const let var class new import from export default async await try catch finally throw " +
    "def lambda with as pass yield in is not and or None True False self elif raise struct enum impl fn pub use mut match " +
    "interface type extends implements public private protected static void int string bool true false null undefined " +
    "echo then fi esac done case package func go select break continue switch").split(" "),
);

const TOKEN = /(\/\/[^\n]*|#[^\n]*|\/\*[\s\S]*?\*\/|--[^\n]*)|("(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|`(?:\\.|[^`\\])*`)|(\b\d[\d_.]*(?:e[+-]?\d+)?\b)|([A-Za-z_$][\w$]*)/g;

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export function highlight(code: string, lang: string): string {
  // "#" starts a comment only in languages that use it; in C-like ones it is a preprocessor line or selector.
  const hashComments = /^(py|python|sh|bash|shell|zsh|rb|ruby|yaml|yml|toml|r|perl|conf|dockerfile|)$/i.test(lang);
  const dashComments = /^(sql|lua|haskell|hs)$/i.test(lang);
  let out = "";
  let last = 0;
  for (const m of code.matchAll(TOKEN)) {
    const [text, comment, str, num, word] = m;
    const at = m.index ?? 0;
    if ((comment?.startsWith("#") && !hashComments) || (comment?.startsWith("--") && !dashComments)) continue;
    out += esc(code.slice(last, at));
    last = at + text.length;
    if (comment) out += `<span class="c">${esc(text)}</span>`;
    else if (str) out += `<span class="s">${esc(text)}</span>`;
    else if (num) out += `<span class="n">${esc(text)}</span>`;
    else if (word && KEYWORDS.has(word)) out += `<span class="k">${esc(text)}</span>`;
    else out += esc(text);
  }
  return out + esc(code.slice(last));
}
