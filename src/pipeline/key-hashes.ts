// The lookup values of one file, kept to tell whether two files touch the same Marketo records. A Set of strings
// costs tens of bytes a row; sorted 52-bit hashes cost 8, and two files are compared with one merge walk. A hash
// collision can only make two files wait for each other needlessly, never let them collide.

/** Two independent 32-bit FNV-1a style hashes folded into a 52-bit integer (exact in a double). */
export function hash52(text: string): number {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return (a >>> 0) * 0x100000 + ((b >>> 0) & 0xfffff);
}

export class KeyHashesBuilder {
  private values = new Float64Array(1024);
  private size = 0;

  add(key: string): void {
    if (this.size === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.size++] = hash52(key);
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
