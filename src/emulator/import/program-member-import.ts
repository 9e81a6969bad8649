import type { FieldSpec } from '../seed/catalog.js';
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

export interface ProgramMemberImportParams {
  programId: string;
  programMemberStatus: string;
}

interface Column {
  field: FieldSpec;
  onMember: boolean;
}

/**
 * Rows are members keyed by (program, email): the lead is found or created by email and gets the
 * row's lead fields; the membership gets the job's status and the row's program member fields.
 */
export function programMemberImportRules(
  deps: ImportDeps,
  header: readonly string[],
  params: ProgramMemberImportParams,
): RowRules | Rejection {
  const { catalog, stores, emptyCells } = deps;
  const programId = Number(params.programId);
  const info = Number.isInteger(programId) ? catalog.program(programId) : undefined;
  if (!info) return { code: '1013', message: `Program '${params.programId}' not found` };
  const status = info.channel.progressionStatuses.find((s) => s.name === params.programMemberStatus && s.step > 0);
  if (!status) return { code: '1003', message: `Invalid program member status '${params.programMemberStatus}'` };

  const resolved = resolveHeader<Column>(header, (name) => {
    const member = catalog.programMember.field(name);
    if (member) return { field: member, onMember: true };
    const lead = catalog.lead.field(name);
    return lead && { field: lead, onMember: false };
  });
  if ('unknown' in resolved) return fieldNotFound(resolved.unknown);
  const fields = resolved.columns.map((c) => c.field);
  const leadColumns = resolved.columns.map((c) => (c.onMember ? undefined : c.field));
  const memberColumns = resolved.columns.map((c) => (c.onMember ? c.field : undefined));
  const { leads, programMembers } = stores;
  const at = header.indexOf(leads.emailField.name);
  return {
    check: (cells) => (at < 0 || !cells[at] ? { fail: lookupValueMissing(leads.emailField.name) } : checkCells(cells, fields)),
    apply: (cells, stamp) => {
      const key = keyOf(leads.emailField.kind, cells[at]!);
      const lead = leads.upsert(leads.emailField, key, stamp, (slots) => assignCells(slots, cells, leadColumns, emptyCells));
      programMembers.upsert(programId, leads.idOf(lead), status, stamp, (slots) => assignCells(slots, cells, memberColumns, emptyCells));
      return undefined;
    },
  };
}
