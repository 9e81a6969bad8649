import type { Slots } from '../store/record-table.js';
import { keyOf } from '../seed/cells.js';
import {
  checkCells,
  fieldNotFound,
  lookupValueMissing,
  resolveHeader,
  assignCells,
  type ImportDeps,
  type Rejection,
  type RowRules,
} from './rules.js';

export interface LeadImportParams {
  lookupField: string;
  listId?: number;
}

/** Leads are upserted by the lookup field (email by default); `id` only updates existing leads. */
export function leadImportRules(deps: ImportDeps, header: readonly string[], params: LeadImportParams): RowRules | Rejection {
  const { catalog, stores, emptyCells } = deps;
  const lookup = catalog.lead.field(params.lookupField);
  // Both answers are assumed: the 1006 text is the sync API's, the 1003 one has no evidence (docs/emulator.md).
  if (!lookup) return { code: '1006', message: `Lookup field '${params.lookupField}' not found` };
  if (!catalog.isLookupField(lookup.name)) return { code: '1003', message: `Invalid lookup field '${params.lookupField}'` };
  const resolved = resolveHeader(header, (name) => catalog.lead.fieldInAnyCase(name));
  if ('unknown' in resolved) return fieldNotFound(resolved.unknown);
  const { columns } = resolved;
  const at = columns.indexOf(lookup);
  const leads = stores.leads;
  return {
    check: (cells) => (at < 0 || !cells[at] ? { fail: lookupValueMissing(lookup.name) } : checkCells(cells, columns)),
    apply: (cells, stamp) => {
      const key = keyOf(lookup.kind, cells[at]!);
      const edit = (slots: Slots): void => assignCells(slots, cells, columns, emptyCells);
      let row: number | undefined;
      if (lookup === leads.idField) {
        // Marketo: "You can use id for update only operations".
        row = leads.rowOfId(Number(key));
        if (row === undefined) return 'Lead not found';
        leads.update(row, stamp, edit);
      } else {
        row = leads.upsert(lookup, key, stamp, edit);
      }
      if (params.listId !== undefined) leads.addToList(params.listId, row);
      return undefined;
    },
  };
}
