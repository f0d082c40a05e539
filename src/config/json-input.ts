/**
 * JSON a command reads from another program or a saved file (a saved `pulumi preview --json`, the
 * stack outputs), checked against its zod schema: one way to tell "not JSON" from "not the
 * document expected", with each problem said as `path: message` (paths written as in the YAML
 * errors). The caller puts the source and what was expected around it.
 */
import type { z } from "zod";
import { formatPath } from "./load";

export type JsonInput<T> =
  | { ok: true; data: T }
  /** JSON.parse's reason. */
  | { ok: false; notJson: string }
  /** `path: message` per problem, at most `maxProblems`, then "… and N more". */
  | { ok: false; problems: string[] };

export function parseJsonInput<S extends z.ZodType>(
  text: string,
  schema: S,
  maxProblems = 20,
): JsonInput<z.output<S>> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { ok: false, notJson: (error as Error).message };
  }
  const result = schema.safeParse(data);
  if (result.success) return { ok: true, data: result.data };
  const problems = result.error.issues
    .slice(0, maxProblems)
    .map((issue) => `${formatPath(issue.path) || "(top level)"}: ${issue.message}`);
  const more = result.error.issues.length - problems.length;
  if (more > 0) problems.push(`… and ${more} more`);
  return { ok: false, problems };
}
