import { Writable } from 'node:stream';
import type { Redactor } from './redact.js';

/**
 * A Writable that scrubs secrets from each chunk before passing it on (the stderr given to a
 * destination). Secrets are matched per chunk, so write whole lines. Ending it leaves the
 * target open: stderr outlives any one user of it.
 */
export function redactingStream(target: NodeJS.WritableStream, redactor: Redactor): Writable {
  return new Writable({
    decodeStrings: false,
    write(chunk: string | Buffer, _encoding, callback) {
      const text = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
      target.write(redactor.redact(text), (error) => callback(error ?? null));
    },
  });
}
