/**
 * compliance.usA2p in the accounts YAML: what is accepted, the located errors for Twilio's limits,
 * personal data kept out of error messages, and the warning for US numbers without a registration.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseAccountsDocument } from "../../src/config/load";
import { unregisteredUsAccounts } from "../../src/config/us-a2p-warnings";
import { issuesOf } from "../config/helpers";
import { PERSONAL, US_ACCOUNT_ID, usAccountYaml } from "../support/us-a2p-yaml";

const TSX = require.resolve("tsx/cli");

function problems(text: string): string[] {
  return issuesOf({ "a.yaml": text }).issues.map((i) => `${i.line}:${i.path}: ${i.message}`);
}

describe("compliance.usA2p", () => {
  it("resolves a declared registration onto the account, with its defaults", () => {
    const [account] = parseAccountsDocument(usAccountYaml(), "a.yaml").accounts;
    expect(account?.usA2p?.brand.legalName).toBe("Seattle Smiles Dental PLLC");
    expect(account?.usA2p?.brand.companyType).toBe("private");
    expect(account?.usA2p?.brand.address.country).toBe("US");
    expect(account?.usA2p?.brand.regionsOfOperation).toBe("USA_AND_CANADA");
    expect(account?.usA2p?.campaign.samples).toHaveLength(2);
  });

  it("locates every broken limit Twilio documents (description, samples, use case)", () => {
    const text = usAccountYaml({ description: "Too short to register." })
      .replace("useCase: ACCOUNT_NOTIFICATION", "useCase: NOTIFICATIONS")
      .replace(
        '            - "Seattle Smiles: your appointment is confirmed. Reply HELP for help."\n',
        "",
      );
    expect(problems(text)).toEqual([
      `30:accounts[0].compliance.usA2p.campaign.useCase: expected one of "2FA", "ACCOUNT_NOTIFICATION", "CUSTOMER_CARE", "DELIVERY_NOTIFICATION", "FRAUD_ALERT", "HIGHER_EDUCATION", "MARKETING", "MIXED", "POLLING_VOTING", "PUBLIC_SERVICE_ANNOUNCEMENT", "SECURITY_ALERT", got "NOTIFICATIONS"`,
      `31:accounts[0].compliance.usA2p.campaign.description: expected a description of what the campaign sends of 40 to 4096 characters, got "Too short to register."`,
      "34:accounts[0].compliance.usA2p.campaign.samples: expected 2 to 5 sample messages (Twilio's minimum is 2)",
    ]);
  });

  it("never prints the tax id, email or phone it refuses", () => {
    const text = usAccountYaml()
      .replace(`taxId: "${PERSONAL.taxId}"`, "taxId: '#98 7654321#'")
      .replace(`email: ${PERSONAL.email}`, "email: ada.owner-at-seattle-smiles")
      .replace(`phone: "${PERSONAL.phone}"`, 'phone: "206-555-0199"');
    const found = problems(text);
    expect(found).toEqual([
      '13:accounts[0].compliance.usA2p.brand.taxId: expected a tax id such as "12-3456789", got a value of 12 characters (not shown: personal data)',
      '25:accounts[0].compliance.usA2p.brand.representative.email: expected an email address such as "owner@clinic.example", got a value of 27 characters (not shown: personal data)',
      '26:accounts[0].compliance.usA2p.brand.representative.phone: expected an E.164 phone number such as "+12065550100", got a value of 12 characters (not shown: personal data)',
    ]);
    expect(found.join("\n")).not.toMatch(/7654321|ada\.owner|555-0199/);
  });

  it("asks a public company for its stock exchange and ticker", () => {
    const text = usAccountYaml().replace(
      "          industry: HEALTHCARE",
      "          companyType: public\n          industry: HEALTHCARE",
    );
    expect(problems(text)).toEqual([
      "10:accounts[0].compliance.usA2p.brand.stockExchange: a public company needs stockExchange (the A2P trust product asks for it)",
      "10:accounts[0].compliance.usA2p.brand.stockTicker: a public company needs stockTicker (the A2P trust product asks for it)",
    ]);
  });

  it("warns (validate exits 0) for an account with US numbers and no registration, not for a registered or Canadian one", () => {
    const unregistered = parseAccountsDocument(usAccountYaml({ unregistered: true }), "u.yaml");
    expect(unregisteredUsAccounts(unregistered.accounts)).toEqual([
      {
        accountId: US_ACCOUNT_ID,
        accountName: "Seattle Smiles Dental",
        sourceFile: "u.yaml",
        numbers: ["main"],
      },
    ]);
    expect(
      unregisteredUsAccounts(parseAccountsDocument(usAccountYaml(), "r.yaml").accounts),
    ).toEqual([]);
    const canadian = usAccountYaml({ unregistered: true, areaCode: "604" }).replace(
      "country: US",
      "country: CA",
    );
    expect(unregisteredUsAccounts(parseAccountsDocument(canadian, "c.yaml").accounts)).toEqual([]);

    const dir = mkdtempSync(join(tmpdir(), "a2p-validate-"));
    try {
      const file = join(dir, "us.yaml");
      writeFileSync(file, usAccountYaml({ unregistered: true }));
      const result = spawnSync(process.execPath, [TSX, "src/cli/validate.ts", file], {
        encoding: "utf8",
      });
      expect(result.status).toBe(0);
      expect(result.stdout).toBe("ok: 1 account (1 number) in 1 file\n");
      expect(result.stderr).toBe(
        `${file}: warning: account ${US_ACCOUNT_ID} (Seattle Smiles Dental) has US local numbers ('main') but no compliance.usA2p: US carriers block its messages (Twilio error 30034) until a brand and campaign are registered\n`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
