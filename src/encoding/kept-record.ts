/**
 * A field nested deeper than this is not kept in a rejected record. Structured clone (a rejected record goes from an
 * encoder thread to the main thread) overflows the stack at about 2,000 levels on the main thread, JSON.stringify (the
 * files of rejected records) at about 4,000; JSON.parse, iterative, reads any depth.
 */
export const MAX_KEPT_DEPTH = 1000;

/** A rejected record as it can be kept: the record as received, each field nested deeper than MAX_KEPT_DEPTH nulled. */
export interface KeptRecord {
  record: Record<string, unknown>;
  /** The fields that were nulled. */
  nulled?: string[];
}

export function keptRecord(data: Record<string, unknown>): KeptRecord {
  let record = data;
  let nulled: string[] | undefined;
  for (const [field, value] of Object.entries(data)) {
    if (typeof value !== 'object' || value === null || depthOf(value) <= MAX_KEPT_DEPTH) continue;
    if (!nulled) {
      nulled = [];
      record = { ...data };
    }
    record[field] = null;
    nulled.push(field);
  }
  return nulled ? { record, nulled } : { record };
}

/** Levels of objects and arrays in `root`, counted without recursion (stops once past the limit). */
function depthOf(root: object): number {
  let deepest = 0;
  const pending: [unknown, number][] = [[root, 1]];
  while (pending.length > 0) {
    const [value, depth] = pending.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    deepest = Math.max(deepest, depth);
    if (deepest > MAX_KEPT_DEPTH) return deepest;
    for (const child of Object.values(value)) pending.push([child, depth + 1]);
  }
  return deepest;
}
