/**
 * The OpenAI media endpoints, served by the stand-in LLM (same base URL): `POST …/audio/transcriptions`
 * (multipart `file` + `model`, answers `{text}`) and `POST …/images/generations` (JSON, answers `{data:
 * [{b64_json}]}` with a small real PNG per image). Both check the bearer key like OpenAI (401 without one).
 *
 * Scripts: `POST /__media-scripts {match, text?, status?}`: an upload whose bytes (or a prompt that) contain `match`
 * gets `text` (or fails with `status`); without a script a transcription is `transcribed: <the file's bytes as UTF-8>`.
 * Recordings: `GET /__media-requests?match=…` lists calls whose file or prompt contained `match`.
 */
import type http from "node:http";

interface MediaRequest {
  path: string;
  authorization?: string;
  fields: Record<string, string>;
  file?: { name: string; type: string; size: number; text: string };
  /** What the stand-in answered with (images: the base64 PNGs). */
  images?: string[];
}

/** A valid 1×1 PNG (red pixel); each generated image differs in the tEXt chunk that carries the prompt. */
function png(note: string): Buffer {
  const crc = (buf: Buffer) => {
    let c = ~0;
    for (const b of buf) {
      c ^= b;
      for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
    }
    return (~c >>> 0);
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const ihdr = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
  const idat = Buffer.from("789c63f8cfc0000003010100", "hex");
  return Buffer.concat([Buffer.from("89504e470d0a1a0a", "hex"), chunk("IHDR", ihdr), chunk("tEXt", Buffer.from(`Comment\0${note}`, "latin1")), chunk("IDAT", idat), chunk("IEND", Buffer.alloc(0))]);
}

export function createMediaHandler() {
  const scripts: Array<{ match: string; text?: string; status?: number }> = [];
  const recorded: MediaRequest[] = [];

  /** Handles the media paths and controls; false when the request is not one of them. */
  return async function handle(req: http.IncomingMessage, res: http.ServerResponse, url: URL, raw: Buffer): Promise<boolean> {
    const json = (status: number, body: unknown) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    if (url.pathname === "/__media-scripts" && req.method === "POST") {
      scripts.push(JSON.parse(raw.toString()));
      res.writeHead(204).end();
      return true;
    }
    if (url.pathname === "/__media-requests") {
      const match = url.searchParams.get("match") ?? "";
      json(200, recorded.filter((r) => (r.file?.text ?? "").includes(match) || (r.fields.prompt ?? "").includes(match)));
      return true;
    }
    const isAudio = url.pathname.endsWith("/audio/transcriptions");
    const isImages = url.pathname.endsWith("/images/generations");
    const isEdits = url.pathname.endsWith("/images/edits");
    if (!isAudio && !isImages && !isEdits) return false;
    const authorization = req.headers.authorization;
    const record: MediaRequest = { path: url.pathname, authorization, fields: {} };
    if (isAudio) {
      const form = await new Response(raw, { headers: { "content-type": String(req.headers["content-type"] ?? "") } }).formData().catch(() => null);
      const file = form?.get("file");
      for (const [k, v] of form?.entries() ?? []) if (typeof v === "string") record.fields[k] = v;
      if (file && typeof file !== "string") {
        const bytes = Buffer.from(await file.arrayBuffer());
        record.file = { name: file.name, type: file.type, size: bytes.length, text: bytes.toString("latin1") };
      }
      recorded.push(record);
      if (!authorization?.startsWith("Bearer ")) return json(401, { error: { message: "You didn't provide an API key.", type: "invalid_request_error" } }), true;
      if (!record.file || !record.fields.model) return json(400, { error: { message: "file and model are required", type: "invalid_request_error" } }), true;
      const script = scripts.find((s) => record.file!.text.includes(s.match));
      if (script?.status) return json(script.status, { error: { message: `stand-in transcription error ${script.status}`, type: "server_error" } }), true;
      return json(200, { text: script?.text ?? `transcribed: ${Buffer.from(record.file.text, "latin1").toString("utf8")}` }), true;
    }
    let body: Record<string, any>;
    if (isEdits) {
      // OpenAI's edits: multipart with the prompt and the reference images as `image[]`.
      const form = await new Response(raw, { headers: { "content-type": String(req.headers["content-type"] ?? "") } }).formData().catch(() => null);
      body = {};
      for (const [k, v] of form?.entries() ?? []) if (typeof v === "string") body[k] = v;
      const refs = (form?.getAll("image[]") ?? []).filter((f): f is File => typeof f !== "string");
      record.fields.references = JSON.stringify(await Promise.all(refs.map(async (f) => ({ name: f.name, type: f.type, base64: Buffer.from(await f.arrayBuffer()).toString("base64") }))));
      if (!refs.length) return json(400, { error: { message: "image is required", type: "invalid_request_error" } }), true;
    } else body = JSON.parse(raw.toString() || "{}");
    for (const [k, v] of Object.entries(body)) record.fields[k] = String(v);
    recorded.push(record);
    if (!authorization?.startsWith("Bearer ")) return json(401, { error: { message: "You didn't provide an API key.", type: "invalid_request_error" } }), true;
    if (!body.prompt) return json(400, { error: { message: "prompt is required", type: "invalid_request_error" } }), true;
    const script = scripts.find((s) => String(body.prompt).includes(s.match));
    if (script?.status) return json(script.status, { error: { message: `stand-in image error ${script.status}`, type: "server_error" } }), true;
    record.images = Array.from({ length: Number(body.n ?? 1) }, (_, i) => png(`${body.prompt} #${i + 1}`).toString("base64"));
    json(200, { created: Math.floor(Date.now() / 1000), data: record.images.map((b64_json) => ({ b64_json })) });
    return true;
  };
}
