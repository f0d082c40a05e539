/**
 * "The preview tells the truth": runs `pulumi preview`, then `pulumi up --skip-preview`, and checks
 * that the engine planned exactly the steps it then took, per Twilio resource. Pull-request
 * previews are only worth reading if this holds.
 */
import { expect } from "vitest";
import type { EngineEvent, PulumiResult } from "../../scripts/lib/pulumi";
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
  expect(twilioSteps(preview.events), "preview planned what up did").toEqual(
    twilioSteps(up.events),
  );
  return { preview, up };
}
