/**
 * The routes read through the backend's own Prisma client: the sender ships no generated client
 * and never loads `@prisma/client`; it calls `vapiPhoneNumber.findFirst` on whatever client it is
 * given. Any client generated from a schema with the seed's `VapiPhoneNumber` (and its `account`
 * relation to `Account`, with the project's `usA2pCampaignStatus` column: docs/a2p.md) fits,
 * whatever its other models and whichever Prisma 7 release made it.
 */
import { z } from "zod";
import type { RouteKey, RouteRow, RouteSource } from "./lookup";

/**
 * The part of a Prisma client the sender uses: `vapiPhoneNumber.findFirst` with `where`,
 * `orderBy` and `select` on the seed's fields (`accountId`, `vapiPhoneId`, `isActive`,
 * `twilioMessagingServiceSid`, `createdAt`, `account.name`). A `PrismaClient` (or a NestJS
 * `PrismaService` extending it) from the backend's own generated client fits.
 */
export interface SenderPrismaClient {
  vapiPhoneNumber: {
    // biome-ignore lint/suspicious/noExplicitAny: Prisma's generic argument types differ per client
    findFirst(args: any): PromiseLike<unknown>;
  };
}

export const isPrismaLike = (value: unknown): value is SenderPrismaClient =>
  typeof (value as SenderPrismaClient | undefined)?.vapiPhoneNumber?.findFirst === "function";

const SELECT = {
  accountId: true,
  vapiPhoneId: true,
  twilioMessagingServiceSid: true,
  account: { select: { name: true, usA2pCampaignStatus: true } },
} as const;

/** The row as selected: checked, so a client generated from another schema fails clearly. */
const selectedRow = z.object({
  accountId: z.string(),
  vapiPhoneId: z.string(),
  twilioMessagingServiceSid: z.string().nullable(),
  account: z.object({ name: z.string(), usA2pCampaignStatus: z.string().nullable() }).nullable(),
});

function findFirst(prisma: SenderPrismaClient, key: RouteKey) {
  return "accountId" in key
    ? prisma.vapiPhoneNumber.findFirst({
        where: {
          accountId: key.accountId,
          isActive: true,
          twilioMessagingServiceSid: { not: null },
        },
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        select: SELECT,
      })
    : prisma.vapiPhoneNumber.findFirst({
        where: { vapiPhoneId: key.vapiPhoneId },
        select: SELECT,
      });
}

export function prismaRoutes(prisma: SenderPrismaClient): RouteSource {
  return async (key): Promise<RouteRow | undefined> => {
    const raw = await findFirst(prisma, key);
    if (raw === null || raw === undefined) return undefined;
    const { account, ...row } = selectedRow.parse(raw);
    return {
      ...row,
      accountName: account?.name ?? null,
      usA2pCampaignStatus: account?.usA2pCampaignStatus ?? null,
    };
  };
}
