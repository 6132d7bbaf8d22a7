import cron from "./cron.ts";
import github from "./github.ts";
import skillCreator from "./skill-creator.ts";
import summarize from "./summarize.ts";
import weather from "./weather.ts";

/** Skills shipped inside the Worker (Markdown as strings: no bundler rule needed). Keyed by skill name. */
export const BUNDLED_SKILLS: Readonly<Record<string, string>> = {
  summarize,
  weather,
  github,
  cron,
  "skill-creator": skillCreator,
};
