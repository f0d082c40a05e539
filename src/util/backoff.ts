/** Exponential backoff with jitter, shared by the HTTP retry and the purchase loop. */

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Delay before retry number `attempt` (1-based): 250 ms, 500 ms, 1 s, 2 s … capped at 8 s. */
export function backoffDelayMs(attempt: number, baseMs = 250, capMs = 8_000): number {
  const exponential = Math.min(capMs, baseMs * 2 ** (attempt - 1));
  return exponential / 2 + Math.random() * (exponential / 2);
}
