// "Did you mean ...?" for names a user can mistype: options, commands, built-in shapes, demos.

/** Edit distance (insertions, deletions, substitutions, adjacent swaps) between a and b. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
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

/**
 * The known name closest to `name`, when it is close enough to be a slip (at most a third of
 * its letters differ, or one is a prefix of the other); else null.
 */
export function closestName(name: string, known: Iterable<string>): string | null {
  const lower = name.toLowerCase();
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const k of known) {
    const kl = k.toLowerCase();
    const d = kl.startsWith(lower) || lower.startsWith(kl) ? Math.min(1, editDistance(lower, kl)) : editDistance(lower, kl);
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best !== null && bestDistance <= Math.max(1, Math.floor(name.length / 3)) ? best : null;
}

/** ` Did you mean 'x'?` for an error message, or '' when nothing is close. `format` spells a name as the user would type it. */
export function didYouMean(name: string, known: Iterable<string>, format: (k: string) => string = (k) => `'${k}'`): string {
  const best = closestName(name, known);
  return best === null ? '' : ` Did you mean ${format(best)}?`;
}
