/**
 * A Worker cannot decode audio, so long audio is split by bytes only where that is valid: MP3 is a sequence
 * of self-contained frames, each starting with an 11-bit sync word, so cutting just before a frame header
 * gives pieces every decoder accepts. Containers with one header up front (OGG/Opus, WAV, M4A, WebM) are
 * not split; they are sent whole when they fit and refused with a reason when they do not.
 */

/** True for an MPEG audio frame header at `i` (sync word, valid version/layer/bitrate/sample-rate fields). */
function isFrameHeader(b: Uint8Array, i: number): boolean {
  if (i + 3 >= b.length || b[i] !== 0xff || (b[i + 1] & 0xe0) !== 0xe0) return false;
  const version = (b[i + 1] >> 3) & 0x3;
  const layer = (b[i + 1] >> 1) & 0x3;
  const bitrate = (b[i + 2] >> 4) & 0xf;
  const rate = (b[i + 2] >> 2) & 0x3;
  return version !== 1 && layer !== 0 && bitrate !== 0 && bitrate !== 0xf && rate !== 3;
}

export const isSplittableAudio = (mimeType: string, name = "") => /^audio\/(mpeg|mp3)$/i.test(mimeType) || /\.mp3$/i.test(name);

/**
 * Cuts MP3 bytes into pieces of at most `maxBytes`, each starting at a frame header (the first piece keeps
 * any ID3 tag). Returns null when no frame boundary is found inside a window (not really MP3).
 */
export function splitMp3(bytes: Uint8Array, maxBytes: number): Uint8Array[] | null {
  if (bytes.length <= maxBytes) return [bytes];
  const pieces: Uint8Array[] = [];
  let start = 0;
  while (bytes.length - start > maxBytes) {
    let cut = start + maxBytes;
    while (cut > start && !isFrameHeader(bytes, cut)) cut--;
    if (cut <= start) return null;
    pieces.push(bytes.subarray(start, cut));
    start = cut;
  }
  pieces.push(bytes.subarray(start));
  return pieces;
}
