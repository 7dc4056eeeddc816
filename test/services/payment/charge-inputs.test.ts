/** What a charge decides on comes back from one statement exactly as the repositories read it one by one. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plainSqlOf } from '../../../lib/database/index.js';
import { CardRepository } from '../../../services/payment/data-access/card-repository.js';
import { ChargeInputsReader } from '../../../services/payment/data-access/charge-inputs-reader.js';
import { PaymentRepository } from '../../../services/payment/data-access/payment-repository.js';
import { RefundRequestRepository } from '../../../services/payment/data-access/refund-request-repository.js';
import { PaymentStatus, PaymentType } from '../../../services/payment/domain/payment-status.js';
import { PaymentServiceTestKit } from './payment-service-test-kit.js';

let kit: PaymentServiceTestKit;
beforeAll(async () => {
  kit = await PaymentServiceTestKit.start();
});
afterAll(() => kit?.stop());

const euros = (amount: number) => ({ amount, currency: 'EUR' });

describe('the inputs of a charge', () => {
  it('When an order has payments and a refund request, then they come back oldest first with the card, as the repositories read them', async () => {
    const sql = plainSqlOf(kit.db);
    const payments = new PaymentRepository(sql);
    const cardToken = await kit.tokenize();
    const orderId = randomUUID();
    const declined = await payments.create({ orderId, type: PaymentType.CHARGE, amount: euros(6200), status: PaymentStatus.DECLINED, cardToken, failureReason: 'card_declined' });
    const charged = await payments.create({ orderId, type: PaymentType.CHARGE, amount: euros(6200), status: PaymentStatus.SUCCEEDED, cardToken });
    await new RefundRequestRepository(sql).record(orderId, 'order cancelled');

    const inputs = await new ChargeInputsReader(sql).read(orderId, cardToken);

    expect(inputs.history).toEqual([declined, charged]);
    expect(inputs.history).toEqual(await payments.listByOrder(orderId));
    expect(inputs.refundRequested).toBe(true);
    expect(inputs.card).toEqual(await new CardRepository(sql).find(cardToken));
    expect(inputs.card).toMatchObject({ token: cardToken, last4: '4242' });
  });

  it('When the order has no payment, no refund request and the token no card, then the inputs say so', async () => {
    const inputs = await new ChargeInputsReader(plainSqlOf(kit.db)).read(randomUUID(), 'tok_nosuchcard000000000000000');

    expect(inputs).toEqual({ history: [], refundRequested: false, card: undefined });
  });
});
