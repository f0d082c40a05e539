/** Large accounts files written the way a user writes them, for scale tests and the config bench. */

const AREA_CODES = ["212", "415", "617", "312", "206", "512", "514", "416", "604", "438"];
const CANADIAN = new Set(["514", "416", "604", "438"]);

/** A deterministic UUID (version 4 layout) for account `i`. */
function accountId(i: number): string {
  const hex = i.toString(16).padStart(12, "0");
  return `5e1f0c2a-9b3d-4c7e-8a10-${hex}`;
}

/** One account: a Messaging Service with webhooks, one bought number with a Vapi id. */
function accountLines(i: number): string[] {
  const areaCode = AREA_CODES[i % AREA_CODES.length] ?? "212";
  return [
    `  - id: ${accountId(i)}`,
    `    name: Clinic number ${i}`,
    "    messagingService:",
    `      inboundRequestUrl: https://api.parlae.example/twilio/inbound?clinic=${i}`,
    "      stickySender: true",
    "    numbers:",
    "      - name: main",
    `        areaCode: "${areaCode}"`,
    ...(CANADIAN.has(areaCode) ? ["        country: CA"] : []),
    `        vapiPhoneId: vapi-${i}`,
  ];
}

/** `count` valid accounts in one file. */
export function manyAccountsYaml(count: number): string {
  const lines = ["defaults:", "  country: US", "accounts:"];
  for (let i = 0; i < count; i++) lines.push(...accountLines(i));
  return `${lines.join("\n")}\n`;
}

/** As many accounts as fit in `maxBytes` (the largest file the loader accepts), and their count. */
export function largestAccountsYaml(maxBytes: number): { text: string; accounts: number } {
  const head = "defaults:\n  country: US\naccounts:\n";
  let text = head;
  let accounts = 0;
  for (;;) {
    const next = `${accountLines(accounts).join("\n")}\n`;
    if (Buffer.byteLength(text + next) > maxBytes) return { text, accounts };
    text += next;
    accounts++;
  }
}
