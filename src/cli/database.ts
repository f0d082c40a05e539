/**
 * The database a command works on: the one a test hands in, or the one `--database-url` names
 * (else DATABASE_URL, else the embedded database), opened for the work and closed after it.
 */
import { type Database, openDatabase } from "../db";
import type { CommandIo } from "./command";

/** An open database to use instead of opening one (tests of the embedded database). */
export interface InjectedDatabase {
  database?: Database;
}

export async function withDatabase<T>(
  io: Pick<CommandIo, "err">,
  databaseUrl: string | undefined,
  injected: InjectedDatabase,
  work: (db: Database) => Promise<T>,
): Promise<T> {
  const db =
    injected.database ??
    (await openDatabase({ databaseUrl, onProgress: (message) => io.err(`${message}\n`) }));
  try {
    return await work(db);
  } finally {
    if (db !== injected.database) await db.close();
  }
}
