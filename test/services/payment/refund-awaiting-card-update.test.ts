/**
 * An order whose card had expired waits for the customer to update it. When the order is cancelled
 * meanwhile (the customer cancels, or two weeks pass) the checkout sends `payment.refund`: the charge
 * that waited is closed without moving money, and a later card update leaves the order alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REFUND_REQUESTED_REASON } from '../../../services/payment/domain/charge-payment.js';
import { holdLocks } from '../support/transaction-hold.js';
import { buildChargeCommand, buildRefundCommand, PaymentServiceTestKit } from './payment-service-test-kit.js';

/** Before the kit's clock (June 2030): the charge finds the card expired. */
const EXPIRED = { expiry: '05/30' };
const DECLINING = { number: '4000000000000002' };

let kit: PaymentServiceTestKit;
beforeAll(async () => {
  kit = await PaymentServiceTestKit.start();
});
afterAll(() => kit?.stop());

/** Sends a charge for a fresh order on the card (a fresh expired one unless given); resolves once it is handled. */
async function chargedOnce(cardToken?: string, card: Record<string, unknown> = EXPIRED): Promise<{ orderId: string; cardToken: string }> {
  const charge = buildChargeCommand(cardToken ?? (await kit.tokenize(card)));
  await kit.send(charge);
  return { orderId: charge.payload.orderId, cardToken: charge.payload.cardToken };
}

/** Charged minus refunded, in minor units, from the order's succeeded payments. */
async function netChargedOf(orderId: string): Promise<number> {
  const payments = await kit.payments(orderId);
  const sum = (type: string) => payments.filter((payment) => payment.type === type && payment.status === 'succeeded').reduce((total, payment) => total + (payment.amount as number), 0);
  return sum('charge') - sum('refund');
}

describe('a refund for an order that was never charged', () => {
  it.each([
    { charge: 'waits for a card update', card: EXPIRED, answer: 'payment.card-expired', status: 'cancelled' },
    { charge: 'was declined', card: DECLINING, answer: 'payment.declined', status: 'declined' },
  ])('When an order whose charge $charge is refunded, then the charge ends $status, no money moves and no event is committed', async ({ card, answer, status }) => {
    const { orderId } = await chargedOnce(undefined, card);

    await kit.send(buildRefundCommand(orderId));

    expect(await kit.payments(orderId)).toEqual([expect.objectContaining({ type: 'charge', status })]);
    expect(await netChargedOf(orderId)).toBe(0);
    expect(await kit.outboxTypesOf(orderId)).toEqual([answer]);
  });
});

describe('a card update after the refund of an order waiting for it', () => {
  it('When the card is updated, then the card keeps the update and the order gets no payment.card-updated', async () => {
    const { orderId, cardToken } = await chargedOnce();
    await kit.send(buildRefundCommand(orderId));

    const response = await kit.request('PUT', `/cards/${cardToken}`, { body: { expiry: '01/33' } });

    expect(response.status).toBe(200);
    expect(response.body!.expiry).toBe('01/33');
    expect(await kit.outboxTypesOf(orderId)).toEqual(['payment.card-expired']);
    expect((await kit.payments(orderId)).map((payment) => payment.status)).toEqual(['cancelled']);
  });

  it('When two orders wait on the card and one was refunded, then the update wakes only the other', async () => {
    const refunded = await chargedOnce();
    const waiting = await chargedOnce(refunded.cardToken);
    await kit.send(buildRefundCommand(refunded.orderId));

    await kit.request('PUT', `/cards/${refunded.cardToken}`, { body: { expiry: '01/33' } });

    await kit.eventOf(waiting.orderId, 'payment.card-updated');
    expect(await kit.outboxTypesOf(waiting.orderId)).toEqual(['payment.card-expired', 'payment.card-updated']);
    expect(await kit.outboxTypesOf(refunded.orderId)).toEqual(['payment.card-expired']);
  });

  it('When a charge for the refunded order arrives after the update, then it is declined and nothing is charged', async () => {
    const { orderId, cardToken } = await chargedOnce();
    await kit.send(buildRefundCommand(orderId));
    await kit.request('PUT', `/cards/${cardToken}`, { body: { expiry: '01/33' } });

    await kit.send(buildChargeCommand(cardToken, { orderId }));

    expect((await kit.eventOf(orderId, 'payment.declined')).payload.reason).toBe(REFUND_REQUESTED_REASON);
    expect((await kit.payments(orderId)).map((payment) => payment.status)).toEqual(['cancelled']);
    expect(await netChargedOf(orderId)).toBe(0);
  });

  it('When the card update and the refund reach the waiting charge at once, then the order is either woken or its charge cancelled, never both', async () => {
    const { orderId, cardToken } = await chargedOnce();
    const hold = await holdLocks(kit.db, 'SELECT id FROM payments WHERE order_id = $1::uuid FOR UPDATE', orderId);

    const refunded = kit.send(buildRefundCommand(orderId));
    const updated = kit.request('PUT', `/cards/${cardToken}`, { body: { expiry: '01/33' } });
    await hold.untilWaiting(2);
    await hold.release();
    await Promise.all([refunded, updated]);

    const [status] = (await kit.payments(orderId)).map((payment) => payment.status);
    const woken = (await kit.outboxTypesOf(orderId)).includes('payment.card-updated');
    expect({ status, woken }).toEqual(woken ? { status: 'card-expired', woken: true } : { status: 'cancelled', woken: false });
  });
});

describe('a refund delivered again', () => {
  it('When the same refund message is delivered twice, then it is handled once', async () => {
    const { orderId } = await chargedOnce();
    const refund = buildRefundCommand(orderId);

    await kit.send(refund, refund);

    expect((await kit.payments(orderId)).map((payment) => payment.status)).toEqual(['cancelled']);
    expect(await kit.outboxTypesOf(orderId)).toEqual(['payment.card-expired']);
    expect(kit.logLines.some((line) => line.includes('Duplicate payment command skipped') && line.includes(refund.id))).toBe(true);
  });

  it('When a second refund command arrives for the order, then the cancelled charge stays as it is and nothing is refunded', async () => {
    const { orderId } = await chargedOnce();
    await kit.send(buildRefundCommand(orderId));
    const [cancelled] = await kit.payments(orderId);

    await kit.send(buildRefundCommand(orderId));

    expect(await kit.payments(orderId)).toEqual([{ ...cancelled, status: 'cancelled' }]);
    expect(await kit.outboxTypesOf(orderId)).toEqual(['payment.card-expired']);
  });
});
