import { describe, expect, it } from "vitest";
import { resolveConfig } from "../../../src/config/resolve-config.ts";

const resolve = (text: string) => resolveConfig({ name: "nanobot.config.json", text }, undefined, {});
const errorOf = (text: string): string => {
  const result = resolve(text);
  if (result.ok) throw new Error("expected an invalid config");
  return result.error.message;
};

describe("limits and schedule settings", () => {
  it("should refuse a dream.cron that is not a cron expression, naming the key", () => {
    expect(errorOf('{"agents": {"defaults": {"dream": {"cron": "every night"}}}}')).toBe(
      'agents.defaults.dream.cron: not a cron expression: use 5 fields (minute hour day-of-month month day-of-week), e.g. "0 3 * * *"',
    );
    const ok = resolve('{"agents": {"defaults": {"dream": {"cron": "15 3 * * 1-5"}}}}');
    expect(ok.ok && ok.config.agents.defaults.dream.cron).toBe("15 3 * * 1-5");
  });

  it("should default every body limit and refuse unknown or tiny ones", () => {
    const ok = resolve("{}");
    expect(ok.ok && ok.config.limits).toEqual({ webhookBodyBytes: 1048576, uploadBodyBytes: 10551296, triggerBodyBytes: 65536, controlBodyBytes: 65536 });
    expect(ok.ok && ok.config.api.maxBodyBytes).toBe(8388608);
    expect(errorOf('{"limits": {"webhookBodyByte": 5}}')).toBe('limits.webhookBodyByte: unknown key (did you mean "webhookBodyBytes"?)');
    expect(errorOf('{"limits": {"triggerBodyBytes": 10}}')).toContain("limits.triggerBodyBytes");
  });
});
