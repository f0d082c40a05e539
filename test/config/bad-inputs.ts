/**
 * Invalid accounts configurations, each with the one problem it must be reported with.
 *
 * Shared on purpose: test/config checks the reported file, line, column, path and message; an
 * end-to-end test can write the same files to disk and prove that invalid YAML makes no Twilio
 * call. `expect.file` is a key of `files` (loadAccountsFiles reports files as the paths it was
 * given, so a test that writes them into a directory compares the base name). Each case has
 * exactly one problem. Lines and columns are 1-based.
 */

export interface BadInputCase {
  title: string;
  /** File name → YAML text, validated together in this order. */
  files: Record<string, string>;
  expect: {
    file: string;
    line: number;
    column: number;
    path: string;
    messageIncludes: string;
  };
}

export const ID_A = "0b6f6c5e-2f4c-4a53-9e1a-6a3f0e7f1c11";
export const ID_B = "7c9e1041-f9df-45aa-8318-1b59c5c36511";
export const SID_A = "PN831c1beb6ad178ed2af5f9757f8aa4a4";

const yaml = (...lines: string[]): string => `${lines.join("\n")}\n`;

/** Lines 1-3 of most cases: the start of one valid account. Case-specific lines start at 4. */
const HEAD = ["accounts:", `  - id: ${ID_A}`, "    name: Downtown Montreal Dentistry"] as const;

/** Lines 4-6: a valid `numbers` list with one number bought in 212 (New York: the files default to country US). */
const NUMBERS = ["    numbers:", "      - name: main", '        areaCode: "212"'] as const;

/** HEAD and NUMBERS alone: a valid file, which most cases change in one place. */
export const VALID_ACCOUNTS_YAML = yaml(...HEAD, ...NUMBERS);

export const badInputs: BadInputCase[] = [
  // --- wrong types --------------------------------------------------------------------------
  {
    title: "an account name that is a number",
    files: { "accounts.yaml": yaml("accounts:", `  - id: ${ID_A}`, "    name: 42", ...NUMBERS) },
    expect: {
      file: "accounts.yaml",
      line: 3,
      column: 11,
      path: "accounts[0].name",
      messageIncludes: "expected a non-empty account name of at most 100 characters, got 42",
    },
  },
  {
    title: "release written as yes instead of true",
    files: { "accounts.yaml": yaml(...HEAD, "    release: yes", ...NUMBERS) },
    expect: {
      file: "accounts.yaml",
      line: 4,
      column: 14,
      path: "accounts[0].release",
      messageIncludes: 'expected true or false, got "yes"',
    },
  },
  {
    title: "accounts written as a mapping instead of a list",
    files: { "accounts.yaml": yaml("accounts:", `  id: ${ID_A}`) },
    expect: {
      file: "accounts.yaml",
      line: 2,
      column: 3,
      path: "accounts",
      messageIncludes: "expected a list of accounts, got a mapping",
    },
  },
  {
    title: "a document that is a list instead of a mapping",
    files: { "accounts.yaml": yaml(`- id: ${ID_A}`) },
    expect: {
      file: "accounts.yaml",
      line: 1,
      column: 1,
      path: "",
      messageIncludes: "expected a mapping with an 'accounts' list, got a list",
    },
  },
  {
    title: "a required key written with no value",
    files: { "accounts.yaml": yaml("accounts:", `  - id: ${ID_A}`, "    name:", ...NUMBERS) },
    expect: {
      file: "accounts.yaml",
      line: 3,
      column: 5,
      path: "accounts[0].name",
      messageIncludes: "got an empty value",
    },
  },

  // --- unknown keys -------------------------------------------------------------------------
  {
    title: "a typo in a messaging service key suggests the right key",
    files: {
      "accounts.yaml": yaml(
        ...HEAD,
        "    messagingService:",
        "      stickySendr: true",
        ...NUMBERS,
      ),
    },
    expect: {
      file: "accounts.yaml",
      line: 5,
      column: 7,
      path: "accounts[0].messagingService.stickySendr",
      messageIncludes: "unknown key 'stickySendr'; did you mean 'stickySender'?",
    },
  },
  {
    title: "a typo in an account key suggests the right key",
    files: { "accounts.yaml": yaml(...HEAD, "    relase: true", ...NUMBERS) },
    expect: {
      file: "accounts.yaml",
      line: 4,
      column: 5,
      path: "accounts[0].relase",
      messageIncludes: "unknown key 'relase'; did you mean 'release'?",
    },
  },
  {
    title: "a number key in another case suggests the right key",
    files: { "accounts.yaml": yaml(...HEAD, ...NUMBERS, "        vapiPhoneID: vapi-123") },
    expect: {
      file: "accounts.yaml",
      line: 7,
      column: 9,
      path: "accounts[0].numbers[0].vapiPhoneID",
      messageIncludes: "unknown key 'vapiPhoneID'; did you mean 'vapiPhoneId'?",
    },
  },
  {
    title: "a typo in a top-level key suggests the right key",
    files: { "accounts.yaml": yaml("defualts:", "  country: CA", ...HEAD, ...NUMBERS) },
    expect: {
      file: "accounts.yaml",
      line: 1,
      column: 1,
      path: "defualts",
      messageIncludes: "unknown key 'defualts'; did you mean 'defaults'?",
    },
  },
  {
    title: "a key that belongs elsewhere lists the keys allowed here",
    files: {
      "accounts.yaml": yaml(
        ...HEAD,
        "    messagingService:",
        "      voiceUrl: https://api.parlae.example/twilio/voice",
        ...NUMBERS,
      ),
    },
    expect: {
      file: "accounts.yaml",
      line: 5,
      column: 7,
      path: "accounts[0].messagingService.voiceUrl",
      messageIncludes: "unknown key 'voiceUrl'; allowed keys here: 'friendlyName'",
    },
  },

  // --- identifiers and formats --------------------------------------------------------------
  {
    title: "an account id that is not a UUID",
    files: {
      "accounts.yaml": yaml("accounts:", "  - id: acct-1234", "    name: Clinic", ...NUMBERS),
    },
    expect: {
      file: "accounts.yaml",
      line: 2,
      column: 9,
      path: "accounts[0].id",
      messageIncludes: "expected the account's UUID, such as \"0b6f6c5e-",
    },
  },
  {
    title: "an area code with two digits",
    files: {
      "accounts.yaml": yaml(
        ...HEAD,
        "    numbers:",
        "      - name: main",
        '        areaCode: "51"',
      ),
    },
    expect: {
      file: "accounts.yaml",
      line: 6,
      column: 19,
      path: "accounts[0].numbers[0].areaCode",
      messageIncludes: 'expected a 3-digit area code such as "514", got "51"',
    },
  },
  {
    title: "an area code written as a four-digit YAML integer",
    files: {
      "accounts.yaml": yaml(
        ...HEAD,
        "    numbers:",
        "      - name: main",
        "        areaCode: 5140",
      ),
    },
    expect: {
      file: "accounts.yaml",
      line: 6,
      column: 19,
      path: "accounts[0].numbers[0].areaCode",
      messageIncludes:
        'expected a 3-digit area code written as a string, such as "514" (quote it: YAML reads 514, 0o1002 and 0x202 alike as the number 514), got 5140',
    },
  },
  {
    title: "an adopted phone number that is not E.164",
    files: {
      "accounts.yaml": yaml(
        ...HEAD,
        "    numbers:",
        "      - name: main",
        '        adopt: { phoneNumber: "514-555-0100" }',
      ),
    },
    expect: {
      file: "accounts.yaml",
      line: 6,
      column: 31,
      path: "accounts[0].numbers[0].adopt.phoneNumber",
      messageIncludes: 'expected an E.164 phone number such as "+15145550100", got "514-555-0100"',
    },
  },
  {
    title: "an adopted phone number of E.164 shape that cannot exist (nine national digits)",
    files: {
      "accounts.yaml": yaml(
        ...HEAD,
        "    numbers:",
        "      - name: main",
        '        adopt: { phoneNumber: "+1514555010" }',
      ),
    },
    expect: {
      file: "accounts.yaml",
      line: 6,
      column: 31,
      path: "accounts[0].numbers[0].adopt.phoneNumber",
      messageIncludes:
        'expected an E.164 phone number such as "+15145550100" that can exist (this one is too short for a +1 number), got "+1514555010"',
    },
  },
  {
    title: "an unquoted E.164 number, which YAML reads as an integer",
    files: {
      "accounts.yaml": yaml(
        ...HEAD,
        "    numbers:",
        "      - name: main",
        "        adopt:",
        "          phoneNumber: +15145550100",
      ),
    },
    expect: {
      file: "accounts.yaml",
      line: 7,
      column: 24,
      path: "accounts[0].numbers[0].adopt.phoneNumber",
      messageIncludes: "(quote it in YAML",
    },
  },
  {
    title: "an adopted SID that is not a phone number SID",
    files: {
      "accounts.yaml": yaml(
        ...HEAD,
        "    numbers:",
        "      - name: main",
        "        adopt:",
        "          sid: MG1e67121a354899420623a6574dbbec61",
      ),
    },
    expect: {
      file: "accounts.yaml",
      line: 7,
      column: 16,
      path: "accounts[0].numbers[0].adopt.sid",
      messageIncludes:
        'expected a phone number SID: "PN" and 32 lower-case hex digits, got "MG1e67',
    },
  },
  {
    title: "an adopted SID with upper-case hex digits (Twilio's are lower-case)",
    files: {
      "accounts.yaml": yaml(
        ...HEAD,
        "    numbers:",
        "      - name: main",
        "        adopt:",
        "          sid: PN831C1BEB6AD178ED2AF5F9757F8AA4A4",
      ),
    },
    expect: {
      file: "accounts.yaml",
      line: 7,
      column: 16,
      path: "accounts[0].numbers[0].adopt.sid",
      messageIncludes:
        'expected a phone number SID: "PN" and 32 lower-case hex digits, got "PN831C1BEB6AD178ED2AF5F9757F8AA4A4"',
    },
  },
  {
    title: "a number name with capitals and a space",
    files: {
      "accounts.yaml": yaml(
        ...HEAD,
        "    numbers:",
        "      - name: Main Line",
        '        areaCode: "212"',
      ),
    },
    expect: {
      file: "accounts.yaml",
      line: 5,
      column: 15,
      path: "accounts[0].numbers[0].name",
      messageIncludes: 'got "Main Line"',
    },
  },
  {
    title: "a country code in lower case",
    files: { "accounts.yaml": yaml(...HEAD, ...NUMBERS, "        country: ca") },
    expect: {
      file: "accounts.yaml",
      line: 7,
      column: 18,
      path: "accounts[0].numbers[0].country",
      messageIncludes:
        'expected an ISO 3166 alpha-2 country code in capitals, such as "CA" or "US", got "ca"',
    },
  },

  // --- URLs ---------------------------------------------------------------------------------
  {
    title: "a webhook URL with an ftp scheme",
    files: {
      "accounts.yaml": yaml(...HEAD, ...NUMBERS, "        smsUrl: ftp://api.parlae.example/sms"),
    },
    expect: {
      file: "accounts.yaml",
      line: 7,
      column: 17,
      path: "accounts[0].numbers[0].smsUrl",
      messageIncludes:
        'expected an absolute http(s) URL such as "https://api.parlae.example/twilio/sms" (not an absolute http:// or https:// URL), got "ftp://',
    },
  },
  {
    title: "a relative webhook URL",
    files: {
      "accounts.yaml": yaml(
        ...HEAD,
        "    messagingService:",
        "      inboundRequestUrl: /twilio/sms",
        ...NUMBERS,
      ),
    },
    expect: {
      file: "accounts.yaml",
      line: 5,
      column: 26,
      path: "accounts[0].messagingService.inboundRequestUrl",
      messageIncludes:
        'expected an absolute http(s) URL such as "https://api.parlae.example/twilio/sms" (not an absolute http:// or https:// URL), got "/twilio/sms"',
    },
  },
  {
    title: "a webhook URL carrying credentials",
    files: {
      "accounts.yaml": yaml(
        ...HEAD,
        ...NUMBERS,
        "        voiceUrl: https://user:secret@api.parlae.example/voice",
      ),
    },
    expect: {
      file: "accounts.yaml",
      line: 7,
      column: 19,
      path: "accounts[0].numbers[0].voiceUrl",
      messageIncludes: "(it carries user:password@, which would end up in Pulumi state), got",
    },
  },
  {
    title: "a bad URL in the per-file number defaults",
    files: {
      "accounts.yaml": yaml(
        "defaults:",
        "  number:",
        "    statusCallback: api.parlae.example/status",
        ...HEAD,
        ...NUMBERS,
      ),
    },
    expect: {
      file: "accounts.yaml",
      line: 3,
      column: 21,
      path: "defaults.number.statusCallback",
      messageIncludes: 'got "api.parlae.example/status"',
    },
  },

  // --- ranges and lengths -------------------------------------------------------------------
  {
    title: "a validity period above 36000 seconds",
    files: {
      "accounts.yaml": yaml(
        ...HEAD,
        "    messagingService:",
        "      validityPeriod: 40000",
        ...NUMBERS,
      ),
    },
    expect: {
      file: "accounts.yaml",
      line: 5,
      column: 23,
      path: "accounts[0].messagingService.validityPeriod",
      messageIncludes: "expected a whole number of seconds from 1 to 36000, got 40000",
    },
  },
  {
    title: "a validity period that is not a whole number",
    files: {
      "accounts.yaml": yaml(
        ...HEAD,
        "    messagingService:",
        "      validityPeriod: 1.5",
        ...NUMBERS,
      ),
    },
    expect: {
      file: "accounts.yaml",
      line: 5,
      column: 23,
      path: "accounts[0].messagingService.validityPeriod",
      messageIncludes: "expected a whole number of seconds from 1 to 36000, got 1.5",
    },
  },
  {
    title: "an inbound method that is neither GET nor POST",
    files: {
      "accounts.yaml": yaml(
        ...HEAD,
        "    messagingService:",
        "      inboundMethod: PUT",
        ...NUMBERS,
      ),
    },
    expect: {
      file: "accounts.yaml",
      line: 5,
      column: 22,
      path: "accounts[0].messagingService.inboundMethod",
      messageIncludes: 'expected "GET" or "POST", got "PUT"',
    },
  },
  {
    title: "a number friendly name longer than 48 characters",
    files: {
      "accounts.yaml": yaml(...HEAD, ...NUMBERS, `        friendlyName: ${"x".repeat(49)}`),
    },
    expect: {
      file: "accounts.yaml",
      line: 7,
      column: 23,
      path: "accounts[0].numbers[0].friendlyName",
      messageIncludes: "expected a non-empty friendly name of at most 48 characters",
    },
  },
  {
    title: "a messaging service friendly name longer than 48 characters",
    files: {
      "accounts.yaml": yaml(
        ...HEAD,
        "    messagingService:",
        `      friendlyName: ${"Downtown Montreal Dentistry ".repeat(3)}`,
        ...NUMBERS,
      ),
    },
    expect: {
      file: "accounts.yaml",
      line: 5,
      column: 21,
      path: "accounts[0].messagingService.friendlyName",
      messageIncludes:
        "expected a non-empty name of at most 48 characters, got a string of 83 characters",
    },
  },
  {
    title: "an account name longer than 100 characters",
    files: {
      "accounts.yaml": yaml(
        "accounts:",
        `  - id: ${ID_A}`,
        `    name: ${"a".repeat(101)}`,
        ...NUMBERS,
      ),
    },
    expect: {
      file: "accounts.yaml",
      line: 3,
      column: 11,
      path: "accounts[0].name",
      messageIncludes: "at most 100 characters, got a string of 101 characters",
    },
  },
  {
    title: "an empty Vapi phone id",
    files: { "accounts.yaml": yaml(...HEAD, ...NUMBERS, '        vapiPhoneId: ""') },
    expect: {
      file: "accounts.yaml",
      line: 7,
      column: 22,
      path: "accounts[0].numbers[0].vapiPhoneId",
      messageIncludes: "expected a non-empty Vapi phone id, got an empty string",
    },
  },

  // --- buy or adopt -------------------------------------------------------------------------
  {
    title: "a number with both areaCode and adopt",
    files: {
      "accounts.yaml": yaml(...HEAD, ...NUMBERS, `        adopt: { sid: ${SID_A} }`),
    },
    expect: {
      file: "accounts.yaml",
      line: 7,
      column: 16,
      path: "accounts[0].numbers[0].adopt",
      messageIncludes:
        "give either areaCode (buy a new number) or adopt (an existing number), not both",
    },
  },
  {
    title: "a number with neither areaCode nor adopt",
    files: {
      "accounts.yaml": yaml(
        ...HEAD,
        "    numbers:",
        "      - name: main",
        "        vapiPhoneId: vapi-1",
      ),
    },
    expect: {
      file: "accounts.yaml",
      line: 5,
      column: 9,
      path: "accounts[0].numbers[0]",
      messageIncludes:
        "expected areaCode (buy a new number) or adopt (an existing number), got neither",
    },
  },
  {
    title: "adopt with both sid and phoneNumber",
    files: {
      "accounts.yaml": yaml(
        ...HEAD,
        "    numbers:",
        "      - name: main",
        "        adopt:",
        `          sid: ${SID_A}`,
        '          phoneNumber: "+15145550100"',
      ),
    },
    expect: {
      file: "accounts.yaml",
      line: 8,
      column: 24,
      path: "accounts[0].numbers[0].adopt.phoneNumber",
      messageIncludes: "give either sid or phoneNumber to adopt a number, not both",
    },
  },
  {
    title: "adopt with neither sid nor phoneNumber",
    files: {
      "accounts.yaml": yaml(...HEAD, "    numbers:", "      - name: main", "        adopt: {}"),
    },
    expect: {
      file: "accounts.yaml",
      line: 6,
      column: 16,
      path: "accounts[0].numbers[0].adopt",
      messageIncludes: "expected sid or phoneNumber of the Twilio number to adopt, got neither",
    },
  },
  {
    title: "a country on an adopted number",
    files: {
      "accounts.yaml": yaml(
        ...HEAD,
        "    numbers:",
        "      - name: main",
        `        adopt: { sid: ${SID_A} }`,
        "        country: CA",
      ),
    },
    expect: {
      file: "accounts.yaml",
      line: 7,
      column: 18,
      path: "accounts[0].numbers[0].country",
      messageIncludes: "country applies only to a number bought by areaCode",
    },
  },

  // --- numbers of an account ----------------------------------------------------------------
  {
    title: "an active account with an empty numbers list",
    files: { "accounts.yaml": yaml(...HEAD, "    numbers: []") },
    expect: {
      file: "accounts.yaml",
      line: 4,
      column: 14,
      path: "accounts[0].numbers",
      messageIncludes: "an active account needs at least one number",
    },
  },
  {
    title: "an active account without a numbers key",
    files: { "accounts.yaml": yaml(...HEAD) },
    expect: {
      file: "accounts.yaml",
      line: 2,
      column: 5,
      path: "accounts[0].numbers",
      messageIncludes:
        "an active account needs at least one number (to release the account, set release: true)",
    },
  },
  {
    title: "two numbers with the same name in one account",
    files: {
      "accounts.yaml": yaml(...HEAD, ...NUMBERS, "      - name: main", '        areaCode: "646"'),
    },
    expect: {
      file: "accounts.yaml",
      line: 7,
      column: 15,
      path: "accounts[0].numbers[1].name",
      messageIncludes: "duplicate number name 'main': numbers[0] of this account already uses it",
    },
  },

  // --- across accounts and files ------------------------------------------------------------
  {
    title: "the same account id in two files",
    files: {
      "a.yaml": yaml(...HEAD, ...NUMBERS),
      "b.yaml": yaml("accounts:", `  - id: ${ID_A}`, "    name: Copy of Downtown", ...NUMBERS),
    },
    expect: {
      file: "b.yaml",
      line: 2,
      column: 9,
      path: "accounts[0].id",
      messageIncludes: `account id "${ID_A}" is declared twice; first at a.yaml:2:9 (accounts[0].id)`,
    },
  },
  {
    title: "the same account id twice in one file, differing only in case",
    files: {
      "accounts.yaml": yaml(
        ...HEAD,
        ...NUMBERS,
        `  - id: ${ID_A.toUpperCase()}`,
        "    name: Copy of Downtown",
        ...NUMBERS,
      ),
    },
    expect: {
      file: "accounts.yaml",
      line: 7,
      column: 9,
      path: "accounts[1].id",
      messageIncludes: "is declared twice; first at accounts.yaml:2:9 (accounts[0].id)",
    },
  },
  {
    title: "the same number SID adopted by two accounts",
    files: {
      "accounts.yaml": yaml(
        ...HEAD,
        "    numbers:",
        "      - name: main",
        `        adopt: { sid: ${SID_A} }`,
        `  - id: ${ID_B}`,
        "    name: Clinique Dentaire du Plateau",
        "    numbers:",
        "      - name: main",
        `        adopt: { sid: ${SID_A} }`,
      ),
    },
    expect: {
      file: "accounts.yaml",
      line: 11,
      column: 23,
      path: "accounts[1].numbers[0].adopt.sid",
      messageIncludes: `number ${SID_A} is adopted twice; first at accounts.yaml:6:23 (accounts[0].numbers[0].adopt.sid)`,
    },
  },
  {
    title: "the same E.164 number adopted in two files",
    files: {
      "a.yaml": yaml(
        ...HEAD,
        "    numbers:",
        "      - name: main",
        '        adopt: { phoneNumber: "+15145550100" }',
      ),
      "b.yaml": yaml(
        "accounts:",
        `  - id: ${ID_B}`,
        "    name: Clinique Dentaire du Plateau",
        "    numbers:",
        "      - name: spare",
        '        adopt: { phoneNumber: "+15145550100" }',
      ),
    },
    expect: {
      file: "b.yaml",
      line: 6,
      column: 31,
      path: "accounts[0].numbers[0].adopt.phoneNumber",
      messageIncludes: "number +15145550100 is adopted twice; first at a.yaml:6:31",
    },
  },

  // --- the file itself ----------------------------------------------------------------------
  {
    title: "a YAML syntax error: an unquoted name containing a colon",
    files: {
      "accounts.yaml": yaml(
        "accounts:",
        `  - id: ${ID_A}`,
        "    name: Dentistry: Downtown",
        ...NUMBERS,
      ),
    },
    expect: {
      file: "accounts.yaml",
      line: 3,
      column: 11,
      path: "",
      messageIncludes: "YAML syntax error: Nested mappings are not allowed in compact mappings",
    },
  },
  {
    title: "a YAML syntax error: a tab used for indentation",
    files: { "accounts.yaml": yaml("accounts:", `\t- id: ${ID_A}`) },
    expect: {
      file: "accounts.yaml",
      line: 2,
      column: 1,
      path: "",
      messageIncludes: "YAML syntax error: Tabs are not allowed as indentation",
    },
  },
  {
    title: "a key written twice in one mapping",
    files: { "accounts.yaml": yaml(...HEAD, "    name: Other name", ...NUMBERS) },
    expect: {
      file: "accounts.yaml",
      line: 4,
      column: 5,
      path: "",
      messageIncludes: "YAML syntax error: Map keys must be unique",
    },
  },
  {
    title: "two YAML documents in one file",
    files: { "accounts.yaml": yaml(...HEAD, ...NUMBERS, "---", "accounts: []") },
    expect: {
      file: "accounts.yaml",
      line: 7,
      column: 1,
      path: "",
      messageIncludes: "YAML syntax error: Source contains multiple documents",
    },
  },
  {
    title: "an empty file",
    files: { "accounts.yaml": "" },
    expect: {
      file: "accounts.yaml",
      line: 1,
      column: 1,
      path: "",
      messageIncludes: "the file is empty; expected a mapping with an 'accounts' list",
    },
  },
  {
    title: "a file with only comments",
    files: {
      "accounts.yaml": yaml("# yaml-language-server: $schema=./accounts.schema.json", "# TODO"),
    },
    expect: {
      file: "accounts.yaml",
      line: 1,
      column: 1,
      path: "",
      messageIncludes: "the file is empty",
    },
  },
  {
    title: "a file with defaults but no accounts",
    files: { "accounts.yaml": yaml("defaults:", "  country: CA") },
    expect: {
      file: "accounts.yaml",
      line: 1,
      column: 1,
      path: "accounts",
      messageIncludes: "missing required key 'accounts'",
    },
  },
  {
    title: "an account without a name",
    files: { "accounts.yaml": yaml("accounts:", `  - id: ${ID_A}`, ...NUMBERS) },
    expect: {
      file: "accounts.yaml",
      line: 2,
      column: 5,
      path: "accounts[0].name",
      messageIncludes: "missing required key 'name'",
    },
  },
];
