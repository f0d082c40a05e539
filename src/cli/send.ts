/**
 * `npm run send -- (--account ID | --vapi-phone-id ID) --to +1… --body TEXT [--json]`: sends one
 * SMS through the account's Messaging Service with the runtime sender, for a quick check after a
 * deploy and sync. Exit codes: 0 sent, 1 not sent (no service, Twilio refused, …), 2 usage error
 * or input the sender refuses before any call (recipient, body).
 */
import { parseArgs } from "node:util";
import { type Database, openDatabase } from "../db";
import {
  createSmsSender,
  SendOutcomeUnknownError,
  type SmsResult,
  SmsSenderError,
} from "../sender";
import { twilioCredentialsFromEnv } from "../twilio/client";
import { type CliIo, processIo, runAsMain } from "./io";

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
TWILIO_API_KEY + TWILIO_API_SECRET); TWILIO_BASE_URL sends to the emulator instead of Twilio.

Exit codes: 0 sent, 1 not sent (reason printed), 2 usage error or a recipient/body refused
before any call.`;

export interface SendCliIo extends CliIo {
  env?: NodeJS.ProcessEnv;
}

interface SendArgs {
  target: { accountId: string } | { vapiPhoneId: string };
  to: string;
  body: string;
  databaseUrl?: string;
  json: boolean;
}

/** Refused before any call: what the person typed, so a usage error (exit 2). */
const INPUT_ERRORS = new Set(["INVALID_RECIPIENT", "EMPTY_BODY", "BODY_TOO_LONG"]);

function parse(args: readonly string[]): SendArgs | "help" | string {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: {
        account: { type: "string" },
        "vapi-phone-id": { type: "string" },
        to: { type: "string" },
        body: { type: "string" },
        "database-url": { type: "string" },
        json: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    return (error as Error).message;
  }
  if (values.help) return "help";
  const account = values.account as string | undefined;
  const vapiPhoneId = values["vapi-phone-id"] as string | undefined;
  if ((account === undefined) === (vapiPhoneId === undefined))
    return "give exactly one of --account ID or --vapi-phone-id ID";
  if (account === "" || vapiPhoneId === "") return "--account and --vapi-phone-id need a value";
  const to = values.to as string | undefined;
  const body = values.body as string | undefined;
  if (to === undefined) return "--to is required (the recipient, e.g. +15145550123)";
  if (body === undefined) return "--body is required (the message text)";
  return {
    target: account !== undefined ? { accountId: account } : { vapiPhoneId: vapiPhoneId as string },
    to,
    body,
    databaseUrl: values["database-url"] as string | undefined,
    json: values.json === true,
  };
}

function renderResult(result: SmsResult, target: SendArgs["target"]): string {
  const who =
    "accountId" in target ? `account ${target.accountId}` : `Vapi phone ${target.vapiPhoneId}`;
  const segments = `${result.segments} segment${result.segments === 1 ? "" : "s"} ${result.encoding}`;
  return `Sent ${result.sid} through Messaging Service ${result.messagingServiceSid} (${who}): status ${result.status}, ${segments}, estimated $${result.estimatedCostUsd}`;
}

/** Runs the command; returns the exit code. */
export async function runSendCli(args: readonly string[], io: SendCliIo): Promise<number> {
  const parsed = parse(args);
  if (parsed === "help") {
    io.out(`${USAGE}\n`);
    return 0;
  }
  if (typeof parsed === "string") {
    io.err(`error: ${parsed}\n\n${USAGE}\n`);
    return 2;
  }
  let credentials: ReturnType<typeof twilioCredentialsFromEnv>;
  try {
    credentials = twilioCredentialsFromEnv(io.env ?? process.env);
  } catch (error) {
    io.err(`error: ${(error as Error).message}\nNothing was sent.\n`);
    return 2;
  }

  let db: Promise<Database> | undefined;
  const sender = createSmsSender({
    prisma: {
      vapiPhoneNumber: {
        async findFirst(query) {
          db ??= openDatabase({ databaseUrl: parsed.databaseUrl });
          return (await db).prisma.vapiPhoneNumber.findFirst(query);
        },
      },
    },
    twilio: credentials,
  });
  try {
    const { to, body } = parsed;
    const result =
      "accountId" in parsed.target
        ? await sender.sendSms({ accountId: parsed.target.accountId, to, body })
        : await sender.sendSmsByVapiPhoneId({ vapiPhoneId: parsed.target.vapiPhoneId, to, body });
    io.out(
      parsed.json
        ? `${JSON.stringify(result, null, 2)}\n`
        : `${renderResult(result, parsed.target)}\n`,
    );
    return 0;
  } catch (error) {
    if (error instanceof SmsSenderError) {
      const sent = error instanceof SendOutcomeUnknownError ? "" : "\nNothing was sent.";
      io.err(`error: ${error.message}${sent}\n`);
      return INPUT_ERRORS.has(error.code) ? 2 : 1;
    }
    io.err(`error: ${error instanceof Error ? error.message : String(error)}\nNothing was sent.\n`);
    return 1;
  } finally {
    await sender.close();
    await (await db?.catch(() => undefined))?.close();
  }
}

if (require.main === module) runAsMain("send", (args) => runSendCli(args, processIo));
