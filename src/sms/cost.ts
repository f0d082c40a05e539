/**
 * What an SMS will cost: segments (segments.ts) times a price per segment.
 *
 * The default price is the seed's figure ("SMS: $0.0075 per segment", the US outbound rate that
 * design started from). Twilio's real price depends on the destination country and carrier
 * fees, so it is a setting (`pricePerSegmentUsd`), and the result is an estimate.
 */
import { countSegments, type SegmentCount, smartEncode } from "./segments";

/** The seed's price of one outbound SMS segment, in US dollars. */
export const DEFAULT_PRICE_PER_SEGMENT_USD = 0.0075;

export interface SmsEstimateOptions {
  /** Price of one segment in US dollars (default 0.0075, the seed's). */
  pricePerSegmentUsd?: number;
  /**
   * Count the body after Twilio's Smart Encoding (curly quotes, dashes, … become GSM-7), as a
   * Messaging Service does by default (default true).
   */
  smartEncoding?: boolean;
}

export interface SmsEstimate extends SegmentCount {
  estimatedCostUsd: number;
}

export function estimateSms(body: string, options: SmsEstimateOptions = {}): SmsEstimate {
  const price = options.pricePerSegmentUsd ?? DEFAULT_PRICE_PER_SEGMENT_USD;
  const counted = countSegments(options.smartEncoding === false ? body : smartEncode(body));
  // Whole micro-dollars, so 3 × 0.0075 is 0.0225 and not 0.022499999999999996.
  const estimatedCostUsd = Math.round(counted.segments * price * 1e6) / 1e6;
  return { ...counted, estimatedCostUsd };
}
