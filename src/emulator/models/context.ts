/**
 * What every model needs from the emulator around it: whose account it is, the time, and a way to
 * say "state changed" (the server persists the state file on that signal).
 */
export interface ModelContext {
  readonly accountSid: string;
  /** Current time; injectable so tests can pin dates. */
  now(): Date;
  /** Called after every successful mutation. */
  changed(): void;
}

/** A timestamp as the models store it: ISO 8601 in UTC, whole seconds (Twilio has no milliseconds). */
export function timestamp(ctx: ModelContext): string {
  return ctx
    .now()
    .toISOString()
    .replace(/\.\d{3}Z$/, "Z");
}
