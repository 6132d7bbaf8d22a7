import { api } from "./api.ts";

interface Channel {
  name: string;
  enabled: boolean;
  webhook: string;
  allowFrom: string[];
  statusError?: string;
}
interface PairingRequest {
  code: string;
  channel: string;
  senderId: string;
  senderName?: string;
}
interface Job {
  id: string;
  name: string;
  message: string;
  session: string;
  nextRunAt: number;
  schedule: unknown;
}

const el = (tag: string, text?: string, className?: string) => {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
};

function table(headers: string[], rows: Array<Array<string | Node>>): HTMLElement {
  if (!rows.length) return el("p", "None.", "muted");
  const t = el("table");
  const head = el("tr");
  for (const h of headers) head.append(el("th", h));
  t.append(head);
  for (const row of rows) {
    const tr = el("tr");
    for (const cell of row) {
      const td = el("td");
      td.append(cell);
      tr.append(td);
    }
    t.append(tr);
  }
  return t;
}

/** Channels status, pending pairing requests (approve / deny) and scheduled jobs, from the admin API. */
export async function renderSettings(root: HTMLElement): Promise<void> {
  root.replaceChildren(el("h2", "Settings"), el("p", "Loading…", "muted"));
  try {
    const [channels, pairing, cron] = await Promise.all([
      api<{ channels: Channel[] }>("/admin/channels"),
      api<{ pending: PairingRequest[] }>("/admin/pairing"),
      api<{ jobs: Job[] }>("/api/cron"),
    ]);
    const decide = (action: "approve" | "deny", code: string) => async () => {
      await api(`/admin/pairing/${action}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ code }) });
      await renderSettings(root);
    };
    const pairingRows = pairing.pending.map((p) => {
      const actions = el("span");
      const yes = el("button", "Approve", "primary");
      yes.onclick = decide("approve", p.code);
      const no = el("button", "Deny", "danger");
      no.onclick = decide("deny", p.code);
      actions.append(yes, no);
      return [p.code, p.channel, p.senderName ? `${p.senderName} (${p.senderId})` : p.senderId, actions];
    });
    root.replaceChildren(
      el("h2", "Settings"),
      el("h3", "Channels"),
      table(["Channel", "Status", "Webhook", "Allowed"], channels.channels.map((c) => [c.name, c.statusError ? `error: ${c.statusError}` : c.enabled ? "enabled" : "disabled", c.webhook, c.allowFrom.join(", ") || "—"])),
      el("h3", "Pairing requests"),
      table(["Code", "Channel", "Sender", ""], pairingRows),
      el("h3", "Scheduled jobs"),
      table(["Name", "Message", "Session", "Next run"], cron.jobs.map((j) => [j.name, j.message, j.session, j.nextRunAt ? new Date(j.nextRunAt).toLocaleString() : "—"])),
    );
  } catch (err) {
    root.replaceChildren(el("h2", "Settings"), el("p", `Could not load settings: ${(err as Error).message}`, "error"));
  }
}
