import type { Emulator } from '../../src/emulator/index.js';
import { ndjson } from '../helpers/cli.js';
import type { Fixture } from '../helpers/sync.js';

type Json = Record<string, unknown>;
const AT = '2026-01-05T10:00:00Z';

interface Op {
  email: string;
  /** undefined: a deletion. */
  name?: string;
}

/**
 * A CDC stream of leads: inserts, updates and deletions of a few keys in a seeded random order, a STREAM state every
 * `stateEvery` records. It knows what Marketo must hold at the end, and which records a state vouches for.
 */
export class CdcDataset {
  readonly ops: Op[] = [];
  readonly stateEvery: number;

  constructor(options: { keys: number; records: number; stateEvery: number; seed: number }) {
    this.stateEvery = options.stateEvery;
    let x = options.seed;
    const random = (): number => {
      x = (x * 1103515245 + 12345) % 2 ** 31;
      return x / 2 ** 31;
    };
    for (let i = 0; i < options.records; i++) {
      const email = `k${Math.floor(random() * options.keys)}@x.co`;
      this.ops.push(random() < 0.3 ? { email } : { email, name: `n${i}` });
    }
  }

  get stateCount(): number {
    return Math.floor(this.ops.length / this.stateEvery);
  }

  fixture(config: Json = {}): Fixture {
    return {
      config: { cdc_deletes: 'delete', stream_mappings: [{ stream: 'people', object: { type: 'leads', lookup_field: 'email' } }], ...config },
      catalog: {
        streams: [
          {
            stream: {
              name: 'people',
              json_schema: {
                type: 'object',
                properties: { email: { type: 'string' }, firstName: { type: ['null', 'string'] }, _ab_cdc_deleted_at: { type: ['null', 'string'] } },
              },
              supported_sync_modes: ['incremental'],
            },
            sync_mode: 'incremental',
            destination_sync_mode: 'append_dedup',
          },
        ],
      },
      messages: this.text(),
    };
  }

  /** The messages from just after state `after` (0: from the start). */
  text(after = 0): string {
    const messages: Json[] = [];
    this.ops.forEach((op, i) => {
      if (i >= after * this.stateEvery) {
        const data = { email: op.email, firstName: op.name ?? null, _ab_cdc_deleted_at: op.name === undefined ? AT : null };
        messages.push({ type: 'RECORD', record: { stream: 'people', emitted_at: 1, data } });
      }
      if ((i + 1) % this.stateEvery === 0 && i + 1 > after * this.stateEvery) {
        const id = (i + 1) / this.stateEvery;
        messages.push({ type: 'STATE', state: { type: 'STREAM', id, stream: { stream_descriptor: { name: 'people' }, stream_state: { id } } } });
      }
    });
    return ndjson(messages);
  }

  /** Each key's last state: its name, or undefined once deleted; only keys touched in the first `upTo` records. */
  expected(upTo = this.ops.length): Map<string, string | undefined> {
    const last = new Map<string, string | undefined>();
    for (const op of this.ops.slice(0, upTo)) last.set(op.email, op.name);
    return last;
  }

  /**
   * Keys the state `id` vouches for but Marketo contradicts when the state is read: for each key last touched before
   * the state and never after, the store must already show its final value (or its absence).
   */
  committedProblems(emulator: Emulator, id: number): string[] {
    const upTo = id * this.stateEvery;
    const touchedLater = new Set(this.ops.slice(upTo).map((op) => op.email));
    const store = new Map(emulator.store.leads().map((l) => [l.email as string, l.firstName as string | null]));
    const problems: string[] = [];
    for (const [email, name] of this.expected(upTo)) {
      if (touchedLater.has(email)) continue;
      if (name === undefined ? store.has(email) : store.get(email) !== name) problems.push(`state ${id}: ${email}`);
    }
    return problems;
  }

  /** Fails unless Marketo holds exactly the final value of every key. */
  finalProblems(emulator: Emulator): string[] {
    const store = new Map(emulator.store.leads().map((l) => [l.email as string, l.firstName as string | null]));
    const want = [...this.expected()].filter(([, name]) => name !== undefined);
    const problems = want.filter(([email, name]) => store.get(email) !== name).map(([email]) => `missing or stale: ${email}`);
    for (const email of store.keys()) if (this.expected().get(email) === undefined) problems.push(`should be deleted: ${email}`);
    return problems;
  }
}
