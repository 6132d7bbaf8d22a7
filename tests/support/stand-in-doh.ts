/**
 * A DNS-over-HTTPS resolver speaking Cloudflare's JSON API (`GET /dns-query?name=…&type=A|AAAA` with
 * `accept: application/dns-json`), answering from a fixed zone of public, private and mixed names.
 * `<a.b.c.d>.nip.io` answers that address, like the public nip.io service.
 */
import { listen, sendJson, type RunningStandIn } from "./http-stand-in.ts";

type Record_ = { type: "A" | "AAAA" | "CNAME"; data: string };

export const DOH_ZONE: Record<string, Record_[]> = {
  "public.example": [{ type: "A", data: "93.184.216.34" }],
  "multi-public.example": [
    { type: "A", data: "93.184.216.34" },
    { type: "A", data: "151.101.1.67" },
    { type: "AAAA", data: "2606:4700::1111" },
  ],
  "private.example": [{ type: "A", data: "10.0.0.5" }],
  "loopback.example": [{ type: "A", data: "127.0.0.1" }],
  "mixed.example": [
    { type: "A", data: "93.184.216.34" },
    { type: "A", data: "192.168.1.10" },
  ],
  "mixed-v6.example": [
    { type: "A", data: "93.184.216.34" },
    { type: "AAAA", data: "::1" },
  ],
  "ula.example": [{ type: "AAAA", data: "fd12:3456::1" }],
  "mapped.example": [{ type: "AAAA", data: "::ffff:a9fe:a9fe" }],
  "cname-private.example": [
    { type: "CNAME", data: "internal-target.example." },
    { type: "A", data: "172.16.5.4" },
  ],
  "metadata-alias.example": [{ type: "A", data: "169.254.169.254" }],
  "cgnat.example": [{ type: "A", data: "100.64.1.1" }],
};

const TYPE_CODES = { A: 1, AAAA: 28, CNAME: 5 } as const;

export async function startDoh(): Promise<RunningStandIn> {
  const queries: string[] = [];
  return listen((req, res) => {
    const url = new URL(req.url ?? "/", "http://stand-in");
    if (url.pathname === "/__queries") return sendJson(res, 200, queries);
    if (url.pathname !== "/dns-query") return sendJson(res, 404, { error: "not found" });
    if (!String(req.headers.accept ?? "").includes("application/dns-json"))
      return sendJson(res, 400, { error: "Accept: application/dns-json is required" });
    const name = (url.searchParams.get("name") ?? "").toLowerCase().replace(/\.$/, "");
    const type = (url.searchParams.get("type") ?? "A").toUpperCase() as "A" | "AAAA";
    queries.push(`${name}/${type}`);
    const nip = /^(\d+\.\d+\.\d+\.\d+)\.nip\.io$/.exec(name);
    const records = nip ? [{ type: "A" as const, data: nip[1] }] : DOH_ZONE[name];
    const question = [{ name: `${name}.`, type: TYPE_CODES[type] ?? 1 }];
    if (!records) return sendJson(res, 200, { Status: 3, TC: false, RD: true, RA: true, AD: false, CD: false, Question: question });
    const answer = records
      .filter((r) => r.type === type || r.type === "CNAME")
      .map((r) => ({ name: `${name}.`, type: TYPE_CODES[r.type], TTL: 300, data: r.data }));
    return sendJson(res, 200, { Status: 0, TC: false, RD: true, RA: true, AD: false, CD: false, Question: question, Answer: answer }, {
      "content-type": "application/dns-json",
    });
  });
}
