import { describe, expect, it } from "vitest";
import { isSplittableAudio, splitMp3 } from "../../../src/media/audio-chunks.ts";

/** An MPEG-1 Layer III frame header (128 kbit/s, 44.1 kHz) followed by filler bytes that contain no sync word. */
function frame(size: number): Uint8Array {
  const bytes = new Uint8Array(size).fill(0x55);
  bytes.set([0xff, 0xfb, 0x90, 0x64]);
  return bytes;
}

const concat = (parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) out.set(p, (at += p.length) - p.length);
  return out;
};

describe("splitMp3", () => {
  it("should cut only at frame headers, keep every byte, and keep each piece within the limit", () => {
    const id3 = new Uint8Array(100).fill(0x20);
    const mp3 = concat([id3, ...Array.from({ length: 50 }, () => frame(417))]);
    const pieces = splitMp3(mp3, 4000)!;
    expect(pieces.length).toBeGreaterThan(5);
    expect(pieces.every((p) => p.length <= 4000)).toBe(true);
    expect(pieces.slice(1).every((p) => p[0] === 0xff && p[1] === 0xfb)).toBe(true);
    expect(concat(pieces)).toEqual(mp3);
  });

  it("should return the bytes whole when they fit, and null for bytes without frames", () => {
    const small = frame(417);
    expect(splitMp3(small, 4000)).toEqual([small]);
    expect(splitMp3(new Uint8Array(10_000).fill(0x41), 4000)).toBeNull();
  });

  it("should treat only MP3 as splittable", () => {
    expect(isSplittableAudio("audio/mpeg")).toBe(true);
    expect(isSplittableAudio("application/octet-stream", "talk.mp3")).toBe(true);
    expect(isSplittableAudio("audio/ogg", "voice.ogg")).toBe(false);
    expect(isSplittableAudio("audio/wav")).toBe(false);
  });
});
