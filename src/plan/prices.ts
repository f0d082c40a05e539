/**
 * The prices the plan's cost delta uses, in one place (docs/plan.md, "Prices").
 *
 * The seed design (seed/twilio-messaging-service-guide.md, "Cost Considerations") gives
 * "Phone Numbers: ~$1-2/month per number" and "Messaging Service: free to create". A plan needs one
 * figure: we use $1.15, Twilio's list price of a US or Canadian local number (the only numbers the
 * YAML can buy by area code), inside the seed's range. Volume discounts and other countries' prices
 * are not modelled: the figure is an estimate for a reviewer, not an invoice.
 */

/** Monthly price of one phone number, in US cents. */
export const NUMBER_MONTHLY_CENTS = 115;

/** Monthly price of one Messaging Service, in US cents (free, per the seed). */
export const MESSAGING_SERVICE_MONTHLY_CENTS = 0;
