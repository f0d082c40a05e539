/*
 * The a2p room (src/a2p/): the US A2P 10DLC registration chain as data. Given the review states
 * Twilio reports for an account's customer profile, trust product, brand and campaign, it says
 * which step comes next (chain.ts) and puts that in words for the plan and the stack outputs
 * (describe.ts). Pure functions: no Twilio call, no Pulumi, no I/O. The provider
 * (providers/us-a2p-registration.ts) performs the steps; the plan (src/plan) prints them.
 * Imports only src/util; never the rooms built on it (providers, pulumi, plan, sync, cli, …).
 */

/** The four reviewed objects of the chain, in their order. */
export const LINKS = ["profile", "trustProduct", "brand", "campaign"] as const;
export type Link = (typeof LINKS)[number];

/** How each link is named to a person. */
export const LINK_NAMES: Record<Link, string> = {
  profile: "customer profile",
  trustProduct: "A2P trust product",
  brand: "brand",
  campaign: "campaign",
};

/** One reviewed object as Twilio reports it: Trust Hub bundle, brand or campaign status words. */
export interface Observed {
  sid: string;
  /**
   * Twilio's words: bundles `draft` | `pending-review` | `in-review` | `twilio-approved` |
   * `twilio-rejected`; brands `PENDING` | `IN_REVIEW` | `APPROVED` | `FAILED`; campaigns
   * `IN_PROGRESS` | `VERIFIED` | `FAILED`.
   */
  status: string;
  /** When Twilio last changed it (ISO 8601): "since" in the plan. */
  since: string;
  /** A rejection's reason, as Twilio gives it. */
  reason?: string;
}

export type RegistrationState = Partial<Record<Link, Observed>>;

/** Where an object stands, whatever Twilio's words for it. */
export type Stage = "draft" | "in-review" | "approved" | "rejected";

export function stageOf(link: Link, status: string): Stage {
  const s = status.toLowerCase();
  if (s === "draft") return "draft";
  if (s === "twilio-approved" || s === "approved" || s === "verified") return "approved";
  if (s === "twilio-rejected" || s === "failed") return "rejected";
  // pending-review, in-review, PENDING, IN_REVIEW, IN_PROGRESS, and anything new Twilio adds.
  void link;
  return "in-review";
}

/** What the declared YAML changed since what Twilio holds (the last submission). */
export interface Changes {
  /** Business fields, representative or address (the profile, trust product and brand). */
  brand: boolean;
  campaign: boolean;
}

export type Step =
  | { kind: "create"; link: Link }
  | { kind: "submit"; link: "profile" | "trustProduct" }
  /** Push the corrected fields and submit again (a rejected bundle, a failed brand). */
  | { kind: "resubmit"; link: "profile" | "trustProduct" | "brand" }
  /** A failed campaign is deleted and registered anew with the corrected fields. */
  | { kind: "recreate"; link: "campaign" }
  /**
   * Approved, and the YAML changed: a verified campaign is updated in place (it stays verified);
   * an approved brand's corrected fields go to its end users (no new review is asked for).
   */
  | { kind: "update"; link: "brand" | "campaign" }
  | { kind: "wait"; link: Link; status: string; since: string }
  /** Rejected, and the YAML still says what was rejected: a person must change it. */
  | { kind: "blocked"; link: Link; status: string; since: string; reason: string }
  | { kind: "done" };

/** Steps the provider performs; the others wait for Twilio or for a person. */
export function isActionable(step: Step): boolean {
  return step.kind !== "wait" && step.kind !== "blocked" && step.kind !== "done";
}

/**
 * The next step of the chain. Each link needs the one before it approved: a profile, then its
 * trust product, then the brand on both, then the campaign on the brand (Twilio's ISV flow).
 */
export function nextStep(state: RegistrationState, changes: Changes): Step {
  for (const link of LINKS) {
    const observed = state[link];
    if (observed === undefined) return { kind: "create", link };
    const stage = stageOf(link, observed.status);
    const at = { link, status: observed.status, since: observed.since };
    const changed = link === "campaign" ? changes.campaign : changes.brand;
    if (stage === "draft") {
      if (link === "profile" || link === "trustProduct") return { kind: "submit", link };
      return { kind: "wait", ...at };
    }
    if (stage === "in-review") return { kind: "wait", ...at };
    if (stage === "rejected") {
      if (!changed)
        return { kind: "blocked", ...at, reason: observed.reason ?? "no reason given by Twilio" };
      return link === "campaign" ? { kind: "recreate", link } : { kind: "resubmit", link };
    }
    // Approved: the bundles wait for the brand; a changed brand or campaign is updated in place.
    if ((link === "brand" || link === "campaign") && changed) return { kind: "update", link };
  }
  return { kind: "done" };
}

/** The campaign's status for the sync and the sender: Twilio's word, or null before one exists. */
export function campaignStatusOf(state: RegistrationState): string | null {
  return state.campaign?.status ?? null;
}
