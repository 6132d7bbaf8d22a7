const encoder = new TextEncoder();

/**
 * Compares secrets without leaking their length or common prefix through timing: both sides are hashed
 * first so the comparison always covers 32 bytes, then compared with the runtime's constant-time check.
 */
export async function timingSafeEqual(a: string, b: string): Promise<boolean> {
  const [ha, hb] = await Promise.all([
    crypto.subtle.digest("SHA-256", encoder.encode(a)),
    crypto.subtle.digest("SHA-256", encoder.encode(b)),
  ]);
  return crypto.subtle.timingSafeEqual(ha, hb) && a.length === b.length;
}
