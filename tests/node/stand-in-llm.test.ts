import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStandInLlm, type StandInLlm } from "../support/stand-in-llm.ts";

let llm: StandInLlm;
beforeAll(async () => {
  llm = await startStandInLlm();
});
afterAll(() => llm.close());

describe("stand-in LLM", () => {
  it("should echo without a script and follow a script when the token matches", async () => {
    const ask = (text: string) =>
      fetch(`${llm.url}/v1/chat/completions`, {
        method: "POST",
        body: JSON.stringify({ model: "m", messages: [{ role: "user", content: text }] }),
      }).then((r) => r.json() as Promise<any>);
    expect((await ask("hi")).choices[0].message.content).toBe("echo: hi");
    await fetch(`${llm.url}/__scripts`, { method: "POST", body: JSON.stringify({ match: "tok-1", steps: [{ content: "scripted" }] }) });
    expect((await ask("please tok-1")).choices[0].message.content).toBe("scripted");
    expect((await ask("please tok-1")).choices[0].message.content).toBe("echo: please tok-1");
  });
});
