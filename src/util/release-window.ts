/**
 * The release window of a parked number, as one rule for the provider that parks and releases it
 * (providers/phone-number.ts) and the plan that shows it (src/plan/model.ts): the window starts
 * when the number is parked (recorded in the state) and lasts the days the YAML declares now, so a
 * changed `releaseAfterDays` moves the end (and the plan says so) but a window never starts again.
 */
import { addDays } from "./clock";

/** When the window that started at `parkedAt` ends, with `days` declared (ISO 8601, UTC). */
export function windowEnd(parkedAt: string, days: number): string {
  return addDays(parkedAt, days).toISOString();
}

/** Whether the window has ended at `at`: the next `up` releases the number. */
export function windowPassed(parkedAt: string, days: number, at: Date): boolean {
  return at.getTime() >= Date.parse(windowEnd(parkedAt, days));
}
