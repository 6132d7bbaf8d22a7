const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
/** Largest multiple of 36 below 256: bytes at or above it are redrawn so every character is equally likely. */
const CUTOFF = 252;

/** `XXXX-XXXX` from A–Z0–9 with a CSPRNG (36^8 ≈ 2.8e12 codes; they live 10 minutes). */
export function newPairingCode(): string {
  const chars: string[] = [];
  while (chars.length < 8) {
    for (const byte of crypto.getRandomValues(new Uint8Array(16))) {
      if (byte < CUTOFF && chars.length < 8) chars.push(ALPHABET[byte % 36]);
    }
  }
  return `${chars.slice(0, 4).join("")}-${chars.slice(4).join("")}`;
}

/** Accepts lower case and a missing dash, as people type codes. */
export function normalizePairingCode(input: string): string | null {
  const compact = input.trim().toUpperCase().replace(/[\s-]/g, "");
  return /^[A-Z0-9]{8}$/.test(compact) ? `${compact.slice(0, 4)}-${compact.slice(4)}` : null;
}
