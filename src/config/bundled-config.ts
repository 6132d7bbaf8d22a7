// nanobot.config.json is created by `npx nanobot onboard` (or as `{}` by `npm start`/`npm test`) and bundled
// into the Worker at build time; NANOBOT_CONFIG overrides it at run time.
import bundled from "../../nanobot.config.json";

export const bundledConfig: unknown = bundled;
