import { describe, expect, it } from 'vitest';
import { askCarrier } from '../../../services/shipping/domain/carrier.js';
import { buildAddress } from './shipping-test-kit.js';

const shipmentId = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

describe('askCarrier', () => {
  it.each(['GB', 'DE', 'US', 'AU'])('When the country is %s, then the carrier accepts with a tracking number from the shipment id', (country) => {
    expect(askCarrier(shipmentId, buildAddress({ country }))).toEqual({ accepted: true, trackingNumber: 'OFP0A1B2C3D4E5F' });
  });

  it('When the country is AQ, then the carrier rejects with the reason', () => {
    expect(askCarrier(shipmentId, buildAddress({ country: 'AQ' }))).toEqual({ accepted: false, reason: 'Orderflow Post does not deliver to country AQ' });
  });
});
