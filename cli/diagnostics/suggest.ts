/** "Did you mean" for misspelt keys: the closest known key within a small edit distance. */
export function suggestKey(unknown: string, known: readonly string[]): string | undefined {
  const normalised = normalise(unknown);
  // `url_path`, `urlPath` and `URL-PATH` are the same mistake: the spelling, not the word.
  const sameWord = known.find((k) => normalise(k) === normalised);
  if (sameWord) return sameWord;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const distance = editDistance(unknown.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const allowed = Math.max(1, Math.floor(unknown.length / 3));
  return bestDistance <= allowed ? best : undefined;
}

function normalise(key: string): string {
  return key.toLowerCase().replace(/[-_\s]/g, '');
}

function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0]!;
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j]!;
      previous[j] = Math.min(
        above + 1,
        previous[j - 1]! + 1,
        diagonal + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      diagonal = above;
    }
  }
  return previous[b.length]!;
}
