/**
 * The contract between the Pulumi program and the post-deploy sync: the stack output `accounts`,
 * as `pulumi stack output --json` prints it. One zod schema: pulumi/account.ts builds values of its
 * type, the sync validates what it reads against it (docs/sync.md, "The contract").
 *
 * Released numbers, and every number of a released account, stay in the output with
 * `released: true` so the sync can clear their rows; an entry removed from the YAML later simply
 * disappears, and the sync never touches rows it is not told about.
 */
import { z } from "zod";
import { parseJsonInput } from "../config/json-input";
import { E164_PATTERN } from "../validation/phone-numbers";
import { MESSAGING_SERVICE_SID_PATTERN, PHONE_NUMBER_SID_PATTERN } from "../validation/sids";

const phoneNumberSid = z.string().regex(PHONE_NUMBER_SID_PATTERN, {
  error: 'expected a phone number SID: "PN" and 32 hex digits',
});
const e164 = z
  .string()
  .regex(E164_PATTERN, { error: 'expected an E.164 number such as "+15145550100"' });

export const StackNumberOutputSchema = z
  .strictObject({
    name: z.string().min(1),
    /** Null only for a released number that was never bought. */
    phoneNumber: e164.nullable(),
    /** Null only for a released number that was never bought. */
    sid: phoneNumberSid.nullable(),
    vapiPhoneId: z.string().min(1).nullable(),
    released: z.boolean(),
    /**
     * Parked (marked release: true, waiting for its release window to end): until when, ISO 8601.
     * Absent in the outputs of stacks deployed before release windows existed.
     */
    parkedUntil: z.iso.datetime({ offset: true }).nullable().optional(),
    /**
     * Bought again after it vanished from Twilio (docs/providers.md, "A number gone from
     * Twilio"): the SID the number was first bought with, its resource id. `sid` and
     * `phoneNumber` are the new number's; the sync moves the row holding this SID to them. Absent
     * on every number that was never bought again.
     */
    replacesSid: phoneNumberSid.optional(),
  })
  .superRefine((number, ctx) => {
    if (number.replacesSid !== undefined && number.replacesSid === number.sid) {
      ctx.addIssue({
        code: "custom",
        path: ["replacesSid"],
        message: "a number replaces another SID than its own",
      });
    }
    if (number.released) {
      if (number.parkedUntil) {
        ctx.addIssue({
          code: "custom",
          path: ["parkedUntil"],
          message: "a released number is not parked any more",
        });
      }
      return;
    }
    for (const key of ["phoneNumber", "sid"] as const) {
      if (number[key] === null) {
        ctx.addIssue({ code: "custom", path: [key], message: `an active number needs its ${key}` });
      }
    }
  });

export const StackAccountOutputSchema = z
  .strictObject({
    accountId: z.uuid(),
    name: z.string().min(1),
    released: z.boolean(),
    /** The account's Messaging Service; null once the account is released. */
    messagingServiceSid: z
      .string()
      .regex(MESSAGING_SERVICE_SID_PATTERN, {
        error: 'expected a Messaging Service SID: "MG" and 32 hex digits, or null',
      })
      .nullable(),
    numbers: z.array(StackNumberOutputSchema),
    /**
     * The US A2P 10DLC registration of an account that declares one (docs/a2p.md): the campaign's
     * status as Twilio last reported it (`VERIFIED` lets its US numbers deliver; null before the
     * campaign exists) and the next step in words. Absent for an account without a registration.
     */
    usA2p: z
      .strictObject({ campaignStatus: z.string().min(1).nullable(), next: z.string() })
      .optional(),
  })
  .superRefine((account, ctx) => {
    if (account.released) {
      account.numbers.forEach((number, index) => {
        if (!number.released && !number.parkedUntil) {
          ctx.addIssue({
            code: "custom",
            path: ["numbers", index, "released"],
            message: "every number of a released account is released or parked",
          });
        }
      });
    } else if (account.messagingServiceSid === null) {
      ctx.addIssue({
        code: "custom",
        path: ["messagingServiceSid"],
        message: "an active account needs its Messaging Service SID",
      });
    }
  });

/** What `pulumi stack output --json` prints; other outputs may sit next to `accounts`. */
export const StackOutputsSchema = z.object({ accounts: z.array(StackAccountOutputSchema) });

export type StackNumberOutput = z.output<typeof StackNumberOutputSchema>;
export type StackAccountOutput = z.output<typeof StackAccountOutputSchema>;
export type StackOutputs = z.output<typeof StackOutputsSchema>;

/** Outputs that cannot be used; nothing was written. The message starts with the reason. */
export class StackOutputsError extends Error {
  override name = "StackOutputsError";
}

/**
 * Parses the text `pulumi stack output --json` printed (read from `source`, a file or a stack).
 * Throws a StackOutputsError naming the source and every bad path.
 */
export function parseStackOutputs(text: string, source: string): StackOutputs {
  const input = parseJsonInput(text, StackOutputsSchema);
  if (input.ok) return input.data;
  if ("notJson" in input) {
    throw new StackOutputsError(
      `${source} is not valid JSON (${input.notJson}); expected what \`pulumi stack output --json\` prints`,
    );
  }
  throw new StackOutputsError(
    `${source} does not hold the stack outputs the sync expects (docs/sync.md, "The contract"):\n${input.problems.map((p) => `  ${p}`).join("\n")}`,
  );
}
