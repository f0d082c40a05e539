/**
 * The output of `pulumi preview --json` (Pulumi 3.248), as far as the plan reads it. External input:
 * parsed with zod so a file that is not a preview fails with a clear message, and unknown keys are
 * kept (Pulumi adds fields between versions).
 */
import { z } from "zod";
import { parseJsonInput } from "../config/json-input";

/** Pulumi's placeholder for a value known only after the deployment (e.g. a SID not created yet). */
export const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

const PropertyMap = z.record(z.string(), z.unknown());

const ResourceStateSchema = z.looseObject({
  urn: z.string(),
  type: z.string(),
  id: z.string().optional(),
  parent: z.string().optional(),
  inputs: PropertyMap.optional(),
  outputs: PropertyMap.optional(),
});

const StepSchema = z.looseObject({
  /** same, create, update, delete, replace, create-replacement, delete-replaced, read, … */
  op: z.string(),
  urn: z.string(),
  oldState: ResourceStateSchema.optional(),
  newState: ResourceStateSchema.optional(),
  replaceReasons: z.array(z.string()).optional(),
});

const DiagnosticSchema = z.looseObject({
  message: z.string(),
  severity: z.string(),
  urn: z.string().optional(),
});

export const PreviewSchema = z.looseObject({
  steps: z.array(StepSchema).default([]),
  diagnostics: z.array(DiagnosticSchema).default([]),
  changeSummary: z.record(z.string(), z.number()).optional(),
});

export type Preview = z.output<typeof PreviewSchema>;
export type PreviewStep = z.output<typeof StepSchema>;
export type ResourceState = z.output<typeof ResourceStateSchema>;

/** Parses the text `pulumi preview --json` printed; throws with the reason when it is not one. */
export function parsePreviewJson(text: string, source: string): Preview {
  const input = parseJsonInput(text, PreviewSchema, 1);
  if (input.ok) return input.data;
  if ("notJson" in input) {
    throw new Error(
      `${source} is not JSON (${input.notJson}); expected the output of pulumi preview --json`,
    );
  }
  throw new Error(`${source} is not the output of pulumi preview --json: ${input.problems[0]}`);
}
