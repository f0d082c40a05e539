/**
 * "Compare only what the YAML declares": a field left out of the YAML is not managed, so Twilio's
 * value (set in the console, say) is neither a diff nor overwritten.
 */

/** The declared fields whose desired value differs from the current one. */
export function changedDeclaredFields<T extends object, K extends keyof T>(
  current: Partial<T>,
  desired: Partial<T>,
  fields: readonly K[],
): K[] {
  return fields.filter(
    (field) => desired[field] !== undefined && desired[field] !== current[field],
  );
}

/** Copies the named fields that have a value (Twilio's null and "" mean "not set"). */
export function definedFields<T extends object, K extends keyof T>(
  source: T,
  fields: readonly K[],
): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const field of fields) {
    const value = source[field];
    if (value !== undefined && value !== null && value !== "") out[field] = value;
  }
  return out;
}

/** The object without its undefined values (so a spread does not erase a known value). */
export function withoutUndefined<T extends object>(source: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(source).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}
