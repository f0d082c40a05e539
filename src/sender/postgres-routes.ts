/**
 * The routes read from PostgreSQL by URL (`databaseUrl`), for a backend that does not hand the
 * sender its Prisma client: one parameterised query per lookup through `pg`, an optional peer
 * dependency loaded only here (a backend that passes `prisma` never needs it). The package ships
 * no generated Prisma client, so the query is plain SQL on the tables of the project's migrations
 * (the ones `npm run sync` writes): `vapi_phone_numbers` and `accounts`, found through the
 * connection's `search_path`.
 *
 * The pool connects on the first lookup, holds at most a few connections (lookups are cached and
 * shared, so they are rare), and is ended by `close()`.
 */
import type { Pool } from "pg";
import { MissingPeerDependencyError } from "./errors";
import type { RouteRow, RouteSource } from "./lookup";

const COLUMNS = `v.account_id::text AS "accountId", v.vapi_phone_id AS "vapiPhoneId",
  v.twilio_messaging_service_sid AS "twilioMessagingServiceSid", a.name AS "accountName",
  a.us_a2p_campaign_status AS "usA2pCampaignStatus"`;

/** The same rule as prisma-routes.ts (lookup.ts says it in words). */
const BY_ACCOUNT = `SELECT ${COLUMNS}
  FROM "vapi_phone_numbers" v LEFT JOIN "accounts" a ON a.id = v.account_id
  WHERE v.account_id = $1 AND v.is_active AND v.twilio_messaging_service_sid IS NOT NULL
  ORDER BY v.created_at, v.id LIMIT 1`;

const BY_VAPI_PHONE = `SELECT ${COLUMNS}
  FROM "vapi_phone_numbers" v LEFT JOIN "accounts" a ON a.id = v.account_id
  WHERE v.vapi_phone_id = $1 LIMIT 1`;

/** How the connections show in `pg_stat_activity`. */
export const POSTGRES_APPLICATION_NAME = "twilio-messaging-sender";

/** `pg`, or a MissingPeerDependencyError naming it when the backend has not installed it. */
function loadPg(): typeof import("pg") {
  try {
    return require("pg");
  } catch (error) {
    // Only pg itself missing; a broken pg install (one of its own files missing) stays as it is.
    const { code, message } = error as { code?: string; message?: string };
    if (code === "MODULE_NOT_FOUND" && message?.startsWith("Cannot find module 'pg'"))
      throw new MissingPeerDependencyError(
        "pg",
        "the databaseUrl option",
        "pass your Prisma client as the prisma option instead of databaseUrl",
      );
    throw error;
  }
}

export interface PostgresRoutes {
  source: RouteSource;
  close(): Promise<void>;
}

/** Loads `pg` now (so a missing peer fails at start); connects on the first lookup. */
export function openPostgresRoutes(databaseUrl: string): PostgresRoutes {
  const pg = loadPg();
  const pool: Pool = new pg.Pool({
    connectionString: databaseUrl,
    max: 4,
    application_name: POSTGRES_APPLICATION_NAME,
  });
  // An idle connection the server drops is reported here; the next query opens a new one. An
  // unhandled 'error' event would crash the backend.
  pool.on("error", () => {});
  return {
    async source(key) {
      const { rows } =
        "accountId" in key
          ? await pool.query<RouteRow>(BY_ACCOUNT, [key.accountId])
          : await pool.query<RouteRow>(BY_VAPI_PHONE, [key.vapiPhoneId]);
      return rows[0];
    },
    close: () => pool.end(),
  };
}
