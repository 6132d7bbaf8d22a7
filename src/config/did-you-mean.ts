/** "Did you mean" for unknown config keys: the closest known key by edit distance, adjacent swaps counting once. */

/** Edit distance with adjacent swaps counting once (also the tool registry's "Did you mean"). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** The known key a typo most likely meant, or null when none is close enough to suggest. */
export function closestKey(key: string, known: readonly string[]): string | null {
  const wanted = key.toLowerCase().replace(/[_-]/g, "");
  let best: string | null = null;
  let bestScore = Infinity;
  for (const candidate of known) {
    const plain = candidate.toLowerCase();
    let score = editDistance(wanted, plain);
    // "token" for "botToken", "search" for "webSearch": a known key containing the typed one is a good guess.
    if (score > 2 && wanted.length >= 4 && (plain.includes(wanted) || wanted.includes(plain))) score = 2;
    if (score < bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  const allowed = wanted.length <= 3 ? 1 : wanted.length <= 6 ? 2 : 3;
  return bestScore <= allowed ? best : null;
}
