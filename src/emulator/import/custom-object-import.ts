import { keyOf } from '../seed/cells.js';
import { assignCells, checkCells, fieldNotFound, resolveHeader, type ImportDeps, type Rejection, type RowRules } from './rules.js';

/** The reason Marketo gives when a row lacks a dedupe value (DOCS bulk-custom-object-import). */
const MISSING_DEDUPE = 'missing.dedupe.fields';

/** Custom object records are upserted by the object's (possibly compound) dedupe fields. */
export function customObjectImportRules(deps: ImportDeps, header: readonly string[], apiName: string): RowRules | Rejection {
  const { catalog, stores, emptyCells } = deps;
  const type = catalog.customObject(apiName);
  if (!type) return { code: '1013', message: `Custom object '${apiName}' not found` };
  const keyColumns = type.dedupe.map((field) => ({ field, at: header.indexOf(field.name) }));
  // DOCS: a header without the dedupe field (" vin") was accepted, and every row failed; other columns are then moot.
  if (keyColumns.some(({ at }) => at < 0)) return { check: () => ({ fail: MISSING_DEDUPE }), apply: () => undefined };
  const resolved = resolveHeader(header, (name) => type.schema.field(name));
  if ('unknown' in resolved) return fieldNotFound(resolved.unknown);
  const { columns } = resolved;
  return {
    check: (cells) => (keyColumns.some(({ at }) => !cells[at]) ? { fail: MISSING_DEDUPE } : checkCells(cells, columns)),
    apply: (cells, stamp) => {
      const key = keyColumns.map(({ field, at }) => keyOf(field.kind, cells[at]!)).join('\u0000');
      stores.customObjects.upsert(apiName, key, stamp, (slots) => assignCells(slots, cells, columns, emptyCells));
      return undefined;
    },
  };
}
