/**
 * A database opened on first use, for `npm run send`: the sender reads rows only when a message is
 * sent, so starting the command (which may open the embedded database) connects to nothing before
 * the recipient and body are checked.
 */
import type { SenderPrismaClient } from "../sender";

/** What an opener resolves with: a client the sender can read, and how to close it. */
export interface OpenedDatabase {
  prisma: SenderPrismaClient;
  close(): Promise<void>;
}

export interface LazyDatabase {
  /** Opens the database on its first query. */
  prisma: SenderPrismaClient;
  /** Closes the database if it was opened; nothing otherwise. */
  close(): Promise<void>;
}

export function openOnFirstUse(open: () => Promise<OpenedDatabase>): LazyDatabase {
  let database: Promise<OpenedDatabase> | undefined;
  return {
    prisma: {
      vapiPhoneNumber: {
        async findFirst(args) {
          database ??= open();
          return (await database).prisma.vapiPhoneNumber.findFirst(args);
        },
      },
    },
    async close() {
      if (database) await (await database.catch(() => undefined))?.close();
    },
  };
}
