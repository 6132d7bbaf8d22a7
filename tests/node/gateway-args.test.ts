import { describe, expect, it } from "vitest";
import { parseGatewayArgs } from "../../scripts/lib/gateway-args.ts";

describe("npm start argument handling", () => {
  it("should default to 127.0.0.1:8787 without a persist dir", () => {
    expect(parseGatewayArgs([])).toMatchObject({ port: 8787, ip: "127.0.0.1", persistTo: null, hasPort: false, passthrough: [] });
  });

  it("should read --port and --persist-to in both spellings and pass everything through unchanged", () => {
    const args = ["--port", "8799", "--var", 'NANOBOT_CONFIG:{"a":1}', "--persist-to=/tmp/x"];
    const parsed = parseGatewayArgs(["--", ...args]);
    expect(parsed).toMatchObject({ port: 8799, hasPort: true, persistTo: "/tmp/x" });
    expect(parsed.passthrough).toEqual(args);
  });

  it("should reject a port that is not a number", () => {
    expect(() => parseGatewayArgs(["--port", "abc"])).toThrow("--port must be a port number");
  });
});
