import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Emulator, StoredRecord } from '../../src/emulator/index.js';
import { repoRoot } from '../helpers/cli.js';
import type { Fixture } from '../helpers/sync.js';
import { mulberry32 } from '../../scripts/lib/prng.mjs';

// A generated input for three streams (leads, custom object car_c, members of program 1001) together with what
// Marketo must hold once it is imported, so that tests can check the store field by field and, at any state, that
// the records the state covers have landed.

type Json = Record<string, unknown>;
export type StreamName = 'contacts' | 'cars' | 'attendees';

const fixtureDir = path.join(repoRoot, 'test/fixtures/resilience');
const readJson = (name: string): Json => JSON.parse(readFileSync(path.join(fixtureDir, name), 'utf8')) as Json;

export interface DatasetOptions {
  contacts: number;
  cars: number;
  attendees: number;
  /** A STREAM state after every this many records of a stream, and one per stream at the end. */
  stateEvery: number;
  /** How many contacts are sent a second time, with new values, after all the others (the last row must win). */
  updates?: number;
  seed?: number;
}

interface Row {
  stream: StreamName;
  key: string;
  data: Json;
  /** Index in `lines`. */
  line: number;
}

interface StateMark {
  id: number;
  stream: StreamName;
  /** Index in `rows` of the first row after this state. */
  rowsBefore: number;
  /** Index in `lines` of the state line. */
  line: number;
}

export class Dataset {
  readonly lines: string[] = [];
  readonly rows: Row[] = [];
  readonly states: StateMark[] = [];
  /** The stream of each line, record or state. */
  private readonly lineStreams: StreamName[] = [];

  constructor(readonly options: DatasetOptions) {
    const random = mulberry32(options.seed ?? 7);
    const pending: Record<StreamName, Json[]> = {
      contacts: range(options.contacts).map(contact),
      cars: range(options.cars).map((i) => car(i, options.contacts)),
      attendees: range(options.attendees).map(attendee),
    };
    pending.contacts.push(...range(options.updates ?? 0).map(updatedContact));
    const sinceState: Record<StreamName, number> = { contacts: 0, cars: 0, attendees: 0 };
    const names = Object.keys(pending) as StreamName[];
    for (;;) {
      const open = names.filter((n) => pending[n].length > 0);
      if (open.length === 0) break;
      // Streams interleave at random but deterministically; each keeps its own order.
      const stream = open[Math.floor(random() * open.length)]!;
      this.record(stream, pending[stream].shift()!);
      if (++sinceState[stream] === options.stateEvery) {
        this.state(stream);
        sinceState[stream] = 0;
      }
    }
    for (const stream of names) if (sinceState[stream] > 0) this.state(stream);
  }

  get fixture(): Fixture {
    return { config: readJson('three-streams.config.json'), catalog: readJson('three-streams.catalog.json'), messages: this.text() };
  }

  /** The input as NDJSON. */
  text(): string {
    return this.lines.map((l) => `${l}\n`).join('');
  }

  /**
   * What the source sends when the platform resumes after the run that echoed `echoedIds`: each stream starts again
   * after its own last echoed state (STREAM states), the streams still interleaved as before.
   */
  resumeText(echoedIds: readonly number[]): string {
    const resumeAfter = new Map<StreamName, number>();
    for (const mark of this.states) if (echoedIds.includes(mark.id)) resumeAfter.set(mark.stream, mark.line);
    return this.lines
      .filter((_, i) => i > (resumeAfter.get(this.lineStreams[i]!) ?? -1))
      .map((l) => `${l}\n`)
      .join('');
  }

  /** Every record, field by field, as Marketo must hold it when the whole input is imported. */
  expectFinalStore(emulator: Emulator): void {
    const problems = this.compare(emulator, this.rows.length, 'final');
    if (problems.length > 0) throw new Error(`Store differs from the input:\n${problems.slice(0, 20).join('\n')}`);
    const { leads, customObjects, programMembers } = emulator.store.counts();
    const expected = this.distinctKeys(this.rows.length);
    const check = (what: string, actual: number, wanted: number) => {
      if (actual !== wanted) throw new Error(`${what}: ${actual} in the store, ${wanted} expected`);
    };
    // Attendees are leads too (the member import creates the lead); their emails differ from the contacts'.
    check('leads', leads, expected.contacts + expected.attendees);
    check('car_c records', customObjects.car_c ?? 0, expected.cars);
    check('program members', programMembers, expected.attendees);
  }

  /**
   * What is wrong with the store given that the state with this id was echoed: every record before it, in its
   * stream, must be in Marketo with its own value or a later one for the same key.
   */
  committedProblems(emulator: Emulator, stateId: number): string[] {
    const mark = this.states.find((s) => s.id === stateId);
    if (!mark) return [`state ${stateId} is not in the input`];
    return this.compare(emulator, mark.rowsBefore, 'committed', mark.stream).map((p) => `state ${stateId}: ${p}`);
  }

  /** Keys of the records from input line `fromLine` (0-based) on that are in Marketo. */
  importedFrom(emulator: Emulator, fromLine: number): string[] {
    const stored = storedByKey(emulator);
    return this.rows.filter((r) => r.line >= fromLine && stored[r.stream]?.has(r.key)).map((r) => `${r.stream} ${r.key}`);
  }

  private compare(emulator: Emulator, rowsBefore: number, mode: 'final' | 'committed', only?: StreamName): string[] {
    const stored = storedByKey(emulator, only);
    const problems: string[] = [];
    for (let i = 0; i < rowsBefore; i++) {
      const row = this.rows[i]!;
      if (only && row.stream !== only) continue;
      const actual = stored[row.stream]?.get(row.key);
      if (!actual) {
        problems.push(`${row.stream} ${row.key} is missing`);
        continue;
      }
      // The final store holds the last value of each key; earlier, any value from this row on is acceptable.
      const candidates = mode === 'final' ? [this.lastValueOf(row)] : this.valuesFrom(i);
      if (!candidates.some((data) => matches(actual, data))) {
        problems.push(`${row.stream} ${row.key} holds ${JSON.stringify(pick(actual, row.data))}, expected ${JSON.stringify(candidates.at(-1))}`);
      }
    }
    return problems;
  }

  private lastValueOf(row: Row): Json {
    return this.rows.findLast((r) => r.stream === row.stream && r.key === row.key)!.data;
  }

  private valuesFrom(index: number): Json[] {
    const row = this.rows[index]!;
    return this.rows.slice(index).filter((r) => r.stream === row.stream && r.key === row.key).map((r) => r.data);
  }

  private distinctKeys(rowsBefore: number): Record<StreamName, number> {
    const keys = { contacts: new Set<string>(), cars: new Set<string>(), attendees: new Set<string>() };
    for (const row of this.rows.slice(0, rowsBefore)) keys[row.stream].add(row.key);
    return { contacts: keys.contacts.size, cars: keys.cars.size, attendees: keys.attendees.size };
  }

  private record(stream: StreamName, data: Json): void {
    const key = String(stream === 'cars' ? data.vin : data.email).toLowerCase();
    this.rows.push({ stream, key, data, line: this.lines.length });
    this.lineStreams.push(stream);
    this.lines.push(JSON.stringify({ type: 'RECORD', record: { stream, data, emitted_at: 1_700_000_000_000 + this.rows.length } }));
  }

  private state(stream: StreamName): void {
    const id = this.states.length + 1;
    const cursor = this.rows.filter((r) => r.stream === stream).length;
    this.states.push({ id, stream, rowsBefore: this.rows.length, line: this.lines.length });
    this.lineStreams.push(stream);
    this.lines.push(
      JSON.stringify({
        type: 'STATE',
        state: { type: 'STREAM', stream: { stream_descriptor: { name: stream }, stream_state: { cursor } }, id },
      }),
    );
  }
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);

function contact(i: number): Json {
  return {
    email: `c${i}@example.com`,
    firstName: `First${i}`,
    lastName: `Last "${i}"`,
    company: `Co, ${i % 17}`,
    leadScore: i,
    city: i % 3 === 0 ? 'Zürich' : `東京 ${i % 5}`,
  };
}

function updatedContact(i: number): Json {
  return { ...contact(i), company: `Moved; ${i}`, leadScore: 100_000 + i, city: 'Line1\nLine2' };
}

function car(i: number, contacts: number): Json {
  return {
    vin: `VIN${String(i).padStart(6, '0')}`,
    make: ['bmw', 'audi', 'fiat'][i % 3]!,
    model: `M${i}`,
    color: i % 2 === 0 ? 'red' : 'blue',
    year: 1990 + (i % 30),
    ownerEmail: `c${(i % Math.max(1, contacts)) + 1}@example.com`,
  };
}

function attendee(i: number): Json {
  return { email: `a${i}@example.com`, registrationCode: `R-${i}`, attendanceMinutes: i % 90 };
}

/** The store's records by key, of one stream or all (reading the store is the costly part of a check). */
function storedByKey(emulator: Emulator, only?: StreamName): Partial<Record<StreamName, Map<string, StoredRecord>>> {
  const by = (rows: StoredRecord[], field: string) => new Map(rows.map((r) => [String(r[field]).toLowerCase(), r]));
  const read: Record<StreamName, () => Map<string, StoredRecord>> = {
    contacts: () => by(emulator.store.leads(), 'email'),
    cars: () => by(emulator.store.customObjects('car_c'), 'vin'),
    attendees: () => by(emulator.store.programMembers(1001).filter((m) => m.statusName === 'Registered'), 'email'),
  };
  const streams = only ? [only] : (Object.keys(read) as StreamName[]);
  return Object.fromEntries(streams.map((s) => [s, read[s]()]));
}

function pick(stored: StoredRecord, data: Json): Json {
  return Object.fromEntries(Object.keys(data).map((k) => [k, stored[k]]));
}

function matches(stored: StoredRecord, data: Json): boolean {
  return Object.entries(data).every(([k, v]) => stored[k] === v);
}
