/** An invalid configuration. The message always starts with the config path so the user knows what to fix. */
export class ConfigError extends Error {
  override name = "ConfigError";
  readonly path: string;
  readonly problem: string;
  // Plain fields, not parameter properties: the CLI imports this under Node's type stripping.
  constructor(path: string, problem: string) {
    super(`${path}: ${problem}`);
    this.path = path;
    this.problem = problem;
  }
}
