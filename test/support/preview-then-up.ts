/**
 * "The preview tells the truth": runs `pulumi preview`, then `pulumi up --skip-preview`, and checks
 * that the engine planned exactly the steps it then took, per Twilio resource. Pull-request
 * previews are only worth reading if this holds.
 */
import { expect } from "vitest";
import type { EngineEvent } from "../../src/pulumi/events";
import type { PulumiResult } from "../../src/pulumi/run";
import { type AccountsStack, twilioSteps } from "./accounts-stack";

type Run = PulumiResult & { events: EngineEvent[] };

/** The steps that change something (no `same`, no `refresh` reads). */
export function changingSteps(events: EngineEvent[]): string[] {
  return twilioSteps(events).filter((s) => !s.startsWith("same ") && !s.startsWith("refresh "));
}

/**
 * Preview, then up with the same flags (e.g. `--refresh`); returns both runs after asserting that
 * every Twilio resource got the same operation in each.
 */
export async function previewThenUp(
  stack: AccountsStack,
  flags: string[] = [],
): Promise<{ preview: Run; up: Run }> {
  const preview = await stack.pulumi(["preview", ...flags]);
  const up = await stack.pulumi(["up", "--yes", "--skip-preview", ...flags]);
  expectSameSteps(preview, up);
  return { preview, up };
}

/**
 * The comparison itself: the same Twilio steps in both runs, and both event logs read. Two empty
 * logs (no --event-log written, a run that stopped early) would otherwise compare equal.
 */
export function expectSameSteps(preview: Pick<Run, "events">, up: Pick<Run, "events">): void {
  // Every run of the program steps through at least its stack resource (pulumi:pulumi:Stack).
  const stepped = (events: EngineEvent[]) => events.some((e) => e.resourcePreEvent !== undefined);
  expect(stepped(preview.events), "the preview's event log has its steps").toBe(true);
  expect(stepped(up.events), "the up's event log has its steps").toBe(true);
  expect(twilioSteps(preview.events), "preview planned what up did").toEqual(
    twilioSteps(up.events),
  );
}

/**
 * `op Type name` of each Twilio resource step in the output of `pulumi preview --json` (a captured
 * preview, as the plan reads it), in the form `twilioSteps` gives for engine events. That output
 * lists only the steps that change something (no `same`); `refresh` reads are left out here too.
 */
export function jsonPreviewSteps(previewJson: string): string[] {
  const steps = (JSON.parse(previewJson).steps ?? []) as Array<{ op: string; urn: string }>;
  return steps
    .map((step) => {
      const parts = step.urn.split("::");
      const type = (parts.at(-2) ?? "").split("$").pop() ?? "";
      return { op: step.op, type, name: parts.at(-1) ?? "" };
    })
    .filter(
      (s) =>
        s.type.startsWith("pulumi-nodejs:dynamic/twilio:") &&
        !s.type.endsWith("NumberGuard") &&
        s.op !== "refresh",
    )
    .map((s) => `${s.op} ${s.type.split(":").pop()} ${s.name}`)
    .sort();
}
