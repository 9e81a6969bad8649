import type { Column } from '../encoding/columns.js';
import type { ImportTarget } from '../marketo/bulk-import.js';

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
}

/** A stream checked against Marketo: ready to be encoded and cut into files. */
export interface ResolvedStream extends StreamTarget {
  /** Header positions of the lookup/dedupe fields; their values identify a row in Marketo. */
  keyColumns: number[];
}
