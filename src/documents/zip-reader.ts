/**
 * A small ZIP reader for Office documents (DOCX/XLSX/PPTX are ZIP archives of XML). It reads the central
 * directory and inflates members with the runtime's own DecompressionStream, so no library ships in the bundle.
 */
export class DocumentError extends Error {
  override name = "DocumentError";
}

// Zip bombs: an Office file whose parts expand past these is refused (nanobot uses similar ceilings).
const MAX_ENTRIES = 10_000;
const MAX_MEMBER_BYTES = 64 * 1024 * 1024;

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  offset: number;
  encrypted: boolean;
}

const u16 = (b: Uint8Array, at: number) => b[at] | (b[at + 1] << 8);
const u32 = (b: Uint8Array, at: number) => (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;

export const isZip = (bytes: Uint8Array) => bytes.length > 4 && u32(bytes, 0) === 0x04034b50;

export function zipEntries(bytes: Uint8Array): Map<string, ZipEntry> {
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (u32(bytes, i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new DocumentError("not a valid ZIP archive (no central directory)");
  const count = u16(bytes, eocd + 10);
  if (count > MAX_ENTRIES) throw new DocumentError(`archive has too many parts (${count})`);
  let at = u32(bytes, eocd + 16);
  const entries = new Map<string, ZipEntry>();
  const decoder = new TextDecoder();
  for (let i = 0; i < count; i++) {
    if (u32(bytes, at) !== 0x02014b50) throw new DocumentError("damaged ZIP central directory");
    const nameLength = u16(bytes, at + 28);
    const extra = u16(bytes, at + 30);
    const comment = u16(bytes, at + 32);
    const name = decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength));
    entries.set(name, {
      name,
      encrypted: (u16(bytes, at + 8) & 1) === 1,
      method: u16(bytes, at + 10),
      compressedSize: u32(bytes, at + 20),
      size: u32(bytes, at + 24),
      offset: u32(bytes, at + 42),
    });
    at += 46 + nameLength + extra + comment;
  }
  return entries;
}

export async function readZipText(bytes: Uint8Array, entry: ZipEntry): Promise<string> {
  if (entry.encrypted) throw new DocumentError("encrypted (password-protected) documents are not supported");
  if (entry.size > MAX_MEMBER_BYTES) throw new DocumentError(`part ${entry.name} expands beyond ${MAX_MEMBER_BYTES} bytes`);
  const local = entry.offset;
  if (u32(bytes, local) !== 0x04034b50) throw new DocumentError(`damaged ZIP entry ${entry.name}`);
  const start = local + 30 + u16(bytes, local + 26) + u16(bytes, local + 28);
  const data = bytes.subarray(start, start + entry.compressedSize);
  if (entry.method === 0) return new TextDecoder().decode(data);
  if (entry.method !== 8) throw new DocumentError(`unsupported ZIP compression method ${entry.method}`);
  const stream = new Blob([data]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
  return new TextDecoder().decode(await new Response(stream).arrayBuffer());
}
