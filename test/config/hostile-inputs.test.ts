import { describe, expect, it } from "vitest";
import { MAX_PRINTED_ISSUES } from "../../src/config/errors";
import { parseAccountsDocument } from "../../src/config/load";
import { ID_A } from "./bad-inputs";
import { issuesOf } from "./helpers";
import { hostileInputs } from "./hostile-inputs";

const yaml = (...lines: string[]): string => `${lines.join("\n")}\n`;

describe("accounts YAML that tries to surprise is refused, each problem at its own position", () => {
  it.each(hostileInputs)("$title", ({ files, expect: want }) => {
    const error = issuesOf(files);
    expect(error.issues.length, error.message).toBe(1);
    const [issue] = error.issues;
    expect(issue).toMatchObject({
      file: want.file,
      line: want.line,
      column: want.column,
      path: want.path,
    });
    expect(issue?.message).toContain(want.messageIncludes);
    // No problem is reported at the top of the file unless it is about the whole file.
    if (want.line !== 0) expect([issue?.line, issue?.column]).not.toEqual([1, 1]);
    // A screenful at most per problem, whatever the input.
    expect(error.message.length).toBeLessThan(600);
  });
});

describe("what YAML may legitimately do", () => {
  it("reuses one anchor many times (the limit is on the expanded size, not on the alias count)", () => {
    const numbers = Array.from({ length: 300 }, (_, i) => [
      `      - name: n${i}`,
      '        areaCode: "212"',
      "        smsUrl: *sms",
    ]).flat();
    const { accounts } = parseAccountsDocument(
      yaml(
        "defaults:",
        "  number:",
        "    voiceUrl: &sms https://api.parlae.example/twilio/sms",
        "accounts:",
        `  - id: ${ID_A}`,
        "    name: Clinic",
        "    numbers:",
        ...numbers,
      ),
      "accounts.yaml",
    );
    expect(accounts[0]?.numbers).toHaveLength(300);
    expect(accounts[0]?.numbers[299]?.smsUrl).toBe("https://api.parlae.example/twilio/sms");
  });

  it("allows local webhooks when the account says it is a test setup", () => {
    const { accounts } = parseAccountsDocument(
      yaml(
        "accounts:",
        `  - id: ${ID_A}`,
        "    name: Emulator clinic",
        "    allowLocalWebhooks: true",
        "    numbers:",
        "      - name: main",
        '        areaCode: "212"',
        "        smsUrl: http://127.0.0.1:4010/sms",
      ),
      "accounts.yaml",
    );
    expect(accounts[0]?.numbers[0]?.smsUrl).toBe("http://127.0.0.1:4010/sms");
  });

  it("reads a %YAML 1.2 directive", () => {
    const { accounts } = parseAccountsDocument(
      yaml(
        "%YAML 1.2",
        "---",
        "accounts:",
        `  - id: ${ID_A}`,
        "    name: Clinic",
        '    numbers: [{ name: main, areaCode: "212" }]',
      ),
      "accounts.yaml",
    );
    expect(accounts).toHaveLength(1);
  });
});

describe("many problems", () => {
  it(`prints the first ${MAX_PRINTED_ISSUES} and counts the rest`, () => {
    const accounts = Array.from({ length: 80 }, (_, i) => [
      `  - id: 00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
      "    name: Clinic",
      '    numbers: [{ name: main, areaCode: "21" }]',
    ]).flat();
    const error = issuesOf({ "accounts.yaml": yaml("accounts:", ...accounts) });
    expect(error.issues).toHaveLength(80);
    const lines = error.message.split("\n");
    expect(lines).toHaveLength(MAX_PRINTED_ISSUES + 1);
    expect(lines[0]).toMatch(/^accounts\.yaml:4:39: accounts\[0\]\.numbers\[0\]\.areaCode: /);
    expect(lines.at(-1)).toBe(`… and ${80 - MAX_PRINTED_ISSUES} more problems`);
  });
});
