// A row's lookup values, hashed where the row is encoded, so that only 8 bytes a row travel on to the scheduler,
// which uses them to tell whether two files touch the same Marketo records. A hash collision can only make two files
// wait for each other needlessly, never let them collide.

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
