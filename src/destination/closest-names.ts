// "Did you mean": the field names a user most likely meant by a column Marketo does not know.

/** Levenshtein distance, with one row of memory. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * Up to `most` names from `candidates` close to `name`: the ones equal but for case, else the ones at the smallest
 * edit distance (case ignored) within a third of the name's length, at least 2.
 */
export function closestNames(name: string, candidates: readonly string[], most = 3): string[] {
  const lower = name.toLowerCase();
  const sameButCase = candidates.filter((c) => c.toLowerCase() === lower);
  if (sameButCase.length > 0) return sameButCase.slice(0, most);
  const limit = Math.max(2, Math.floor(name.length / 3));
  const scored = candidates
    .map((candidate) => ({ candidate, distance: editDistance(lower, candidate.toLowerCase()) }))
    .filter((s) => s.distance <= limit)
    .sort((a, b) => a.distance - b.distance || a.candidate.localeCompare(b.candidate));
  const best = scored[0]?.distance;
  return scored.filter((s) => s.distance === best).slice(0, most).map((s) => s.candidate);
}
