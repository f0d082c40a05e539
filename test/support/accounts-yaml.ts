/** Accounts YAML for end-to-end tests, written the way a user writes it. */

export interface TestAccount {
  id: string;
  name: string;
  areaCode?: string;
  adoptSid?: string;
  numberName?: string;
  friendlyName?: string;
  inboundRequestUrl?: string;
  release?: boolean;
  numberRelease?: boolean;
  /** The number's Vapi phone id, which the post-deploy sync needs to create its row. */
  vapiPhoneId?: string;
  /** The number's own SMS webhook. */
  smsUrl?: string;
  /** The account's release window (`releaseAfterDays`), when it has its own. */
  releaseAfterDays?: number;
}

export interface AccountsFileOptions {
  /**
   * `defaults.releaseAfterDays`: 0 unless given, so that the tests written before release windows
   * existed release at once, as they were written to check; the window's tests give their own.
   */
  releaseAfterDays?: number;
  parkingUrl?: string;
}

export const THREE_ACCOUNTS: TestAccount[] = [
  {
    id: "0b6f6c5e-2f4c-4a53-9e1a-6a3f0e7f1c11",
    name: "Downtown Montreal Dentistry",
    areaCode: "514",
  },
  {
    id: "7c9e1041-f9df-45aa-8318-1b59c5c36511",
    name: "Clinique Dentaire du Plateau",
    areaCode: "438",
  },
  { id: "b329f0bd-3fcd-472f-ac93-596b2f650edc", name: "Kitsilano Family Dental", areaCode: "604" },
];

export function accountsYaml(accounts: TestAccount[], options: AccountsFileOptions = {}): string {
  const lines = [
    "defaults:",
    "  country: CA",
    `  releaseAfterDays: ${options.releaseAfterDays ?? 0}`,
    ...(options.parkingUrl ? [`  parkingUrl: ${options.parkingUrl}`] : []),
    "accounts:",
  ];
  if (accounts.length === 0) return "accounts: []\n";
  for (const account of accounts) {
    lines.push(`  - id: ${account.id}`, `    name: ${account.name}`);
    if (account.release) lines.push("    release: true");
    if (account.releaseAfterDays !== undefined) {
      lines.push(`    releaseAfterDays: ${account.releaseAfterDays}`);
    }
    lines.push("    messagingService:");
    lines.push(
      `      inboundRequestUrl: ${account.inboundRequestUrl ?? "https://api.parlae.example/twilio/inbound"}`,
      "      stickySender: true",
    );
    lines.push("    numbers:", `      - name: ${account.numberName ?? "main"}`);
    if (account.adoptSid) lines.push("        adopt:", `          sid: ${account.adoptSid}`);
    else lines.push(`        areaCode: "${account.areaCode}"`);
    if (account.friendlyName) lines.push(`        friendlyName: ${account.friendlyName}`);
    if (account.vapiPhoneId) lines.push(`        vapiPhoneId: ${account.vapiPhoneId}`);
    if (account.smsUrl) lines.push(`        smsUrl: ${account.smsUrl}`);
    if (account.numberRelease) lines.push("        release: true");
  }
  return `${lines.join("\n")}\n`;
}
