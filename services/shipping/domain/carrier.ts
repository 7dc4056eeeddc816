import type { ShippingAddress } from '../../../infra/messaging/index.js';

/** The one carrier Orderflow ships with (a simulation: no network call). */
export const CARRIER = 'Orderflow Post';

/**
 * Countries the carrier does not deliver to. `AQ` (Antarctica) is the documented test case for a
 * rejected shipment, like a payment provider's test card numbers.
 */
export const undeliverableCountries: ReadonlySet<string> = new Set(['AQ']);

export type CarrierDecision = { accepted: true; trackingNumber: string } | { accepted: false; reason: string };

/** Whether the carrier takes the parcel; an accepted parcel's tracking number is derived from the shipment id. */
export function askCarrier(shipmentId: string, address: ShippingAddress): CarrierDecision {
  if (undeliverableCountries.has(address.country)) {
    return { accepted: false, reason: `${CARRIER} does not deliver to country ${address.country}` };
  }
  return { accepted: true, trackingNumber: trackingNumberFor(shipmentId) };
}

/** `OFP` and the first 12 hex digits of the shipment id, upper case: stable for the shipment, unique in practice. */
export function trackingNumberFor(shipmentId: string): string {
  return `OFP${shipmentId.replaceAll('-', '').slice(0, 12).toUpperCase()}`;
}
