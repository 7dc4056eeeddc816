import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setTimeout } from 'node:timers/promises';
import { holdOrder, outboxCountOf } from '../support/transaction-hold.js';
import { buildChargeCommand, buildRefundCommand, PaymentServiceTestKit } from './payment-service-test-kit.js';

let kit: PaymentServiceTestKit;
beforeAll(async () => {
  kit = await PaymentServiceTestKit.start();
});
afterAll(() => kit?.stop());

describe('payment.charge', () => {
  it('When the card succeeds, then payment.charged is published with the amount and last four', async () => {
    const charge = buildChargeCommand(await kit.tokenize(), { amount: 12_345 });

    await kit.send(charge);

    const charged = await kit.eventOf(charge.payload.orderId, 'payment.charged');
    expect(charged.payload).toEqual({ orderId: charge.payload.orderId, paymentId: expect.any(String), amount: { amount: 12_345, currency: 'EUR' }, cardLast4: '4242' });
    expect(charged.causationId).toBe(charge.id);
  });

  it('When the card succeeds, then one succeeded charge is recorded', async () => {
    const charge = buildChargeCommand(await kit.tokenize({ number: '5555555555554444' }), { amount: 2_500 });

    await kit.send(charge);

    const { payload } = await kit.eventOf(charge.payload.orderId, 'payment.charged');
    expect(await kit.payments(charge.payload.orderId)).toEqual([{ id: payload.paymentId, type: 'charge', amount: 2_500, currency: 'EUR', status: 'succeeded' }]);
  });

  it('When the card is the declining test card, then payment.declined is published with a reason and nothing is charged', async () => {
    const charge = buildChargeCommand(await kit.tokenize({ number: '4000000000000002' }));

    await kit.send(charge);

    const declined = await kit.eventOf(charge.payload.orderId, 'payment.declined');
    expect(declined.payload.reason).toMatch(/^card_declined/);
    expect(await kit.payments(charge.payload.orderId)).toEqual([expect.objectContaining({ type: 'charge', status: 'declined' })]);
  });

  it('When the card expired before the service clock, then payment.card-expired is published and the charge awaits a card update', async () => {
    const cardToken = await kit.tokenize({ expiry: '05/30' });
    const charge = buildChargeCommand(cardToken);

    await kit.send(charge);

    const expired = await kit.eventOf(charge.payload.orderId, 'payment.card-expired');
    expect(expired.payload).toEqual({ orderId: charge.payload.orderId, cardToken, cardLast4: '4242' });
    expect(await kit.payments(charge.payload.orderId)).toEqual([expect.objectContaining({ type: 'charge', status: 'awaiting-card-update' })]);
  });

  it('When the card is valid through the current month, then it is charged', async () => {
    const charge = buildChargeCommand(await kit.tokenize({ expiry: '06/30' }));

    await kit.send(charge);

    await kit.eventOf(charge.payload.orderId, 'payment.charged');
  });

  it('When the card is updated after expiring and the charge is sent again, then it is charged', async () => {
    const cardToken = await kit.tokenize({ expiry: '01/30' });
    const first = buildChargeCommand(cardToken);
    await kit.send(first);
    await kit.request('PUT', `/cards/${cardToken}`, { body: { expiry: '01/33' } });

    await kit.send(buildChargeCommand(cardToken, { orderId: first.payload.orderId }));

    await kit.eventOf(first.payload.orderId, 'payment.charged');
    expect((await kit.payments(first.payload.orderId)).map((payment) => payment.status)).toEqual(['card-expired', 'succeeded']);
  });

  it('When the same charge message is delivered twice, then it is handled once', async () => {
    const charge = buildChargeCommand(await kit.tokenize());

    await kit.send(charge, charge);

    await kit.eventOf(charge.payload.orderId, 'payment.charged');
    expect(await kit.outboxTypesOf(charge.payload.orderId)).toEqual(['payment.charged']);
    expect(await kit.payments(charge.payload.orderId)).toHaveLength(1);
    expect(kit.logLines.some((line) => line.includes('Duplicate payment command skipped') && line.includes(charge.id))).toBe(true);
  });

  it('When an order is charged again by a new command, then nothing more is charged and the same payment.charged is repeated', async () => {
    const cardToken = await kit.tokenize();
    const first = buildChargeCommand(cardToken);
    const again = buildChargeCommand(cardToken, { orderId: first.payload.orderId });

    await kit.send(first);
    await kit.send(again);

    const [charged, repeated] = await kit.eventsOf(first.payload.orderId, 'payment.charged', 2);
    expect(repeated!.payload).toEqual(charged!.payload);
    expect(repeated!.causationId).toBe(again.id);
    expect(await kit.payments(first.payload.orderId)).toHaveLength(1);
  });

  it('When many charges for one order arrive at once, then exactly one succeeded charge is recorded', async () => {
    const cardToken = await kit.tokenize();
    const first = buildChargeCommand(cardToken);
    const others = Array.from({ length: 5 }, () => buildChargeCommand(cardToken, { orderId: first.payload.orderId }));

    await kit.send(first, ...others);

    await kit.eventsOf(first.payload.orderId, 'payment.charged', 6);
    expect(await kit.payments(first.payload.orderId)).toHaveLength(1);
  });

  it('When a command for an order arrives while another for it is being handled, then it waits for that one to end', async () => {
    const charge = buildChargeCommand(await kit.tokenize());
    const hold = await holdOrder(kit.db, charge.payload.orderId);

    const sent = kit.send(charge);
    // The service's command waits for the order; a handful of milliseconds would be enough to handle it.
    await setTimeout(300);
    expect(await outboxCountOf(kit.db, charge.payload.orderId)).toBe(0);
    await hold.release();
    await sent;

    expect(await kit.outboxTypesOf(charge.payload.orderId)).toEqual(['payment.charged']);
  });

  it('When the token is unknown, then payment.declined is published and nothing is recorded', async () => {
    const charge = buildChargeCommand('tok_neverissued000');

    await kit.send(charge);

    expect((await kit.eventOf(charge.payload.orderId, 'payment.declined')).payload.reason).toMatch(/^card_not_found/);
    expect(await kit.payments(charge.payload.orderId)).toEqual([]);
  });
});

describe('payment.refund', () => {
  async function chargedOrder(amount = 4_999): Promise<{ orderId: string; chargeId: string }> {
    const charge = buildChargeCommand(await kit.tokenize(), { amount });
    await kit.send(charge);
    const { payload } = await kit.eventOf(charge.payload.orderId, 'payment.charged');
    return { orderId: charge.payload.orderId, chargeId: payload.paymentId };
  }

  it('When a charged order is refunded, then payment.refunded is published for the net charged amount', async () => {
    const { orderId } = await chargedOrder(7_700);

    await kit.send(buildRefundCommand(orderId, 1));

    const refunded = await kit.eventOf(orderId, 'payment.refunded');
    expect(refunded.payload).toEqual({ orderId, paymentId: expect.any(String), amount: { amount: 7_700, currency: 'EUR' } });
  });

  it('When a charged order is refunded, then a succeeded refund of the charge is recorded', async () => {
    const { orderId, chargeId } = await chargedOrder(7_700);

    await kit.send(buildRefundCommand(orderId));

    const { payload } = await kit.eventOf(orderId, 'payment.refunded');
    expect(await kit.payments(orderId)).toEqual([
      { id: chargeId, type: 'charge', amount: 7_700, currency: 'EUR', status: 'succeeded' },
      { id: payload.paymentId, type: 'refund', amount: 7_700, currency: 'EUR', status: 'succeeded' },
    ]);
    expect((await kit.db.payment.findUniqueOrThrow({ where: { id: payload.paymentId } })).refundedChargeId).toBe(chargeId);
  });

  it('When an order is refunded twice by two commands, then money goes back once and the same payment.refunded is repeated', async () => {
    const { orderId } = await chargedOrder();

    await kit.send(buildRefundCommand(orderId));
    await kit.send(buildRefundCommand(orderId));

    const [first, second] = await kit.eventsOf(orderId, 'payment.refunded', 2);
    expect(second!.payload).toEqual(first!.payload);
    expect((await kit.payments(orderId)).filter((payment) => payment.type === 'refund')).toHaveLength(1);
  });

  it('When refunds for one order arrive at once, then money goes back once', async () => {
    const { orderId } = await chargedOrder();

    await kit.send(buildRefundCommand(orderId), buildRefundCommand(orderId), buildRefundCommand(orderId));

    await kit.eventsOf(orderId, 'payment.refunded', 3);
    expect((await kit.payments(orderId)).filter((payment) => payment.type === 'refund')).toHaveLength(1);
  });

  it('When nothing was charged for the order, then nothing is refunded and no event is committed', async () => {
    const charge = buildChargeCommand(await kit.tokenize({ number: '4000000000000002' }));
    await kit.send(charge);

    await kit.send(buildRefundCommand(charge.payload.orderId));

    expect(await kit.outboxTypesOf(charge.payload.orderId)).toEqual(['payment.declined']);
    expect((await kit.payments(charge.payload.orderId)).map((payment) => payment.type)).toEqual(['charge']);
  });
});
