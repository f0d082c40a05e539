/**
 * The records of one resource kind, by SID, with what every model needs around them: creation
 * numbers (`seq`, which lists are ordered and paged by), and the state file's snapshot and restore
 * (deep copies, so a snapshot never shares objects with the live state).
 */
export class RecordStore<T extends { sid: string; seq: number }> {
  private readonly records = new Map<string, T>();
  private seq = 0;

  /** The creation number for a new record. */
  nextSeq(): number {
    return ++this.seq;
  }

  add(record: T): T {
    this.records.set(record.sid, record);
    return record;
  }

  get(sid: string): T | undefined {
    return this.records.get(sid);
  }

  delete(sid: string): void {
    this.records.delete(sid);
  }

  /** Every record, in creation order. */
  values(): T[] {
    return [...this.records.values()];
  }

  snapshot(): T[] {
    return structuredClone(this.values());
  }

  restore(records: readonly T[]): void {
    this.records.clear();
    for (const r of records) this.records.set(r.sid, structuredClone(r));
    this.seq = Math.max(0, ...records.map((r) => r.seq));
  }
}
