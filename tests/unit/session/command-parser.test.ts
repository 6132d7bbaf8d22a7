import { describe, expect, it } from "vitest";
import { parseCommand } from "../../../durable-objects/session/commands/command-router.ts";

describe("slash command parsing", () => {
  it.each([
    ["/help", { name: "/help", args: "" }],
    ["/model fast", { name: "/model", args: "fast" }],
    ["/history@my_bot 5", { name: "/history", args: "5" }],
    ["/dream_log", { name: "/dream-log", args: "" }],
    ["  /STOP  ", { name: "/stop", args: "" }],
  ])("should parse %s", (text, expected) => {
    expect(parseCommand(text)).toEqual(expected);
  });

  it("should not treat paths or plain text as commands", () => {
    expect(parseCommand("/etc/passwd is a file")).toBeNull();
    expect(parseCommand("hello /help")).toBeNull();
    expect(parseCommand("/ alone")).toBeNull();
  });
});
