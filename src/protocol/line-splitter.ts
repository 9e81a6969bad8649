import { StringDecoder } from 'node:string_decoder';

/**
 * Splits a byte stream into lines on '\n' (a trailing '\r' is JSON whitespace, so needs no
 * handling). A line spanning many chunks is joined once, not re-scanned per chunk, so a 20 MB
 * record costs O(size).
 */
export class LineSplitter {
  readonly #decoder = new StringDecoder('utf8');
  readonly #partial: string[] = [];

  /** The lines completed by this chunk. */
  push(chunk: string | Buffer): string[] {
    const text = typeof chunk === 'string' ? chunk : this.#decoder.write(chunk);
    const lines: string[] = [];
    let start = 0;
    let end = text.indexOf('\n');
    if (end !== -1 && this.#partial.length > 0) {
      this.#partial.push(text.slice(0, end));
      lines.push(this.#partial.join(''));
      this.#partial.length = 0;
      start = end + 1;
      end = text.indexOf('\n', start);
    }
    while (end !== -1) {
      lines.push(text.slice(start, end));
      start = end + 1;
      end = text.indexOf('\n', start);
    }
    if (start < text.length) this.#partial.push(text.slice(start));
    return lines;
  }

  /** The unterminated last line, if any. */
  end(): string | undefined {
    this.#partial.push(this.#decoder.end());
    const last = this.#partial.join('');
    this.#partial.length = 0;
    return last === '' ? undefined : last;
  }
}
