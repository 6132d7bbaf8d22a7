import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { eventually, postSlack, runSession, slackCalls, slackChannelId, slackEvent, slackTs } from "../support/channel-script.ts";
import { makePdf } from "../support/document-fixtures.ts";
import { llmRequests, scriptLlm, standIns, uniqueToken } from "../support/llm-script.ts";

function base64(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

describe("a PDF sent on Slack", () => {
  it("should reach the model as text and be paged with read_file", async () => {
    const channel = slackChannelId("D");
    const token = uniqueToken("slackpdf");
    const pdf = await makePdf([["Contract draft", "Parties: A and B"], ["Clause 2: payment within 30 days"], ["Signatures"]]);
    await fetch(`${standIns().slack}/__files`, { method: "POST", body: JSON.stringify({ name: `${token}.pdf`, base64: base64(pdf), mimeType: "application/pdf" }) });
    const files = [{ id: "F1", name: `${token}.pdf`, mimetype: "application/pdf", url_private_download: `${standIns().slack}/files/${token}.pdf` }];
    await postSlack(slackEvent({ type: "message", subtype: "file_share", channel, channel_type: "im", user: "U1", text: `review this ${token}`, ts: slackTs(), files }));

    // The file is downloaded when the turn starts; the model's read_file names the path it is told ({{attached}}).
    await scriptLlm(token, [{ toolCalls: [{ name: "read_file", arguments: { path: "{{attached}}", offset: 5, limit: 2 } }] }, { content: `Reviewed ${token}` }]);
    await runSession(`slack:${channel}`);

    await eventually(async () => (await slackCalls(channel, "chat.postMessage")).some((c) => c.params.text === `Reviewed ${token}`));
    const listed = await env.WORKSPACE.list({ prefix: "workspaces/main/media/" });
    const path = listed.objects.map((o) => o.key).find((k) => k.endsWith(`-${token}.pdf`))!.slice("workspaces/main/".length);
    const requests = await llmRequests(token);
    const firstUser = JSON.stringify(requests[0].body.messages.filter((m: any) => m.role === "user"));
    expect(firstUser).toContain(`[Attached file: ${path} (${token}.pdf), PDF, 3 pages; its text:]`);
    expect(firstUser).toContain("Clause 2: payment within 30 days");
    const tools = (requests[requests.length - 1].body.messages as any[]).filter((m) => m.role === "tool").map((m) => String(m.content));
    expect(tools[0]).toContain("5| --- Page 2 ---\n6| Clause 2: payment within 30 days\n\n(Showing lines 5-6 of 9. Use offset=7 to continue.)");
  });
});
