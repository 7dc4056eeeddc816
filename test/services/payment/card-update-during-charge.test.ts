/**
 * A charge that finds the card expired leaves its order waiting for the customer's card update. When
 * the customer updates the card while that charge is still being handled, the order must not wait
 * for an update that already happened: either the charge sees the new expiry, or the update wakes it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdLocks } from '../support/transaction-hold.js';
import { buildChargeCommand, PaymentServiceTestKit } from './payment-service-test-kit.js';

/** Before the kit's clock (June 2030): the charge finds the card expired. */
const EXPIRED = { expiry: '05/30' };
const RENEWED = { expiry: '01/33' };

let kit: PaymentServiceTestKit;
beforeAll(async () => {
  kit = await PaymentServiceTestKit.start();
});
afterAll(() => kit?.stop());

describe('a card update while a charge finds the card expired', () => {
  it('When the update comes after the charge read the card but before it committed, then the update wakes the order', async () => {
    const cardToken = await kit.tokenize(EXPIRED);
    const charge = buildChargeCommand(cardToken);
    // The charge's transaction stops at its first outbox write, after it decided the order waits.
    const hold = await holdLocks(kit.db, 'LOCK TABLE outbox IN SHARE MODE');
    const charged = kit.send(charge);
    await hold.untilWaiting(1);

    const updated = kit.request('PUT', `/cards/${cardToken}`, { body: RENEWED });
    // The update either finishes at once (nothing stops it) or waits for the charge; both are allowed here.
    await Promise.race([updated, hold.untilWaiting(2)]);
    await hold.release();
    await Promise.all([charged, updated]);

    expect((await updated).status).toBe(200);
    expect(await kit.outboxTypesOf(charge.payload.orderId)).toEqual(['payment.card-expired', 'payment.card-updated']);
    expect((await kit.payments(charge.payload.orderId)).map((payment) => payment.status)).toEqual(['card-expired']);
  });

  it('When the update is running as the charge reads the card, then the charge waits for it and charges the renewed card', async () => {
    const cardToken = await kit.tokenize(EXPIRED);
    const charge = buildChargeCommand(cardToken);
    // The update's transaction stops after changing the card, at its look for waiting charges.
    const hold = await holdLocks(kit.db, 'LOCK TABLE payments IN SHARE MODE');
    const updated = kit.request('PUT', `/cards/${cardToken}`, { body: RENEWED });
    await hold.untilWaiting(1);

    const charged = kit.send(charge);
    await hold.untilWaiting(2);
    await hold.release();
    await Promise.all([charged, updated]);

    expect(await kit.outboxTypesOf(charge.payload.orderId)).toEqual(['payment.charged']);
    expect((await kit.payments(charge.payload.orderId)).map((payment) => payment.status)).toEqual(['succeeded']);
  });
});
