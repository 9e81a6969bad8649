import { expect, test } from 'vitest';
import { objectKey } from '../../src/rejects/object-names.js';

const at = new Date(Date.UTC(2026, 0, 5, 13, 4, 5, 678));
const formats = { prefix: 'marketo/rejects', pathFormat: '{sync_id}/{namespace}/{stream_name}/', fileNameFormat: '{date}_{timestamp}_{part_number}{format_extension}', extension: '.csv.gz', syncId: 981 };

test('the default formats give Airbyte’s layout; a missing namespace leaves no empty folder', () => {
  expect(objectKey(formats, { name: 'contacts', at, part: 0 })).toBe(`marketo/rejects/981/contacts/2026_01_05_${at.getTime()}_0.csv.gz`);
  expect(objectKey(formats, { name: 'contacts', namespace: 'crm', at, part: 2 })).toBe(`marketo/rejects/981/crm/contacts/2026_01_05_${at.getTime()}_2.csv.gz`);
});

test('custom formats, no prefix, no sync id, a slash in a stream name, an unknown placeholder kept', () => {
  const key = objectKey(
    { ...formats, prefix: '', pathFormat: 'rejects-{stream_name}-{date}/', fileNameFormat: 'part{part_number}-{nope}{format_extension}', syncId: undefined },
    { name: 'a/b', at, part: 7 },
  );
  expect(key).toBe('rejects-a_b-2026_01_05/part7-{nope}.csv.gz');
  expect(objectKey({ ...formats, syncId: undefined }, { name: 's', at, part: 0 })).toMatch(/^marketo\/rejects\/no_sync_id\/s\//);
});
