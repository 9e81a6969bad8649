// The lookup values of one file, kept to tell whether two files touch the same Marketo records. A Set of strings
// costs tens of bytes a row; sorted 52-bit hashes (hash52, computed where rows are encoded) cost 8, and two files are
// compared with one merge walk.

export class KeyHashesBuilder {
  private values = new Float64Array(1024);
  private size = 0;

  /** Adds `hashes[from..to)`. */
  add(hashes: Float64Array, from: number, to: number): void {
    const needed = this.size + to - from;
    if (needed > this.values.length) {
      const grown = new Float64Array(Math.max(needed, this.values.length * 2));
      grown.set(this.values.subarray(0, this.size));
      this.values = grown;
    }
    this.values.set(hashes.subarray(from, to), this.size);
    this.size = needed;
  }

  /** The sorted hashes of everything added; the builder starts afresh. */
  seal(): Float64Array {
    const sealed = this.values.slice(0, this.size).sort();
    this.size = 0;
    return sealed;
  }
}

/** Whether two sorted hash arrays share a value. */
export function intersects(a: Float64Array, b: Float64Array): boolean {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x === y) return true;
    if (x < y) i++;
    else j++;
  }
  return false;
}
