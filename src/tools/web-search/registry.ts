import { brave } from "./brave.ts";
import { duckduckgo } from "./duckduckgo.ts";
import { exa } from "./exa.ts";
import { jina } from "./jina.ts";
import { kagi } from "./kagi.ts";
import { searxng } from "./searxng.ts";
import { serper } from "./serper.ts";
import { tavily } from "./tavily.ts";
import type { SearchProviderSpec } from "./types.ts";

/** Every web_search backend by config name (`tools.web.search.provider`). */
export const SEARCH_PROVIDERS: ReadonlyMap<string, SearchProviderSpec> = new Map(
  [duckduckgo, brave, tavily, searxng, jina, kagi, exa, serper].map((p) => [p.name, p]),
);

export const DEFAULT_SEARCH_PROVIDER = duckduckgo;
