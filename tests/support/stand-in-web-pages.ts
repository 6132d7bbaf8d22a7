/**
 * Web pages for web_fetch and the SSRF guard tests, served on loopback: an article wrapped in nav/ads/footer,
 * a 20 MB streamed body, JSON, an image, plain text, a PDF and a DOCX, redirect chains (to anywhere, including private
 * addresses), cacheable and no-store pages. Every request is counted by path: `GET /__hits?path=/x` → `{hits}`;
 * `GET /__stats?path=/big/x` → how many bytes of a streamed body were written and whether it finished.
 */
import type http from "node:http";
import { makeDocx, makePdf } from "./document-fixtures.ts";
import { listen, sendJson, type RunningStandIn } from "./http-stand-in.ts";
import { articleHtml, BIG_BODY_BYTES, PNG_1PX_BASE64 } from "./web-fixtures.ts";

const PNG_1PX = Buffer.from(PNG_1PX_BASE64, "base64");


async function streamBig(res: http.ServerResponse, stats: { bytes: number; finished: boolean }) {
  res.writeHead(200, { "content-type": "text/plain; charset=utf-8", "content-length": String(BIG_BODY_BYTES) });
  const chunk = Buffer.alloc(64 * 1024, "lorem ipsum dolor sit amet\n");
  let closed = false;
  res.on("close", () => (closed = true));
  while (stats.bytes < BIG_BODY_BYTES && !closed) {
    const ok = res.write(chunk);
    stats.bytes += chunk.length;
    // Both listeners go once either fires: left behind, they pile up to a MaxListenersExceededWarning on a long body.
    if (!ok) await new Promise<void>((resolve) => {
      const done = () => { res.off("drain", done); res.off("close", done); resolve(); };
      res.once("drain", done);
      res.once("close", done);
    });
  }
  if (!closed) {
    stats.finished = true;
    res.end();
  }
}

export async function startWebPages(host = "127.0.0.1"): Promise<RunningStandIn> {
  const hits = new Map<string, number>();
  const streams = new Map<string, { bytes: number; finished: boolean }>();

  return listen(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://stand-in");
    const path = url.pathname;
    if (path === "/__hits") return sendJson(res, 200, { hits: hits.get(url.searchParams.get("path") ?? "") ?? 0 });
    if (path === "/__stats") return sendJson(res, 200, streams.get(url.searchParams.get("path") ?? "") ?? { bytes: 0, finished: false });
    const count = (hits.get(path) ?? 0) + 1;
    hits.set(path, count);

    if (path.startsWith("/article")) return res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(articleHtml());
    if (path.startsWith("/big/")) {
      const stats = { bytes: 0, finished: false };
      streams.set(path, stats);
      return streamBig(res, stats);
    }
    if (path.startsWith("/json/"))
      return res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ name: "nanobot", tags: ["edge", "agent"], nested: { ok: true } }));
    if (path.startsWith("/image")) return res.writeHead(200, { "content-type": "image/png", "content-length": String(PNG_1PX.length) }).end(PNG_1PX);
    if (path.startsWith("/text/")) return res.writeHead(200, { "content-type": "text/plain" }).end("plain text body\nsecond line");
    if (path.startsWith("/pdf/")) {
      return void makePdf([["Annual report 2026", "Profit rose"], ["Outlook: steady"]]).then((bytes) =>
        res.writeHead(200, { "content-type": "application/pdf" }).end(Buffer.from(bytes)),
      );
    }
    if (path.startsWith("/docx/")) {
      return res.writeHead(200, { "content-type": "application/vnd.openxmlformats-officedocument.wordprocessingml.document" }).end(Buffer.from(makeDocx(["Meeting notes", "Ship on Friday"])));
    }
    if (path.startsWith("/octet-pdf/")) {
      return void makePdf([["Served as octet-stream"]]).then((bytes) => res.writeHead(200, { "content-type": "application/octet-stream" }).end(Buffer.from(bytes)));
    }
    if (path.startsWith("/fake-pdf/")) return res.writeHead(200, { "content-type": "application/pdf" }).end("<html>not a pdf</html>");
    if (path.startsWith("/redirect")) {
      const to = url.searchParams.get("to") ?? "/article";
      return res.writeHead(Number(url.searchParams.get("status") ?? 302), { location: to }).end();
    }
    const chain = /^\/chain\/(\d+)\/(.+)$/.exec(path);
    if (chain) {
      const left = Number(chain[1]);
      const location = left <= 0 ? `/article/${chain[2]}` : `/chain/${left - 1}/${chain[2]}`;
      return res.writeHead(302, { location }).end();
    }
    if (path.startsWith("/counted/"))
      return res.writeHead(200, { "content-type": "text/plain", "cache-control": "max-age=60" }).end(`visit number ${count}`);
    if (path.startsWith("/no-store/"))
      return res.writeHead(200, { "content-type": "text/plain", "cache-control": "no-store" }).end(`visit number ${count}`);
    res.writeHead(404, { "content-type": "text/plain" }).end(`no page at ${path}`);
  }, host);
}

/**
 * A page server on 127.0.0.2 (a private address no test whitelists): a request reaching it means the guard
 * let a private target through. Falls back to 127.0.0.1 where 127.0.0.2 cannot be bound.
 */
export async function startCanary(): Promise<RunningStandIn> {
  try {
    return await startWebPages("127.0.0.2");
  } catch {
    return startWebPages("127.0.0.1");
  }
}
