import { describe, expect, it } from "vitest";
import { loadConfigFrom } from "../../../src/config/load-config.ts";
import type { Config } from "../../../src/config/schema.ts";
import { conversationKey } from "../../../src/session-protocol/session-key.ts";
import { workspaceIdFor } from "../../../src/session-protocol/workspace-id.ts";

function config(agents: Record<string, unknown>): Config {
  const result = loadConfigFrom({ agents }, undefined, {});
  if (!result.ok) throw new Error(result.error.message);
  return result.config;
}

const groupMessage = (senderId: string) => ({ channel: "telegram", senderId, isGroup: true });

describe("session keys and isolation", () => {
  it("should give each member of a group their own session and workspace with isolation user", () => {
    const c = config({ isolation: "user" });
    const [a, b] = [groupMessage("41"), groupMessage("42")];
    expect(conversationKey(c, a, "telegram:-100")).toBe("telegram:-100:user:41");
    expect(conversationKey(c, b, "telegram:-100")).toBe("telegram:-100:user:42");
    expect(workspaceIdFor(c, a)).toBe("main@telegram-41");
    // A DM already is one person: its key stays the chat's.
    expect(conversationKey(c, { channel: "telegram", senderId: "41", isGroup: false }, "telegram:41")).toBe("telegram:41");
  });

  it("should keep one session per group chat with isolation agent (one workspace for everybody)", () => {
    const c = config({});
    expect(conversationKey(c, groupMessage("41"), "telegram:-100")).toBe("telegram:-100");
    expect(workspaceIdFor(c, groupMessage("41"))).toBe("main");
  });

  it("should give each user their own unified conversation when unifiedSession meets isolation user", () => {
    const shared = config({ defaults: { unifiedSession: true } });
    expect(conversationKey(shared, { channel: "telegram", senderId: "41" }, "telegram:41")).toBe("unified:default");
    const perUser = config({ isolation: "user", defaults: { unifiedSession: true } });
    expect(conversationKey(perUser, { channel: "telegram", senderId: "41" }, "telegram:41")).toBe("unified:main@telegram-41");
    expect(conversationKey(perUser, { channel: "api", senderId: "cli" }, "api:cli")).toBe("unified:main@api-cli");
    // Threads stay conversations of their own, per member in groups.
    expect(conversationKey(perUser, { ...groupMessage("41"), threadId: "7" }, "telegram:-100:topic:7")).toBe("telegram:-100:topic:7:user:41");
  });

  it("should keep sender ids that are not key-safe inside their own segment", () => {
    const c = config({ isolation: "user" });
    expect(conversationKey(c, { channel: "email", senderId: "a:b/c@d", isGroup: true }, "email:x")).toBe("email:x:user:a_b_c_d");
  });
});
