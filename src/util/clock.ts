/**
 * What "now" is, in one place: the release windows of parked numbers (providers/phone-number.ts)
 * and the plan that shows them (src/plan/) read the time here and nowhere else, so a test or the
 * emulator can move it.
 *
 * `TWILIO_MESSAGING_NOW` (an ISO 8601 date-time with its zone, e.g. `2026-12-11T09:00:00Z`)
 * replaces the system clock for every process that inherits it: the plan, `npm run pulumi`, and
 * the providers, which Pulumi starts with the CLI's environment. A value that is not such a
 * date-time is an error, never ignored: a mistyped override must not release a number early or
 * late.
 */

export const NOW_ENV = "TWILIO_MESSAGING_NOW";

const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

export const DAY_MS = 24 * 60 * 60 * 1000;

/** The current time: the override in the environment when set, else the system clock. */
export function now(env: NodeJS.ProcessEnv = process.env): Date {
  const override = env[NOW_ENV];
  if (override === undefined || override === "") return new Date();
  const parsed = Date.parse(override);
  if (!ISO_WITH_ZONE.test(override) || Number.isNaN(parsed)) {
    throw new Error(
      `${NOW_ENV} is ${JSON.stringify(override)}, not an ISO 8601 date-time with a zone such as "2026-12-11T09:00:00Z"; unset it to use the system clock`,
    );
  }
  return new Date(parsed);
}

/** `from` plus whole days. */
export function addDays(from: Date | string, days: number): Date {
  return new Date(new Date(from).getTime() + days * DAY_MS);
}

/** "2026-12-11 09:00 UTC": how a person reads a release date (friendly names, plans, errors). */
export function formatUtc(date: Date | string): string {
  return `${new Date(date).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
