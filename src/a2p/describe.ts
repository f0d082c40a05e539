/**
 * The registration in words, the same in the plan, the stack outputs and the scheduled refresh's
 * summary: "waiting for brand (IN_REVIEW since 2026-12-01)", "campaign rejected: <reason>".
 */
import { LINK_NAMES, type Link, type RegistrationState, type Step } from "./chain";

/** "2026-12-01" from an ISO 8601 time (the day is what a reviewer needs). */
function day(iso: string): string {
  return iso.slice(0, 10);
}

const CREATE_WORDS: Record<Link, string> = {
  profile: "create and submit the customer profile (business, representative, address)",
  trustProduct: "create and submit the A2P trust product",
  brand: "register the brand",
  campaign: "register the campaign on the Messaging Service",
};

/** What the next `up` does, or what it waits for. */
export function describeStep(step: Step): string {
  switch (step.kind) {
    case "create":
      return CREATE_WORDS[step.link];
    case "submit":
      return `submit the ${LINK_NAMES[step.link]} for review`;
    case "resubmit":
      return `resubmit the ${LINK_NAMES[step.link]} with the corrected fields`;
    case "recreate":
      return "register the campaign again with the corrected fields (the failed one is deleted)";
    case "update":
      return step.link === "campaign"
        ? "update the verified campaign's fields"
        : "update the approved brand's business and representative fields";
    case "wait":
      return `waiting for ${LINK_NAMES[step.link]} (${step.status} since ${day(step.since)})`;
    case "blocked":
      return `${LINK_NAMES[step.link]} rejected (${step.status} since ${day(step.since)}): ${step.reason}; change compliance.usA2p to resubmit`;
    case "done":
      return "registered: campaign VERIFIED";
  }
}

/** "customer profile twilio-approved, A2P trust product twilio-approved, brand IN_REVIEW" */
export function describeState(state: RegistrationState): string {
  const parts = (Object.keys(LINK_NAMES) as Link[]).flatMap((link) => {
    const observed = state[link];
    return observed ? [`${LINK_NAMES[link]} ${observed.status}`] : [];
  });
  return parts.length > 0 ? parts.join(", ") : "nothing registered yet";
}
