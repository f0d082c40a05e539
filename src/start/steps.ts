/**
 * Progress of a long job, one line per step: what starts, and how long it took (or why it failed).
 * Lines go to the given writer (stderr in `npm start`), so stdout holds only the results.
 */

export interface StepTiming {
  name: string;
  seconds: number;
}

export interface StepRunner {
  /** Runs one step: "▸ name…" before, "✓ name (1.2 s)" or "✗ name failed after 1.2 s" after. */
  run<T>(name: string, work: () => Promise<T>): Promise<T>;
  /** A line of progress inside the current step. */
  note(message: string): void;
  /** Every finished step, in order (for the closing summary). */
  readonly timings: readonly StepTiming[];
}

export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

export function createStepRunner(write: (line: string) => void, prefix = "[start]"): StepRunner {
  const timings: StepTiming[] = [];
  let index = 0;
  return {
    timings,
    note(message) {
      write(`${prefix}     ${message}`);
    },
    async run(name, work) {
      index++;
      write(`${prefix} ${index}. ${name}…`);
      const started = performance.now();
      try {
        const result = await work();
        const elapsed = performance.now() - started;
        timings.push({ name, seconds: elapsed / 1000 });
        write(`${prefix} ✓ ${name} (${formatSeconds(elapsed)})`);
        return result;
      } catch (error) {
        write(`${prefix} ✗ ${name} failed after ${formatSeconds(performance.now() - started)}`);
        throw error;
      }
    },
  };
}
