/**
 * The releases digest (src/plan/release-digest.ts): the same set of releases and deletions gives
 * the same digest whatever order the engine listed them in; one more release, or another number
 * released under the same name, gives another.
 */
import { describe, expect, it } from "vitest";
import type { DestructiveChange, NumberPlan } from "../../src/plan/model";
import { releaseDigest, releaseSet } from "../../src/plan/release-digest";

const who = (n: number) => ({ accountId: `account-${n}`, accountName: `Clinic ${n}` });
const release = (n: number, sid: string): DestructiveChange => ({
  ...who(n),
  number: {
    name: "main",
    action: "release",
    sid,
    changes: [],
    monthlyCents: -115,
  } satisfies NumberPlan,
});
const detach = (n: number): DestructiveChange => ({
  ...who(n),
  attachment: { action: "detach", numberName: "main", phoneNumber: "+15145550100", reasons: [] },
});
const deleteService = (n: number): DestructiveChange => ({
  ...who(n),
  service: { action: "delete", sid: "MG1", changes: [] },
});

describe("the releases digest", () => {
  it("is one line per change, sorted, so the engine's order does not matter", () => {
    const a = [release(2, "PN2"), detach(1), deleteService(1), release(1, "PN1")];
    const b = [...a].reverse();
    expect(releaseSet({ destructive: a })).toEqual([
      "account account-1 attachment main detach +15145550100",
      "account account-1 messaging-service delete MG1",
      "account account-1 number main release PN1",
      "account account-2 number main release PN2",
    ]);
    expect(releaseDigest({ destructive: a })).toBe(releaseDigest({ destructive: b }));
  });

  it("changes with one more release, or another number under the same name", () => {
    const one = releaseDigest({ destructive: [release(1, "PN1")] });
    expect(releaseDigest({ destructive: [release(1, "PN1"), release(2, "PN2")] })).not.toBe(one);
    expect(releaseDigest({ destructive: [release(1, "PN9")] })).not.toBe(one);
    expect(releaseDigest({ destructive: [] })).toBe(
      "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    );
  });
});
