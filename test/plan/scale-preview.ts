/**
 * Scales a captured real `pulumi preview --json` up: the steps of one account are repeated for
 * `count` new accounts (new ids and names, everything else as the engine planned it), and the
 * number guard learns their names. A 1,000-account preview of the real program takes minutes on
 * 2 cores (docs/plan.md); the renderer's size limits need only the shape of its steps.
 */
interface Step {
  urn: string;
  newState?: { type: string; inputs?: Record<string, unknown> };
  oldState?: { type: string; inputs?: Record<string, unknown> };
}

export function cloneId(index: number): string {
  return `00000000-0000-4000-8000-${String(index).padStart(12, "0")}`;
}

export function scalePreview(
  previewJson: string,
  account: { id: string; name: string },
  count: number,
): string {
  const preview = JSON.parse(previewJson) as { steps: Step[] };
  const own = JSON.stringify(preview.steps.filter((s) => s.urn.includes(account.id)));
  const rename = (text: string, i: number) =>
    text
      .split(account.id)
      .join(cloneId(i))
      .split(account.name)
      .join(`${account.name} ${i + 1}`);
  const clones: Step[] = [];
  for (let i = 0; i < count; i++) clones.push(...(JSON.parse(rename(own, i)) as Step[]));
  for (const step of preview.steps) {
    for (const state of [step.newState, step.oldState]) {
      const numbers = state?.type.endsWith(":NumberGuard")
        ? (state.inputs?.numbers as Record<string, unknown> | undefined)
        : undefined;
      if (!numbers) continue;
      for (const [key, entry] of Object.entries(numbers)) {
        if (!key.startsWith(account.id)) continue;
        for (let i = 0; i < count; i++) {
          numbers[rename(key, i)] = JSON.parse(rename(JSON.stringify(entry), i));
        }
      }
    }
  }
  preview.steps = [...preview.steps.filter((s) => !s.urn.includes(account.id)), ...clones];
  return JSON.stringify(preview);
}
