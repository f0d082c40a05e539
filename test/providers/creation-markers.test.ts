/**
 * The lookup behind crash-only creates (providers/creation-markers.ts), without Twilio: how often
 * the account is listed, and what a create does with each kind of failure. End to end, with the
 * real CLI and SIGKILL: test/accounts/crash-only-creates.test.ts.
 */
import { describe, expect, it } from "vitest";
import {
  createOnce,
  type MarkedObject,
  MarkerIndex,
  markerOf,
  withMarker,
  withoutMarker,
} from "../../providers/creation-markers";
import { isTwilioOperationError } from "../../providers/twilio-errors";

/** A Twilio account of marked objects, counting its list calls. */
function fakeAccount(initial: MarkedObject[] = []) {
  const objects = [...initial];
  let lists = 0;
  return {
    objects,
    lists: () => lists,
    index: new MarkerIndex<MarkedObject>(async () => {
      lists++;
      return [...objects];
    }),
  };
}

const restError = (status: number) => Object.assign(new Error(`HTTP ${status}`), { status });

describe("markers in friendly names", () => {
  it("append to the declared name, and come off again", () => {
    const name = withMarker("Plateau - main", "tm-0123abcd");
    expect(name).toBe("Plateau - main [tm-0123abcd]");
    expect(markerOf(name)).toBe("tm-0123abcd");
    expect(withoutMarker(name)).toBe("Plateau - main");
    expect(markerOf("Plateau - main")).toBeUndefined();
  });
});

describe("the marker index", () => {
  it("lists the account once for any number of lookups, and knows what the process created", async () => {
    const account = fakeAccount([{ sid: "MG1", friendlyName: "A [tm-00000001]" }]);
    const lookups = await Promise.all(
      ["tm-00000001", "tm-00000002", "tm-00000003"].map((m) => account.index.lookup(m)),
    );
    expect(lookups.map((found) => found.map((o) => o.sid))).toEqual([["MG1"], [], []]);
    account.index.remember({ sid: "MG2", friendlyName: "B [tm-00000002]" });
    expect((await account.index.lookup("tm-00000002")).map((o) => o.sid)).toEqual(["MG2"]);
    account.index.forget("MG1");
    expect(await account.index.lookup("tm-00000001")).toEqual([]);
    expect(account.lists()).toBe(1);
  });

  it("lists again after an unknown outcome, once for every lookup waiting on it", async () => {
    const account = fakeAccount();
    await account.index.lookup("tm-00000001");
    account.objects.push({ sid: "MG1", friendlyName: "A [tm-00000001]" }); // made, answer lost
    account.index.outcomeUnknown();
    const [first, second] = await Promise.all([
      account.index.lookup("tm-00000001"),
      account.index.lookup("tm-00000002"),
    ]);
    expect(first.map((o) => o.sid)).toEqual(["MG1"]);
    expect(second).toEqual([]);
    expect(account.lists()).toBe(2);
  });
});

describe("a create made at most once", () => {
  const spec = (account: ReturnType<typeof fakeAccount>, create: () => Promise<MarkedObject>) => ({
    action: "create Messaging Service of account a",
    what: "Messaging Service",
    marker: "tm-0000000a",
    index: account.index,
    adopt: async (found: MarkedObject) => ({ ...found, friendlyName: `${found.friendlyName}!` }),
    create,
  });

  it("adopts an object carrying its marker instead of creating", async () => {
    const account = fakeAccount([{ sid: "MG1", friendlyName: "A [tm-0000000a]" }]);
    const made = await createOnce(
      spec(account, async () => {
        throw new Error("must not create");
      }),
    );
    expect(made).toEqual({ sid: "MG1", friendlyName: "A [tm-0000000a]!" });
  });

  it("after a dropped answer, lists again and adopts what the first attempt made", async () => {
    const account = fakeAccount();
    let creates = 0;
    const made = await createOnce(
      spec(account, async () => {
        creates++;
        account.objects.push({ sid: "MG1", friendlyName: "A [tm-0000000a]" });
        throw Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
      }),
    );
    expect(made.sid).toBe("MG1");
    expect(creates).toBe(1);
    expect(account.lists()).toBe(2);
  });

  it("repeats a create answered 429 without listing again (Twilio did nothing)", async () => {
    const account = fakeAccount();
    let creates = 0;
    const made = await createOnce(
      spec(account, async () => {
        creates++;
        if (creates === 1) throw restError(429);
        return { sid: "MG2", friendlyName: "A [tm-0000000a]" };
      }),
    );
    expect(made.sid).toBe("MG2");
    expect(account.lists()).toBe(1);
  });

  it("refuses to guess between two objects carrying its marker", async () => {
    const account = fakeAccount([
      { sid: "MG1", friendlyName: "A [tm-0000000a]" },
      { sid: "MG2", friendlyName: "A again [tm-0000000a]" },
    ]);
    const failure = await createOnce(spec(account, async () => account.objects[0] as MarkedObject))
      .then(() => undefined)
      .catch((error: unknown) => error);
    expect(isTwilioOperationError(failure)).toBe(true);
    expect((failure as Error).message).toBe(
      "could not create Messaging Service of account a: 2 Messaging Services carry its marker tm-0000000a (MG1, MG2); refusing to guess. Delete or rename the extra one in Twilio, then run again",
    );
  });

  it("reports a failure that is not worth repeating at once, with the action first", async () => {
    const account = fakeAccount();
    const failure = await createOnce(
      spec(account, async () => {
        throw Object.assign(restError(400), { code: 21710, message: "bad" });
      }),
    ).catch((error: Error) => error);
    expect((failure as Error).message).toMatch(
      /^could not create Messaging Service of account a: Twilio error 21710 \(HTTP 400\): bad/,
    );
    expect(account.lists()).toBe(1);
  });
});
