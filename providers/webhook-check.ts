/**
 * The providers' `check` of webhook URLs: the same syntax rule as the accounts schema and its JSON
 * Schema (src/validation/urls.ts), so inputs that reach a provider by another route than the YAML
 * loader (an import, a future program) are held to it too. Reachability (localhost, private
 * addresses) depends on the account's allowLocalWebhooks and is the loader's to judge.
 */
import type * as pulumi from "@pulumi/pulumi";
import { describeWebhookSyntaxProblem, isWebhookUrl } from "../src/validation/urls";

/** A failure per webhook field whose value is set and not a webhook URL. */
export function webhookFailures<T extends object>(
  inputs: T,
  fields: readonly (keyof T & string)[],
  owner: string,
): pulumi.dynamic.CheckFailure[] {
  const failures: pulumi.dynamic.CheckFailure[] = [];
  for (const field of fields) {
    const value = inputs[field];
    if (value === undefined || value === null) continue;
    if (typeof value === "string" && isWebhookUrl(value)) continue;
    const problem =
      typeof value === "string" ? describeWebhookSyntaxProblem(value) : "not a string";
    failures.push({
      property: field,
      reason: `${owner}: '${field}' is not a webhook URL Twilio can call (${problem})`,
    });
  }
  return failures;
}
