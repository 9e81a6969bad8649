import type { FieldSpec, ObjectSchema } from '../seed/catalog.js';
import { RecordTable, type Slots } from './record-table.js';

/** Program memberships, one per (program, lead), holding the status and member fields. */
export class ProgramMemberStore {
  readonly table: RecordTable;
  private readonly byKey = new Map<string, number>();
  private readonly byProgram = new Map<number, number[]>();
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

  /** Sets the lead's status in the program and edits the member fields, creating the membership if needed. */
  upsert(programId: number, leadId: number, status: { name: string; success: boolean }, stamp: string, edit: (slots: Slots) => void): void {
    const setStatus = (slots: Slots): void => {
      slots[this.statusName.position] = status.name;
      // Success is sticky in Marketo: once reached, a later status does not undo it.
      const success = this.reachedSuccess?.position;
      if (success !== undefined && (status.success || slots[success] !== 'true')) slots[success] = String(status.success);
      edit(slots);
    };
    const key = `${programId}:${leadId}`;
    const existing = this.byKey.get(key);
    if (existing !== undefined) return this.table.update(existing, setStatus);
    const row = this.table.insert((slots) => {
      slots[this.programId.position] = String(programId);
      slots[this.leadId.position] = String(leadId);
      if (this.membershipDate) slots[this.membershipDate.position] = stamp;
      setStatus(slots);
    });
    this.byKey.set(key, row);
    const rows = this.byProgram.get(programId);
    if (rows) rows.push(row);
    else this.byProgram.set(programId, [row]);
  }

  rowsOf(programId: number | undefined): number[] {
    if (programId !== undefined) return (this.byProgram.get(programId) ?? []).filter((row) => this.table.has(row));
    return Array.from({ length: this.table.size }, (_, row) => row).filter((row) => this.table.has(row));
  }

  /** Ends the lead's membership of the program; false if it was not a member. */
  remove(programId: number, leadId: number): boolean {
    const key = `${programId}:${leadId}`;
    const row = this.byKey.get(key);
    if (row === undefined) return false;
    this.table.remove(row);
    this.byKey.delete(key);
    return true;
  }

  /** Ends every membership of a deleted lead. */
  removeLead(leadId: number): void {
    for (const programId of this.byProgram.keys()) this.remove(programId, leadId);
  }

  leadIdOf(row: number): number {
    return Number(this.table.read(row, this.leadId));
  }
}
