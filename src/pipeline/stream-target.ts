import type { Column } from '../encoding/columns.js';
import type { ImportTarget } from '../marketo/bulk-import.js';

/** Which records of a stream are deletions and what becomes of them (see destination/deletions.ts). */
export interface StreamDeletes {
  /** `every` record (action delete, soft_delete), or those whose `_ab_cdc_deleted_at` is set (`cdc`). */
  records: 'every' | 'cdc';
  /** `reject`: the deletion is not applied and the record counts as rejected with `reason`. */
  effect: 'delete' | 'remove_from_list' | 'reject';
  reason?: string;
  /** Marketo fields that name the deleted record (a program member's program aside); set once the stream is resolved. */
  key?: string[];
}

/** Where one catalog stream's rows go, and as which columns. */
export interface StreamTarget {
  key: string;
  name: string;
  namespace?: string;
  target: ImportTarget;
  targetKey: string;
  columns: Column[];
  /** Program members whose program and status come from each row (data activation). */
  grouped?: boolean;
  deletes?: StreamDeletes;
}

/** A stream checked against Marketo: ready to be encoded and cut into files. */
export interface ResolvedStream extends StreamTarget {
  /** Header positions of the lookup/dedupe fields; their values identify a row in Marketo. */
  keyColumns: number[];
}
