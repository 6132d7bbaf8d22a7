/** An invalid configuration. The message always starts with the config path so the user knows what to fix. */
export class ConfigError extends Error {
  override name = "ConfigError";
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${path}: ${problem}`);
  }
}
