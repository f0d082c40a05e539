/**
 * `pulumi up` (the real CLI) killed with SIGKILL, the CLI and every plugin process, at the moment
 * the emulator has served the first request with a given operationId; then a check that nothing of
 * the killed run reaches Twilio any more. The stack must be made with `onExchange` forwarding to
 * the returned watcher (createAccountsStack's option).
 */
import { expect } from "vitest";
import type { RequestLogEntry } from "../../src/emulator/request-log";
import type { AccountsStack } from "./accounts-stack";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface KillSwitch {
  /** Give every exchange of the stack's emulator to this (the stack's `onExchange`). */
  onExchange(entry: RequestLogEntry): void;
  /** Every exchange since the stack was made. */
  readonly history: RequestLogEntry[];
  upKilledAt(stack: AccountsStack, operationId: string): Promise<void>;
}

export function killSwitch(): KillSwitch {
  const history: RequestLogEntry[] = [];
  let armed: ((entry: RequestLogEntry) => void) | undefined;
  return {
    history,
    onExchange(entry) {
      history.push(entry);
      armed?.(entry);
    },
    async upKilledAt(stack, operationId) {
      const killed = new AbortController();
      let deadAt = Number.POSITIVE_INFINITY;
      armed = (entry) => {
        if (entry.operationId !== operationId || killed.signal.aborted) return;
        killed.abort();
      };
      try {
        const crashed = await stack.pulumi(["up", "--yes", "--skip-preview"], {
          check: false,
          signal: killed.signal,
        });
        expect(killed.signal.aborted, `the up never sent ${operationId}:\n${crashed.output}`).toBe(
          true,
        );
        expect(crashed.code).not.toBe(0);
        // The CLI has exited and its plugins' process groups were killed: the crash is complete.
        // (Measured from the kill's start instead, a request the provider sent while the kill
        // was still being delivered counted as late on a loaded machine.)
        deadAt = Date.now();
      } finally {
        armed = undefined;
      }
      // A provider that survived the kill would go on within this time (100 ms of grace for a
      // request already on the wire).
      await sleep(1_500);
      const late = history.filter((entry) => Date.parse(entry.time) > deadAt + 100);
      expect(late.map((entry) => `${entry.method} ${entry.path}`)).toEqual([]);
    },
  };
}
