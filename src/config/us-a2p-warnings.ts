/**
 * Which accounts will text from US local ("10DLC") numbers without a US A2P registration: US
 * carriers block every such message (Twilio error 30034), so `npm run validate` and the plan warn.
 * A warning, not an error: a new account may buy its numbers before its business is registered.
 *
 * What is known without calling Twilio: a number bought by area code in the US, or adopted by an
 * E.164 number with a US area code. A number adopted by SID is not counted (its country is known
 * only once Twilio is asked; the plan's preview does not ask).
 */
import { countryOfAreaCode } from "../validation/phone-numbers";
import type { ResolvedAccount, ResolvedNumber } from "./load";

export interface UnregisteredUsAccount {
  accountId: string;
  accountName: string;
  sourceFile: string;
  /** The names of its US local numbers. */
  numbers: string[];
}

/** The number is a US local number, as far as the YAML tells. */
export function isUsLocalNumber(number: ResolvedNumber): boolean {
  if (number.kind === "buy") return number.country === "US";
  if (number.phoneNumber === undefined || !number.phoneNumber.startsWith("+1")) return false;
  return countryOfAreaCode(number.phoneNumber.slice(2, 5)) === "US";
}

/** Active accounts with active US local numbers and no `compliance.usA2p`. */
export function unregisteredUsAccounts(
  accounts: readonly ResolvedAccount[],
): UnregisteredUsAccount[] {
  return accounts.flatMap((account) => {
    if (account.release || account.usA2p !== undefined) return [];
    const numbers = account.numbers.filter((n) => !n.release && isUsLocalNumber(n));
    if (numbers.length === 0) return [];
    return [
      {
        accountId: account.id,
        accountName: account.name,
        sourceFile: account.sourceFile,
        numbers: numbers.map((n) => n.name),
      },
    ];
  });
}

/** The warning's words, the same in `npm run validate` and the plan. */
export function unregisteredUsWarning(account: UnregisteredUsAccount): string {
  const list = account.numbers.map((n) => `'${n}'`).join(", ");
  return `account ${account.accountId} (${account.accountName}) has US local numbers (${list}) but no compliance.usA2p: US carriers block its messages (Twilio error 30034) until a brand and campaign are registered`;
}
