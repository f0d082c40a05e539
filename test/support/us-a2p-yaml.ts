/** A US account with its A2P 10DLC registration, as a user writes it, for the A2P suites. */

export const US_ACCOUNT_ID = "5d1f2c3b-8a4e-4c2f-9b1d-7e6a5f4c3b2a";

/** Personal data the tests look for in outputs, logs and plans (it must never be there). */
export const PERSONAL = {
  taxId: "98-7654321",
  email: "ada.owner@seattle-smiles.example",
  phone: "+12065550199",
};

export interface UsA2pYamlOptions {
  /** Replaces the campaign description (a resubmission after a rejection). */
  description?: string;
  /** Leave out compliance.usA2p (an unregistered US account). */
  unregistered?: boolean;
  areaCode?: string;
  /** Replaces the brand's website (a brand correction). */
  website?: string;
}

/** The `compliance:` block of the account, indented for an account entry of a list. */
export function usA2pBlock(options: UsA2pYamlOptions = {}): string {
  return `    compliance:
      usA2p:
        brand:
          legalName: Seattle Smiles Dental PLLC
          businessType: Limited Liability Corporation
          taxIdType: EIN
          taxId: "${PERSONAL.taxId}"
          industry: HEALTHCARE
          website: ${options.website ?? "https://seattle-smiles.example"}
          contactEmail: compliance@parlae.example
          address:
            street: 1200 Pine St
            city: Seattle
            region: WA
            postalCode: "98101"
          representative:
            firstName: Ada
            lastName: Owner
            email: ${PERSONAL.email}
            phone: "${PERSONAL.phone}"
            title: Owner
            jobPosition: Director
        campaign:
          useCase: ACCOUNT_NOTIFICATION
          description: ${options.description ?? "Appointment reminders and confirmations for the clinic's patients."}
          messageFlow: Patients opt in on the booking form at seattle-smiles.example/book by ticking a box.
          samples:
            - "Seattle Smiles: your cleaning is tomorrow at 10:00. Reply STOP to opt out."
            - "Seattle Smiles: your appointment is confirmed. Reply HELP for help."
          hasEmbeddedLinks: false
          hasEmbeddedPhone: false
          optOutKeywords: [STOP, UNSUBSCRIBE]
          helpKeywords: [HELP]
`;
}

/** A file with one US account (a number bought in Seattle) and its registration. */
export function usAccountYaml(options: UsA2pYamlOptions = {}): string {
  return `accounts:
  - id: ${US_ACCOUNT_ID}
    name: Seattle Smiles Dental
    allowLocalWebhooks: true
    messagingService:
      stickySender: true
${options.unregistered ? "" : usA2pBlock(options)}    numbers:
      - name: main
        areaCode: "${options.areaCode ?? "206"}"
        country: US
`;
}
