import { describe, expect, test } from 'vitest';
import { ObjectSchema } from '../../src/emulator/seed/catalog.js';
import { detach, RecordTable } from '../../src/emulator/store/record-table.js';

const schema = new ObjectSchema([
  { name: 'email', displayName: 'Email', dataType: 'email' },
  { name: 'note', displayName: 'Note', dataType: 'string' },
  { name: 'score', displayName: 'Score', dataType: 'integer' },
]);
const [email, note, score] = schema.fields as [never, never, never];

describe('record table', () => {
  test('keeps unset, cleared and typed values apart', () => {
    const table = new RecordTable(schema);
    const row = table.insert((slots) => {
      slots[0] = 'a@x.co';
      slots[2] = '42';
    });
    expect(table.toObject(row)).toEqual({ email: 'a@x.co', score: 42 });
    table.update(row, (slots) => {
      slots[2] = null;
    });
    expect(table.toObject(row)).toEqual({ email: 'a@x.co', score: null });
    expect(table.read(row, note)).toBeUndefined();
    expect(table.read(row, score)).toBeNull();
  });

  test('round-trips values containing its own separator characters', () => {
    const table = new RecordTable(schema);
    const tricky = 'a\u001fb\u001ec\u001dd\u001d';
    const row = table.insert((slots) => {
      slots[1] = tricky;
      slots[0] = '\u001e';
    });
    expect(table.toObject(row)).toEqual({ email: '\u001e', note: tricky });
  });

  test('indexes follow updates, and are built on first use', () => {
    const table = new RecordTable(schema);
    const first = table.insert((slots) => {
      slots[0] = 'Old@x.co';
    });
    expect(table.find(email, 'old@x.co')).toBe(first);
    table.update(first, (slots) => {
      slots[0] = 'new@x.co';
    });
    expect(table.find(email, 'old@x.co')).toBeUndefined();
    expect(table.find(email, 'new@x.co')).toBe(first);
    const second = table.insert((slots) => {
      slots[2] = '7';
    });
    expect(table.find(score, '7')).toBe(second);
    expect(table.objects(1)).toEqual([{ score: 7 }]);
  });

  test('detach copies without changing the value', () => {
    const big = `${'x'.repeat(1000)}someone@example.com`;
    const slice = big.slice(1000);
    expect(detach(slice)).toBe(slice);
    expect(detach('short')).toBe('short');
  });
});

describe('record table deletions', () => {
  test('a removed row leaves indexes and listings, keeps its number, and pages count live rows', () => {
    const table = new RecordTable(schema);
    for (const address of ['a@x.co', 'b@x.co', 'c@x.co']) {
      table.insert((slots) => {
        slots[0] = address;
        slots[1] = `note of ${address}`;
      });
    }
    expect(table.find(email, 'b@x.co')).toBe(1);
    table.remove(1);
    expect(table.find(email, 'b@x.co')).toBeUndefined();
    expect(table.has(1)).toBe(false);
    expect([table.size, table.live]).toEqual([3, 2]);
    expect(table.objects(1, 1)).toEqual([{ email: 'c@x.co', note: 'note of c@x.co' }]);
    // An index built after the deletion skips the removed row too.
    expect(table.find(note, 'note of b@x.co')).toBeUndefined();
    expect(table.find(note, 'note of c@x.co')).toBe(2);
    const row = table.insert((slots) => {
      slots[0] = 'b@x.co';
    });
    expect([row, table.find(email, 'b@x.co')]).toEqual([3, 3]);
  });
});
