/**
 * A refund command can overtake its order's charge (a retried charge, a redelivery after a crash): the
 * refund finds nothing to give back, and the charge that arrives afterwards must not keep the money.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REFUND_REQUESTED_REASON } from '../../../services/payment/domain/charge-payment.js';
import { buildChargeCommand, buildRefundCommand, PaymentServiceTestKit } from './payment-service-test-kit.js';

let kit: PaymentServiceTestKit;
beforeAll(async () => {
  kit = await PaymentServiceTestKit.start();
});
afterAll(() => kit?.stop());

describe('a refund handled before its order is charged', () => {
  it('When the charge arrives after the refund, then payment.declined is published naming the refund request', async () => {
    const charge = buildChargeCommand(await kit.tokenize());
    await kit.send(buildRefundCommand(charge.payload.orderId));

    await kit.send(charge);

    const declined = await kit.eventOf(charge.payload.orderId, 'payment.declined');
    expect(declined.payload).toEqual({ orderId: charge.payload.orderId, reason: REFUND_REQUESTED_REASON });
    expect(declined.causationId).toBe(charge.id);
  });

  it('When the charge arrives after the refund, then no money moves for the order', async () => {
    const charge = buildChargeCommand(await kit.tokenize());
    await kit.send(buildRefundCommand(charge.payload.orderId));

    await kit.send(charge);

    expect(await kit.payments(charge.payload.orderId)).toEqual([]);
    expect(await kit.outboxTypesOf(charge.payload.orderId)).toEqual(['payment.declined']);
  });

  it('When the refund request is delivered again after the late charge, then still no money moves', async () => {
    const charge = buildChargeCommand(await kit.tokenize());
    const refund = buildRefundCommand(charge.payload.orderId);
    await kit.send(refund);
    await kit.send(charge);

    await kit.send(buildRefundCommand(charge.payload.orderId), charge);

    expect(await kit.payments(charge.payload.orderId)).toEqual([]);
  });

  it('When another order was refunded first, then this order is still charged', async () => {
    const cardToken = await kit.tokenize();
    await kit.send(buildRefundCommand(buildChargeCommand(cardToken).payload.orderId));
    const charge = buildChargeCommand(cardToken, { amount: 3_100 });

    await kit.send(charge);

    await kit.eventOf(charge.payload.orderId, 'payment.charged');
    expect(await kit.payments(charge.payload.orderId)).toEqual([expect.objectContaining({ type: 'charge', amount: 3_100, status: 'succeeded' })]);
  });
});
