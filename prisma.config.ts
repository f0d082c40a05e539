/**
 * Prisma's configuration: the schema and migrations live in src/db/ (the design has no top-level
 * prisma/ directory). DATABASE_URL is read only by commands that connect (`prisma migrate deploy`
 * in a real deployment); `prisma generate` needs none.
 */
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "src/db/schema.prisma",
  migrations: { path: "src/db/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "" },
});
