import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, expectTypeOf, it } from "vitest";
import { ConfigError, formatIssue } from "../../src/config/errors";
import {
  loadAccountsFiles,
  parseAccountsDocument,
  parseAccountsDocuments,
  type ResolvedAccount,
  type ResolvedNumber,
} from "../../src/config/load";
import { ID_A, ID_B, SID_A } from "./bad-inputs";
import { configErrorOf, issuesOf } from "./helpers";

const EXAMPLE = "config/accounts.example.yaml";

const yaml = (...lines: string[]): string => `${lines.join("\n")}\n`;

function onlyAccount(text: string): ResolvedAccount {
  const { accounts } = parseAccountsDocument(text, "accounts.yaml");
  expect(accounts).toHaveLength(1);
  const [account] = accounts;
  if (account === undefined) throw new Error("no account");
  return account;
}

describe("the example configuration", () => {
  it("validates and resolves three accounts with four numbers", () => {
    const { accounts } = loadAccountsFiles([EXAMPLE]);
    expect(accounts.map((a) => a.name)).toEqual([
      "Downtown Montreal Dentistry",
      "Clinique Dentaire du Plateau",
      "Seattle Smiles Dental",
      "Kitsilano Family Dental",
    ]);
    expect(accounts.flatMap((a) => a.numbers)).toHaveLength(5);
    expect(accounts.every((a) => a.sourceFile === EXAMPLE && !a.release)).toBe(true);
  });

  it("adopts one existing number by SID and buys the others in Canadian area codes and Seattle", () => {
    const numbers = loadAccountsFiles([EXAMPLE]).accounts.flatMap((a) => a.numbers);
    const adopted = numbers.filter((n) => n.kind === "adopt");
    expect(adopted).toHaveLength(1);
    expect(adopted[0]).toMatchObject({
      kind: "adopt",
      sid: expect.stringMatching(/^PN[0-9a-f]{32}$/),
    });
    expect(numbers.filter((n) => n.kind === "buy").map((n) => [n.areaCode, n.country])).toEqual([
      ["514", "CA"],
      ["438", "CA"],
      ["514", "CA"],
      ["206", "US"],
    ]);
  });
});

describe("defaults", () => {
  it("are merged under every account of the file, and the account's own values win", () => {
    const account = onlyAccount(
      yaml(
        "defaults:",
        "  messagingService:",
        "    inboundRequestUrl: https://api.parlae.example/twilio/messaging/inbound",
        "    stickySender: true",
        "    validityPeriod: 14400",
        "  number:",
        "    smsUrl: https://api.parlae.example/twilio/sms",
        "    voiceUrl: https://api.parlae.example/twilio/voice",
        "accounts:",
        `  - id: ${ID_A}`,
        "    name: Downtown Montreal Dentistry",
        "    messagingService:",
        "      stickySender: false",
        "      fallbackUrl: https://api.parlae.example/twilio/messaging/fallback",
        "    numbers:",
        "      - name: main",
        '        areaCode: "212"',
        "        voiceUrl: https://api.parlae.example/twilio/voice/main",
      ),
    );
    expect(account).toEqual({
      id: ID_A,
      name: "Downtown Montreal Dentistry",
      release: false,
      messagingService: {
        friendlyName: "Downtown Montreal Dentistry - Parlae",
        inboundRequestUrl: "https://api.parlae.example/twilio/messaging/inbound",
        stickySender: false,
        validityPeriod: 14400,
        fallbackUrl: "https://api.parlae.example/twilio/messaging/fallback",
      },
      numbers: [
        {
          kind: "buy",
          name: "main",
          areaCode: "212",
          country: "US",
          friendlyName: "Downtown Montreal Dentistry - main",
          smsUrl: "https://api.parlae.example/twilio/sms",
          voiceUrl: "https://api.parlae.example/twilio/voice/main",
          release: false,
          releaseAfterDays: 7,
        },
      ],
      sourceFile: "accounts.yaml",
    });
  });

  it("name the Messaging Service '<account name> - Parlae' when no friendlyName is given", () => {
    const account = onlyAccount(
      yaml(
        "accounts:",
        `  - id: ${ID_A}`,
        "    name: Test Clinic",
        "    numbers:",
        "      - name: main",
        '        areaCode: "212"',
      ),
    );
    expect(account.messagingService).toEqual({ friendlyName: "Test Clinic - Parlae" });
  });

  it("name a number '<account name> - <number name>' when no friendlyName is given", () => {
    const account = onlyAccount(
      yaml(
        "accounts:",
        `  - id: ${ID_A}`,
        "    name: Test Clinic",
        "    numbers:",
        "      - name: main",
        '        areaCode: "212"',
        "      - name: after-hours",
        '        areaCode: "646"',
        "        friendlyName: Night line",
      ),
    );
    expect(account.numbers.map((n) => n.friendlyName)).toEqual([
      "Test Clinic - main",
      "Night line",
    ]);
  });

  it("shorten a long account name so default names fit Twilio's limits and keep the suffix", () => {
    const name = `Clinique Dentaire ${"du Plateau Mont-Royal ".repeat(4)}Est`.slice(0, 100);
    const account = onlyAccount(
      yaml(
        "accounts:",
        `  - id: ${ID_A}`,
        `    name: ${name}`,
        "    numbers:",
        "      - name: after-hours",
        '        areaCode: "212"',
      ),
    );
    expect(name).toHaveLength(100);
    expect(account.messagingService.friendlyName).toHaveLength(48);
    expect(account.messagingService.friendlyName).toMatch(
      /^Clinique Dentaire du Plateau .* - Parlae$/,
    );
    const [number] = account.numbers;
    expect(number?.friendlyName.length).toBeLessThanOrEqual(48);
    expect(number?.friendlyName).toMatch(/^Clinique Dentaire du Plateau .*\S - after-hours$/);
  });

  it("give a bought number defaults.country, or US when the file sets none", () => {
    const numbersOf = (head: string[], areaCode: string) =>
      onlyAccount(
        yaml(
          ...head,
          "accounts:",
          `  - id: ${ID_A}`,
          "    name: Clinic",
          "    numbers:",
          "      - name: main",
          `        areaCode: "${areaCode}"`,
          "      - name: toronto",
          '        areaCode: "416"',
          "        country: CA",
        ),
      ).numbers.map((n) => (n.kind === "buy" ? n.country : undefined));
    expect(numbersOf([], "212")).toEqual(["US", "CA"]);
    expect(numbersOf(["defaults:", "  country: CA"], "514")).toEqual(["CA", "CA"]);
  });

  it("apply only to the accounts of their own file", () => {
    const { accounts } = parseAccountsDocuments([
      {
        fileName: "quebec.yaml",
        text: yaml(
          "defaults:",
          "  country: CA",
          "  messagingService: { stickySender: true }",
          "accounts:",
          `  - id: ${ID_A}`,
          "    name: Montreal Clinic",
          '    numbers: [{ name: main, areaCode: "514" }]',
        ),
      },
      {
        fileName: "us.yaml",
        text: yaml(
          "accounts:",
          `  - id: ${ID_B}`,
          "    name: Boston Clinic",
          '    numbers: [{ name: main, areaCode: "617" }]',
        ),
      },
    ]);
    expect(accounts.map((a) => [a.sourceFile, a.messagingService.stickySender])).toEqual([
      ["quebec.yaml", true],
      ["us.yaml", undefined],
    ]);
    expect(accounts.map((a) => a.numbers[0]?.kind === "buy" && a.numbers[0].country)).toEqual([
      "CA",
      "US",
    ]);
  });
});

describe("resolved values", () => {
  it("keep an area code as the string it is written as", () => {
    const account = onlyAccount(
      yaml(
        "accounts:",
        `  - id: ${ID_A}`,
        "    name: Clinic",
        "    numbers:",
        "      - name: main",
        '        areaCode: "212"',
      ),
    );
    expect(account.numbers[0]).toMatchObject({ kind: "buy", areaCode: "212", country: "US" });
  });

  it("write account ids in lower case, as the backend stores them", () => {
    const account = onlyAccount(
      yaml(
        "accounts:",
        `  - id: ${ID_A.toUpperCase()}`,
        "    name: Clinic",
        '    numbers: [{ name: main, areaCode: "212" }]',
      ),
    );
    expect(account.id).toBe(ID_A);
  });

  it("describe an adopted number by SID or by E.164 number, without buy fields", () => {
    const account = onlyAccount(
      yaml(
        "accounts:",
        `  - id: ${ID_A}`,
        "    name: Clinic",
        "    numbers:",
        "      - name: main",
        `        adopt: { sid: ${SID_A} }`,
        "        vapiPhoneId: 30eb318f-70d2-4600-b21d-21673479d7f9",
        "      - name: spare",
        '        adopt: { phoneNumber: "+15145550100" }',
      ),
    );
    expect(account.numbers).toEqual([
      {
        kind: "adopt",
        name: "main",
        sid: SID_A,
        friendlyName: "Clinic - main",
        vapiPhoneId: "30eb318f-70d2-4600-b21d-21673479d7f9",
        release: false,
        releaseAfterDays: 7,
      },
      {
        kind: "adopt",
        name: "spare",
        phoneNumber: "+15145550100",
        friendlyName: "Clinic - spare",
        release: false,
        releaseAfterDays: 7,
      },
    ]);
  });

  it("hold only keys that were set or defaulted, never an undefined value", () => {
    const { accounts } = loadAccountsFiles([EXAMPLE]);
    const undefinedKeys: string[] = [];
    const visit = (value: unknown, path: string) => {
      if (value === undefined) undefinedKeys.push(path);
      if (typeof value === "object" && value !== null) {
        for (const [key, child] of Object.entries(value)) visit(child, `${path}.${key}`);
      }
    };
    visit(accounts, "accounts");
    expect(undefinedKeys).toEqual([]);
  });

  it("mark every number of a released account as released, and let it list no numbers", () => {
    const { accounts } = parseAccountsDocument(
      yaml(
        "accounts:",
        `  - id: ${ID_A}`,
        "    name: Closed Clinic",
        "    release: true",
        "    numbers:",
        "      - name: main",
        '        areaCode: "212"',
        "        release: false",
        `  - id: ${ID_B}`,
        "    name: Long Gone Clinic",
        "    release: true",
      ),
      "accounts.yaml",
    );
    expect(accounts.map((a) => [a.release, a.numbers.map((n) => n.release)])).toEqual([
      [true, [true]],
      [true, []],
    ]);
  });

  it("release only the numbers marked release: true in an active account", () => {
    const account = onlyAccount(
      yaml(
        "accounts:",
        `  - id: ${ID_A}`,
        "    name: Clinic",
        "    numbers:",
        '      - { name: main, areaCode: "212" }',
        '      - { name: old, areaCode: "646", release: true }',
      ),
    );
    expect(account.numbers.map((n) => [n.name, n.release])).toEqual([
      ["main", false],
      ["old", true],
    ]);
  });

  it("give each number a release window: its own, else its account's, else the file's (7 days by default), and the file's parking URL", () => {
    const [first, second] = parseAccountsDocuments([
      {
        fileName: "a.yaml",
        text: yaml(
          "defaults:",
          "  releaseAfterDays: 14",
          "  parkingUrl: https://api.parlae.example/twilio/parked",
          "accounts:",
          `  - id: ${ID_A}`,
          "    name: Clinic",
          "    releaseAfterDays: 3",
          "    numbers:",
          '      - { name: main, areaCode: "212", releaseAfterDays: 0 }',
          '      - { name: old, areaCode: "646" }',
        ),
      },
      {
        fileName: "b.yaml",
        text: yaml(
          "accounts:",
          `  - id: ${ID_B}`,
          "    name: Other",
          "    numbers:",
          '      - { name: main, areaCode: "212" }',
        ),
      },
    ]).accounts;
    expect(first?.numbers.map((n) => [n.name, n.releaseAfterDays, n.parkingUrl])).toEqual([
      ["main", 0, "https://api.parlae.example/twilio/parked"],
      ["old", 3, "https://api.parlae.example/twilio/parked"],
    ]);
    expect(second?.numbers.map((n) => [n.releaseAfterDays, n.parkingUrl])).toEqual([
      [7, undefined],
    ]);
  });

  it("refuse a release window that is not a whole number of days from 0 to 365", () => {
    for (const bad of ["-1", "1.5", '"7"', "366"]) {
      const error = configErrorOf(() =>
        parseAccountsDocuments([
          {
            fileName: "a.yaml",
            text: yaml(
              "accounts:",
              `  - id: ${ID_A}`,
              "    name: Clinic",
              "    numbers:",
              `      - { name: main, areaCode: "212", release: true, releaseAfterDays: ${bad} }`,
            ),
          },
        ]),
      );
      expect(
        error.issues.map((i) => [i.path, i.message]),
        bad,
      ).toEqual([
        [
          "accounts[0].numbers[0].releaseAfterDays",
          expect.stringContaining(
            "expected a whole number of days from 0 to 365 (0 releases at once)",
          ),
        ],
      ]);
    }
  });

  it("are typed from the schema: a bought number has an area code, an adopted one a SID or number", () => {
    const number = {} as ResolvedNumber;
    if (number.kind === "buy") {
      expectTypeOf(number.areaCode).toEqualTypeOf<string>();
      expectTypeOf(number.country).toEqualTypeOf<string>();
    } else if (number.sid !== undefined) {
      expectTypeOf(number.sid).toEqualTypeOf<string>();
      expectTypeOf(number.phoneNumber).toEqualTypeOf<undefined>();
    } else {
      expectTypeOf(number.phoneNumber).toEqualTypeOf<string>();
    }
    expectTypeOf<ResolvedAccount["messagingService"]["friendlyName"]>().toEqualTypeOf<string>();
    expectTypeOf<ResolvedAccount["messagingService"]["inboundMethod"]>().toEqualTypeOf<
      "GET" | "POST" | undefined
    >();
  });
});

describe("errors", () => {
  it("report every problem of every file at once, ordered by file and position", () => {
    const error = issuesOf({
      "b.yaml": yaml(
        "accounts:",
        `  - id: ${ID_A}`,
        "    name: Clinic",
        "    messagingService: { validityPeriod: 0, stickySendr: true, smartEncodng: true }",
        "    numbers:",
        '      - { name: main, areaCode: "51" }',
      ),
      "a.yaml": yaml("accounts:", "  - id: not-a-uuid", "    name: Other", "    numbers: []"),
    });
    expect(error.issues.map((i) => [i.file, i.line, i.column, i.path])).toEqual([
      ["b.yaml", 4, 41, "accounts[0].messagingService.validityPeriod"],
      ["b.yaml", 4, 44, "accounts[0].messagingService.stickySendr"],
      ["b.yaml", 4, 63, "accounts[0].messagingService.smartEncodng"],
      ["b.yaml", 6, 33, "accounts[0].numbers[0].areaCode"],
      ["a.yaml", 2, 9, "accounts[0].id"],
      ["a.yaml", 4, 14, "accounts[0].numbers"],
    ]);
    expect(error.issues[2]?.message).toBe(
      "unknown key 'smartEncodng'; did you mean 'smartEncoding'?",
    );
  });

  it("render each problem as file:line:column: path: message", () => {
    const error = issuesOf({
      "config/accounts.yaml": yaml(
        "accounts:",
        `  - id: ${ID_A}`,
        "    name: Clinic",
        "    numbers:",
        "      - name: main",
        '        areaCode: "51"',
      ),
    });
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.name).toBe("ConfigError");
    expect(error.message).toBe(
      'config/accounts.yaml:6:19: accounts[0].numbers[0].areaCode: expected a 3-digit area code such as "514", got "51"',
    );
    expect(error.issues.map(formatIssue)).toEqual([error.message]);
  });

  it("return nothing when one of several files is invalid", () => {
    const valid = yaml(
      "accounts:",
      `  - id: ${ID_A}`,
      "    name: Clinic",
      '    numbers: [{ name: main, areaCode: "212" }]',
    );
    const error = configErrorOf(() =>
      parseAccountsDocuments([
        { fileName: "valid.yaml", text: valid },
        { fileName: "broken.yaml", text: "accounts: [\n" },
      ]),
    );
    expect(error.issues.map((i) => i.file)).toEqual(["broken.yaml"]);
  });

  it("still check ids across files when one file fails the schema", () => {
    const error = issuesOf({
      "a.yaml": yaml(
        "accounts:",
        `  - id: ${ID_A}`,
        "    name: Clinic",
        "    numbers: [{ name: main, areaCode: 5 }]",
      ),
      "b.yaml": yaml(
        "accounts:",
        `  - id: ${ID_A}`,
        "    name: Clinic",
        '    numbers: [{ name: main, areaCode: "212" }]',
      ),
    });
    expect(error.issues.map((i) => `${i.file}:${i.line}:${i.column} ${i.path}`)).toEqual([
      "a.yaml:4:39 accounts[0].numbers[0].areaCode",
      "b.yaml:2:9 accounts[0].id",
    ]);
  });
});

describe("files on disk", () => {
  const dir = mkdtempSync(join(tmpdir(), "accounts-load-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it("are read in the order given, and a path given twice is read once", () => {
    const a = write(
      "a.yaml",
      yaml(
        "accounts:",
        `  - id: ${ID_A}`,
        "    name: A",
        '    numbers: [{ name: main, areaCode: "212" }]',
      ),
    );
    const b = write(
      "b.yaml",
      yaml(
        "accounts:",
        `  - id: ${ID_B}`,
        "    name: B",
        '    numbers: [{ name: main, areaCode: "646" }]',
      ),
    );
    const { accounts } = loadAccountsFiles([b, a, join(dir, ".", "b.yaml")]);
    expect(accounts.map((x) => [x.name, x.sourceFile])).toEqual([
      ["B", b],
      ["A", a],
    ]);
  });

  it("that are missing are reported by name, without a position", () => {
    const missing = join(dir, "missing.yaml");
    const error = configErrorOf(() => loadAccountsFiles([missing]));
    expect(error.issues).toEqual([
      {
        file: missing,
        line: 0,
        column: 0,
        path: "",
        message: "cannot read the file: it does not exist",
      },
    ]);
    expect(error.message).toBe(`${missing}: cannot read the file: it does not exist`);
  });

  it("must be given: an empty list is an error, not an empty configuration", () => {
    expect(configErrorOf(() => loadAccountsFiles([])).message).toBe("no accounts files given");
  });
});
