import { keyOf, storedValue, type StoredValue } from '../seed/cells.js';
import type { FieldSpec, ObjectSchema } from '../seed/catalog.js';

/** A record being written: raw values by field position; undefined = never written, null = cleared. */
export type Slots = (string | null | undefined)[];

// Records are kept as one flat string each: a million leads as a million strings rather than
// eleven million small objects, which keeps the heap and the garbage collector's work modest.
const SEP = '\u001f';
const NULL = '\u001e';
const ESC = '\u001d';
const ESCAPES: Record<string, string> = { [ESC]: `${ESC}a`, [SEP]: `${ESC}b`, [NULL]: `${ESC}c` };
const UNESCAPES: Record<string, string> = { a: ESC, b: SEP, c: NULL };

function encodeSlot(value: string | null | undefined): string {
  if (value === undefined) return '';
  if (value === null) return NULL;
  if (value.indexOf(ESC) === -1 && value.indexOf(SEP) === -1 && value.indexOf(NULL) === -1) return value;
  return value.replace(/[\u001d-\u001f]/g, (c) => ESCAPES[c] ?? c);
}

function decodeSlot(raw: string): string | null | undefined {
  if (raw === '') return undefined;
  if (raw === NULL) return null;
  return raw.indexOf(ESC) === -1 ? raw : raw.replace(/\u001d(.)/g, (_, c: string) => UNESCAPES[c] ?? c);
}

/** Reused by `encode`, which never runs re-entrantly. */
const encoded: string[] = [];

function encode(slots: Slots): string {
  encoded.length = slots.length;
  for (let i = 0; i < slots.length; i++) encoded[i] = encodeSlot(slots[i]);
  return encoded.join(SEP);
}

/**
 * A copy of `s` that does not keep a larger string alive. V8 represents a slice of 13 or more
 * characters as a view on its parent, so a key sliced from an upload would pin the whole 10 MB file.
 */
export function detach(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}

/** Records of one object type, with single-field indexes built on first use and kept up to date. */
export class RecordTable {
  private readonly records: string[] = [];
  private readonly indexes = new Map<FieldSpec, Map<string, number>>();
  private readonly scratch: Slots;

  constructor(readonly schema: ObjectSchema) {
    this.scratch = new Array<undefined>(schema.fields.length).fill(undefined);
  }

  get size(): number {
    return this.records.length;
  }

  find(field: FieldSpec, key: string): number | undefined {
    return this.index(field).get(key);
  }

  /** Adds a record filled in by `fill` and returns its row number. */
  insert(fill: (slots: Slots) => void): number {
    // One scratch array reused for every insert: the per-row garbage is what the GC pays for.
    const slots = this.scratch;
    slots.fill(undefined);
    fill(slots);
    const row = this.records.length;
    this.records.push(encode(slots));
    for (const [field, index] of this.indexes) {
      const value = slots[field.position];
      if (typeof value === 'string') index.set(detach(keyOf(field.kind, value)), row);
    }
    return row;
  }

  /** Rewrites a record through `edit`, which sees and changes its current values. */
  update(row: number, edit: (slots: Slots) => void): void {
    const old = this.slots(row);
    const slots = old.slice();
    edit(slots);
    this.records[row] = encode(slots);
    for (const [field, index] of this.indexes) {
      const before = old[field.position];
      const after = slots[field.position];
      if (before === after) continue;
      if (typeof before === 'string' && index.get(keyOf(field.kind, before)) === row) index.delete(keyOf(field.kind, before));
      if (typeof after === 'string') index.set(detach(keyOf(field.kind, after)), row);
    }
  }

  read(row: number, field: FieldSpec): StoredValue | undefined {
    const raw = this.slots(row)[field.position];
    return raw === undefined || raw === null ? raw : storedValue(field.kind, raw);
  }

  toObject(row: number): Record<string, StoredValue> {
    const slots = this.slots(row);
    const out: Record<string, StoredValue> = {};
    for (const field of this.schema.fields) {
      const raw = slots[field.position];
      if (raw !== undefined) out[field.name] = raw === null ? null : storedValue(field.kind, raw);
    }
    return out;
  }

  objects(offset = 0, limit = Infinity): Record<string, StoredValue>[] {
    const end = Math.min(this.records.length, offset + limit);
    const out: Record<string, StoredValue>[] = [];
    for (let row = offset; row < end; row++) out.push(this.toObject(row));
    return out;
  }

  private slots(row: number): Slots {
    const record = this.records[row];
    if (record === undefined) throw new RangeError(`No row ${row}`);
    return record.split(SEP).map(decodeSlot);
  }

  private index(field: FieldSpec): Map<string, number> {
    const existing = this.indexes.get(field);
    if (existing) return existing;
    const index = new Map<string, number>();
    for (let row = 0; row < this.records.length; row++) {
      const value = this.slots(row)[field.position];
      if (typeof value === 'string') index.set(detach(keyOf(field.kind, value)), row);
    }
    this.indexes.set(field, index);
    return index;
  }
}
