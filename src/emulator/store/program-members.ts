import type { FieldSpec, ObjectSchema } from '../seed/catalog.js';
import { RecordTable } from './record-table.js';

/** Program memberships, one per (program, lead), holding the status and member fields. */
export class ProgramMemberStore {
  readonly table: RecordTable;
  private readonly byKey = new Map<string, number>();
  private readonly leadId: FieldSpec;
  private readonly programId: FieldSpec;
  private readonly statusName: FieldSpec;
  private readonly reachedSuccess: FieldSpec | undefined;
  private readonly membershipDate: FieldSpec | undefined;

  constructor(schema: ObjectSchema) {
    this.table = new RecordTable(schema);
    this.leadId = schema.required('leadId', 'programMemberFields');
    this.programId = schema.required('programId', 'programMemberFields');
    this.statusName = schema.required('statusName', 'programMemberFields');
    this.reachedSuccess = schema.field('reachedSuccess');
    this.membershipDate = schema.field('membershipDate');
  }

  /** Sets the lead's status in the program, creating the membership if needed; returns its row. */
  upsert(programId: number, leadId: number, status: { name: string; success: boolean }, stamp: string): number {
    const key = `${programId}:${leadId}`;
    let row = this.byKey.get(key);
    if (row === undefined) {
      row = this.table.insert();
      this.byKey.set(key, row);
      this.table.write(row, this.programId, programId);
      this.table.write(row, this.leadId, leadId);
      if (this.membershipDate) this.table.write(row, this.membershipDate, stamp);
    }
    this.table.write(row, this.statusName, status.name);
    // Success is sticky in Marketo: once reached, a later status does not undo it.
    if (this.reachedSuccess && (status.success || this.table.read(row, this.reachedSuccess) !== true)) {
      this.table.write(row, this.reachedSuccess, status.success);
    }
    return row;
  }

  rowsOf(programId: number | undefined): number[] {
    const rows: number[] = [];
    for (let row = 0; row < this.table.size; row++) {
      if (programId === undefined || this.table.read(row, this.programId) === programId) rows.push(row);
    }
    return rows;
  }

  leadIdOf(row: number): number {
    return Number(this.table.read(row, this.leadId));
  }
}
