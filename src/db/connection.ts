/**
 * What an open database is (`Database`), and PostgreSQL by URL: the generated Prisma client on
 * `@prisma/adapter-pg`, nothing else (no PGlite, no migrations); database.ts builds the full
 * factory on top of it.
 */
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/client";

export interface Database {
  readonly prisma: PrismaClient;
  readonly kind: "postgresql" | "pglite";
  /** For messages: the URL without its password, or the embedded data directory. */
  readonly location: string;
  close(): Promise<void>;
}

/** A connection URL with the password replaced, safe to print. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(an unparseable database URL)";
  }
}

/** PostgreSQL at `url`, as it is (migrations are the deployment's: `npm run db:migrate`). */
export function openPostgres(url: string): Database {
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
  return {
    prisma,
    kind: "postgresql",
    location: redactUrl(url),
    close: () => prisma.$disconnect(),
  };
}
