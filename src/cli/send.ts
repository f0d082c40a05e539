/**
 * `npm run send -- (--account ID | --vapi-phone-id ID) --to +1… --body TEXT [--json]`: sends one
 * SMS through the account's Messaging Service with the runtime sender, for a quick check after a
 * deploy and sync. Exit codes: 0 sent, 1 not sent (no service, Twilio refused, …), 2 usage error
 * or what the sender refuses before any call (a setting, the recipient, the body).
 */
import { openDatabase } from "../db";
import {
  createSmsSender,
  SendOutcomeUnknownError,
  type SmsResult,
  SmsSenderError,
} from "../sender";
import { twilioCredentialsFromEnv } from "../twilio/client";
import { plural } from "../util/plural";
import { defineCommand, EXIT, main, UsageError } from "./command";
import { openOnFirstUse } from "./lazy-database";

const USAGE = `Usage: npm run send -- (--account ID | --vapi-phone-id ID) --to E164 --body TEXT [--json]

Sends one SMS through the account's Messaging Service (no From number), as the backend does with
twilio-messaging-iac/sender (docs/sender.md): the Messaging Service SID comes from the account's
active VapiPhoneNumber row, written by \`npm run sync\`.

  --account ID          the backend's Account.id
  --vapi-phone-id ID    or the Vapi phone id of a VapiPhoneNumber row (the call-transfer path)
  --to E164             recipient, e.g. +15145550123
  --body TEXT           message text (at most 1600 characters)
  --database-url URL    PostgreSQL (default: DATABASE_URL; unset: the embedded database in
                        .local/db/, as npm run sync uses)
  --json                print {sid, status, messagingServiceSid, segments, encoding,
                        estimatedCostUsd}
  -h, --help            this text

Twilio credentials come from the environment: TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN (or
TWILIO_API_KEY + TWILIO_API_SECRET); TWILIO_BASE_URL sends to the emulator instead of Twilio
(https://, or plain http:// to this machine only).

Exit codes: 0 sent, 1 not sent (reason printed), 2 usage error, a setting the sender refuses,
or a recipient/body refused before any call.`;

/** Refused before any call: what the person typed, so a usage error (exit 2). */
const INPUT_ERRORS = new Set(["INVALID_RECIPIENT", "EMPTY_BODY", "BODY_TOO_LONG"]);

type Target = { accountId: string } | { vapiPhoneId: string };

function renderResult(result: SmsResult, target: Target): string {
  const who =
    "accountId" in target ? `account ${target.accountId}` : `Vapi phone ${target.vapiPhoneId}`;
  const segments = `${plural(result.segments, "segment")} ${result.encoding}`;
  return `Sent ${result.sid} through Messaging Service ${result.messagingServiceSid} (${who}): status ${result.status}, ${segments}, estimated $${result.estimatedCostUsd}`;
}

export const sendCommand = defineCommand({
  script: "send",
  usage: USAGE,
  options: {
    account: { type: "string" },
    "vapi-phone-id": { type: "string" },
    to: { type: "string" },
    body: { type: "string" },
    "database-url": { type: "string" },
    json: { type: "boolean" },
  },
  async run({ values }, io) {
    const { account, to, body } = values;
    const vapiPhoneId = values["vapi-phone-id"];
    if ((account === undefined) === (vapiPhoneId === undefined))
      throw new UsageError("give exactly one of --account ID or --vapi-phone-id ID");
    if (account === "" || vapiPhoneId === "")
      throw new UsageError("--account and --vapi-phone-id need a value");
    if (to === undefined)
      throw new UsageError("--to is required (the recipient, e.g. +15145550123)");
    if (body === undefined) throw new UsageError("--body is required (the message text)");
    const target: Target =
      account !== undefined ? { accountId: account } : { vapiPhoneId: vapiPhoneId as string };

    let credentials: ReturnType<typeof twilioCredentialsFromEnv>;
    try {
      credentials = twilioCredentialsFromEnv(io.env);
    } catch (error) {
      io.err(`error: ${(error as Error).message}\nNothing was sent.\n`);
      return EXIT.usage;
    }

    // The database opens with the first lookup (embedded or PostgreSQL, as npm run sync opens it).
    const database = openOnFirstUse(() => openDatabase({ databaseUrl: values["database-url"] }));
    let sender: ReturnType<typeof createSmsSender>;
    try {
      sender = createSmsSender({ prisma: database.prisma, twilio: credentials });
    } catch (error) {
      // A setting the sender refuses (TWILIO_BASE_URL over plain http off loopback): fix and rerun.
      io.err(`error: ${(error as Error).message}\nNothing was sent.\n`);
      return EXIT.usage;
    }
    try {
      const result =
        "accountId" in target
          ? await sender.sendSms({ accountId: target.accountId, to, body })
          : await sender.sendSmsByVapiPhoneId({ vapiPhoneId: target.vapiPhoneId, to, body });
      io.out(
        values.json ? `${JSON.stringify(result, null, 2)}\n` : `${renderResult(result, target)}\n`,
      );
      return EXIT.ok;
    } catch (error) {
      if (error instanceof SmsSenderError) {
        const sent = error instanceof SendOutcomeUnknownError ? "" : "\nNothing was sent.";
        io.err(`error: ${error.message}${sent}\n`);
        return INPUT_ERRORS.has(error.code) ? EXIT.usage : EXIT.failure;
      }
      io.err(
        `error: ${error instanceof Error ? error.message : String(error)}\nNothing was sent.\n`,
      );
      return EXIT.failure;
    } finally {
      await sender.close();
      await database.close();
    }
  },
});

if (require.main === module) main(sendCommand);
