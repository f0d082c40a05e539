/**
 * Accounts YAML that tries to surprise: other YAML versions, spellings of booleans and numbers
 * that YAML reads differently than a person does, area codes of the wrong country, URLs Twilio
 * cannot call, invisible characters, alias bombs, tags. One case per class, each with the one
 * problem it must be reported with, at its own line and column (1-based, never a default 1:1).
 */
import { type BadInputCase, ID_A } from "./bad-inputs";

const yaml = (...lines: string[]): string => `${lines.join("\n")}\n`;

/** Lines 1-3: the start of one valid account (US, the default country). */
const HEAD = ["accounts:", `  - id: ${ID_A}`, "    name: Clinic"] as const;
/** Lines 4-6: one number bought in 212 (New York). */
const NUMBERS = ["    numbers:", "      - name: main", '        areaCode: "212"'] as const;

const at = (line: number, column: number, path: string, messageIncludes: string) => ({
  file: "accounts.yaml",
  line,
  column,
  path,
  messageIncludes,
});

export const hostileInputs: BadInputCase[] = [
  // --- YAML version and spellings ---------------------------------------------------------
  {
    title: "a %YAML 1.1 directive (release: yes would mean true)",
    files: {
      "accounts.yaml": yaml("%YAML 1.1", "---", ...HEAD, "    release: yes", ...NUMBERS),
    },
    expect: at(1, 7, "", "YAML 1.1 is not supported: accounts files are read as YAML 1.2"),
  },
  {
    title: "release written True (a YAML 1.2 boolean, but not the literal true)",
    files: { "accounts.yaml": yaml(...HEAD, ...NUMBERS, "        release: True") },
    expect: at(
      7,
      18,
      "accounts[0].numbers[0].release",
      "expected the literal true or false (this flag releases numbers in Twilio, so no other spelling counts), got True",
    ),
  },
  {
    title: "release forced to a boolean with a !!bool tag",
    files: { "accounts.yaml": yaml(...HEAD, '    release: !!bool "true"', ...NUMBERS) },
    expect: at(4, 21, "accounts[0].release", "got true with an explicit tag"),
  },
  {
    title: "a tag outside the YAML 1.2 core schema",
    files: {
      "accounts.yaml": yaml(
        "accounts:",
        `  - id: ${ID_A}`,
        "    name: !!binary aGVsbG8=",
        ...NUMBERS,
      ),
    },
    expect: at(3, 20, "", "YAML error: tag tag:yaml.org,2002:binary is not allowed"),
  },
  // --- area codes ---------------------------------------------------------------------------
  {
    title: "an area code written as an octal number (0o1002 is 514)",
    files: {
      "accounts.yaml": yaml(
        ...HEAD,
        "    numbers:",
        "      - name: main",
        "        areaCode: 0o1002",
      ),
    },
    expect: at(
      6,
      19,
      "accounts[0].numbers[0].areaCode",
      'expected a 3-digit area code written as a string, such as "514" (quote it: YAML reads 514, 0o1002 and 0x202 alike as the number 514), got 514',
    ),
  },
  {
    title: "an area code written as a hexadecimal number (0x202 is 514)",
    files: {
      "accounts.yaml": yaml(
        ...HEAD,
        "    numbers:",
        "      - name: main",
        "        areaCode: 0x202",
      ),
    },
    expect: at(6, 19, "accounts[0].numbers[0].areaCode", "written as a string"),
  },
  {
    title: "an N11 service code as area code",
    files: {
      "accounts.yaml": yaml(
        ...HEAD,
        "    numbers:",
        "      - name: main",
        '        areaCode: "411"',
      ),
    },
    expect: at(
      6,
      19,
      "accounts[0].numbers[0].areaCode",
      'expected an area code of US, got "411": not a geographic North American area code',
    ),
  },
  {
    title: "an area code starting with 1",
    files: {
      "accounts.yaml": yaml(
        ...HEAD,
        "    numbers:",
        "      - name: main",
        '        areaCode: "123"',
      ),
    },
    expect: at(
      6,
      19,
      "accounts[0].numbers[0].areaCode",
      "not a geographic North American area code",
    ),
  },
  {
    title: "a Canadian area code in a US account",
    files: {
      "accounts.yaml": yaml(
        ...HEAD,
        "    numbers:",
        "      - name: main",
        '        areaCode: "514"',
      ),
    },
    expect: at(
      6,
      19,
      "accounts[0].numbers[0].areaCode",
      'expected an area code of US, got "514": an area code of CA, not US',
    ),
  },
  {
    title: "buying by area code in a country where Twilio does not sell by area code",
    files: {
      "accounts.yaml": yaml(
        "defaults:",
        "  country: GB",
        ...HEAD,
        "    numbers:",
        "      - name: main",
        '        areaCode: "207"',
      ),
    },
    expect: at(
      8,
      19,
      "accounts[0].numbers[0].areaCode",
      "buying by area code is possible in US and CA only, and defaults.country is GB; adopt a number bought in the Twilio console instead",
    ),
  },
  // --- webhook URLs -------------------------------------------------------------------------
  {
    title: "a webhook host in non-ASCII letters",
    files: {
      "accounts.yaml": yaml(...HEAD, ...NUMBERS, "        smsUrl: https://münchen.example/sms"),
    },
    expect: at(7, 17, "accounts[0].numbers[0].smsUrl", "it contains non-ASCII characters"),
  },
  {
    title: "a webhook with a broken percent escape",
    files: {
      "accounts.yaml": yaml(...HEAD, ...NUMBERS, "        smsUrl: https://api.example/%zz"),
    },
    expect: at(7, 17, "accounts[0].numbers[0].smsUrl", "a % is not followed by two hex digits"),
  },
  {
    title: "a webhook with a backslash",
    files: {
      "accounts.yaml": yaml(...HEAD, ...NUMBERS, "        smsUrl: https://api.example\\sms"),
    },
    expect: at(7, 17, "accounts[0].numbers[0].smsUrl", "it contains a backslash"),
  },
  {
    title: "a webhook with a control character",
    files: {
      "accounts.yaml": yaml(...HEAD, ...NUMBERS, '        smsUrl: "https://api.example/s\\x07ms"'),
    },
    expect: at(7, 17, "accounts[0].numbers[0].smsUrl", "it contains a control character"),
  },
  {
    title: "a webhook on localhost",
    files: {
      "accounts.yaml": yaml(...HEAD, ...NUMBERS, "        voiceUrl: http://localhost:3000/voice"),
    },
    expect: at(
      7,
      19,
      "accounts[0].numbers[0].voiceUrl",
      'expected a webhook URL Twilio can reach from the internet, got "http://localhost:3000/voice": localhost is this machine. For a test setup (the local emulator), set allowLocalWebhooks: true on the account',
    ),
  },
  {
    title: "a webhook on a private address, given in the file's defaults",
    files: {
      "accounts.yaml": yaml(
        "defaults:",
        "  messagingService:",
        "    inboundRequestUrl: https://10.1.2.3/inbound",
        ...HEAD,
        ...NUMBERS,
      ),
    },
    expect: at(
      3,
      24,
      "defaults.messagingService.inboundRequestUrl",
      "10.1.2.3 is a private address (10/8, 172.16/12, 192.168/16), not a public one",
    ),
  },
  ...(
    [
      ["a benchmarking address", "198.18.0.1", "a reserved address (benchmarking 198.18.0.0/15"],
      ["a multicast address", "224.0.0.251", "a multicast address (224.0.0.0/4)"],
      ["a reserved (future use) address", "240.0.0.1", "a reserved address"],
      ["the broadcast address", "255.255.255.255", "the broadcast address"],
    ] as const
  ).map(([what, host, words]) => ({
    title: `a webhook on ${what}`,
    files: { "accounts.yaml": yaml(...HEAD, ...NUMBERS, `        smsUrl: https://${host}/sms`) },
    expect: at(
      7,
      17,
      "accounts[0].numbers[0].smsUrl",
      `got "https://${host}/sms": ${host} is ${words}`,
    ),
  })),
  ...(["hooks.internal", "printer.local", "nas.home.arpa", "router.lan"] as const).map((host) => ({
    title: `a webhook on a local-network name (${host})`,
    files: {
      "accounts.yaml": yaml(...HEAD, ...NUMBERS, `        voiceUrl: https://${host}/voice`),
    },
    expect: at(
      7,
      19,
      "accounts[0].numbers[0].voiceUrl",
      `${host} is a .${host.split(".").slice(1).join(".")} name, which only a local network resolves`,
    ),
  })),
  {
    title: "a webhook on a single-label host",
    files: {
      "accounts.yaml": yaml(
        ...HEAD,
        "    messagingService:",
        "      statusCallback: https://intranet/status",
        ...NUMBERS,
      ),
    },
    expect: at(
      5,
      23,
      "accounts[0].messagingService.statusCallback",
      "intranet is a single-label name that only a local network resolves",
    ),
  },
  // --- names --------------------------------------------------------------------------------
  {
    title: "an account name with a control character",
    files: {
      "accounts.yaml": yaml(
        "accounts:",
        `  - id: ${ID_A}`,
        '    name: "Clinic\\u0007"',
        ...NUMBERS,
      ),
    },
    expect: at(
      3,
      11,
      "accounts[0].name",
      "without control or invisible characters (it contains the invisible character U+0007)",
    ),
  },
  {
    title: "a friendly name holding a replacement character from invalid UTF-8",
    files: { "accounts.yaml": yaml(...HEAD, ...NUMBERS, "        friendlyName: Caf\uFFFD line") },
    expect: at(
      7,
      23,
      "accounts[0].numbers[0].friendlyName",
      "it contains a replacement character (U+FFFD: the file is not valid UTF-8 there)",
    ),
  },
  {
    title: "an account name that is only a zero-width space",
    files: {
      "accounts.yaml": yaml("accounts:", `  - id: ${ID_A}`, '    name: "\u200B"', ...NUMBERS),
    },
    expect: at(
      3,
      11,
      "accounts[0].name",
      "with at least one visible character (it holds only invisible ones: U+200B)",
    ),
  },
  {
    title: "a friendly name of Hangul fillers and a word joiner (blank, yet not white space)",
    files: {
      "accounts.yaml": yaml(...HEAD, ...NUMBERS, '        friendlyName: "\u3164\u2060\u3164"'),
    },
    expect: at(
      7,
      23,
      "accounts[0].numbers[0].friendlyName",
      "it holds only invisible ones: U+3164, U+2060",
    ),
  },
  // --- aliases and structure -----------------------------------------------------------------
  {
    title: "an alias bomb",
    files: {
      "accounts.yaml": yaml(
        "bomb:",
        '  - &a ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]',
        "  - &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]",
        "  - &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]",
        "  - &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]",
        "  - &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]",
        "  - &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]",
        ...HEAD,
        ...NUMBERS,
      ),
    },
    expect: at(7, 9, "", "YAML error: aliases expand the document beyond 200000 nodes"),
  },
  {
    title: "an alias to the node that contains it",
    files: { "accounts.yaml": yaml(...HEAD, "    loop: &self [*self]", ...NUMBERS) },
    expect: at(4, 18, "", "YAML error: alias *self refers to a node that contains it"),
  },
  {
    title: "an alias to an anchor that does not exist",
    files: {
      "accounts.yaml": yaml("accounts:", `  - id: ${ID_A}`, "    name: *nowhere", ...NUMBERS),
    },
    expect: at(3, 11, "", "YAML error: alias *nowhere has no anchor &nowhere before it"),
  },
  {
    title: "nesting deeper than any accounts file",
    files: {
      "accounts.yaml": yaml(...HEAD, `    deep: ${"[".repeat(70)}${"]".repeat(70)}`, ...NUMBERS),
    },
    expect: at(4, 73, "", "YAML error: nested deeper than 64 levels"),
  },
  {
    title: "a 5,000-deep flow mapping under an unknown key (refused before it is composed)",
    files: {
      "accounts.yaml": yaml(
        ...HEAD,
        ...NUMBERS,
        `surprise: ${"{a: ".repeat(5000)}1${"}".repeat(5000)}`,
      ),
    },
    expect: at(7, 267, "", "YAML error: nested deeper than 64 levels"),
  },
  // --- sizes --------------------------------------------------------------------------------
  {
    title: "a key thousands of characters long (no suggestion, a short message)",
    files: { "accounts.yaml": yaml(...HEAD, `    ? ${"k".repeat(20_000)}`, "    : 1", ...NUMBERS) },
    expect: at(
      4,
      7,
      `accounts[0]["${"k".repeat(40)}… (20000 characters)"]`,
      `unknown key '${"k".repeat(40)}… (20000 characters)'; allowed keys here:`,
    ),
  },
  {
    title: "a file larger than the limit",
    files: { "accounts.yaml": yaml(...HEAD, ...NUMBERS, `# ${"x".repeat(512 * 1024)}`) },
    expect: {
      file: "accounts.yaml",
      line: 0,
      column: 0,
      path: "",
      messageIncludes:
        "the file is 524,419 bytes; an accounts file may be at most 524,288 bytes (512 KiB): split the accounts across several files",
    },
  },
];
