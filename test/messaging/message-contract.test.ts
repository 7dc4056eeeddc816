import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ContractViolation, createMessage, decodeMessage, validateMessage } from '../../infra/messaging/contract/index.js';
import { buildChargeCommand } from './support/message-factories.js';

const orderId = randomUUID();
const address = { name: 'Ada Lovelace', line1: '1 Main St', city: 'London', postalCode: 'N1 9GU', country: 'GB' };
const items = [{ sku: 'SKU-1', quantity: 2 }];

describe('message contract', () => {
  it.each([
    createMessage('payment.charge', { orderId, customerId: 'c-1', cardToken: 'tok_abcdefgh', amount: { amount: 1999, currency: 'EUR' } }),
    createMessage('payment.refund', { orderId, amount: { amount: 1999, currency: 'EUR' }, reason: 'out of stock' }),
    createMessage('inventory.reserve', { orderId, items }),
    createMessage('inventory.release', { orderId, items }),
    createMessage('shipping.ship', { orderId, items, shippingAddress: address }),
    createMessage('payment.declined', { orderId, reason: 'insufficient funds' }),
    createMessage('payment.card-expired', { orderId, cardToken: 'tok_abcdefgh', cardLast4: '0002' }),
    createMessage('inventory.out-of-stock', { orderId, unavailable: [{ sku: 'SKU-1', requested: 2, available: 0 }] }),
    createMessage('shipping.rejected', { orderId, reason: 'carrier does not deliver to AQ' }),
    createMessage('customer.notified', { orderId, customerId: 'c-1', topic: 'card-expired' }),
  ])('When a $type is well-formed, then it is accepted', (message) => {
    expect(validateMessage(message)).toEqual({ ok: true, message });
  });

  it.each([
    { breach: 'a fractional amount', payload: { amount: { amount: 19.99, currency: 'EUR' } } },
    { breach: 'a currency outside ISO 4217', payload: { amount: { amount: 1999, currency: 'XYZ' } } },
    { breach: 'a card number instead of a token', payload: { cardToken: '4242424242424242' } },
    { breach: 'an unexpected field', payload: { cardNumber: '4242' } },
  ])('When a payment.charge has $breach, then it is rejected as SCHEMA_MISMATCH', ({ payload }) => {
    const message = buildChargeCommand();
    const broken = { ...message, payload: { ...message.payload, ...payload } };

    expect(validateMessage(broken)).toMatchObject({ ok: false, code: ContractViolation.SCHEMA_MISMATCH });
  });

  it('When correlationId differs from payload.orderId, then the message is rejected', () => {
    const message = { ...buildChargeCommand(), correlationId: randomUUID() };

    expect(validateMessage(message)).toMatchObject({ ok: false, code: ContractViolation.SCHEMA_MISMATCH, reason: expect.stringContaining('correlationId') });
  });

  it('When a card number hides in a free-text field, then the message is rejected as CARD_NUMBER', () => {
    const message = createMessage('payment.declined', { orderId, reason: 'card 4242 4242 4242 4242 declined' });

    expect(validateMessage(message)).toMatchObject({ ok: false, code: ContractViolation.CARD_NUMBER });
  });

  it('When a body is not JSON, then decoding reports BAD_JSON', () => {
    expect(decodeMessage(Buffer.from('{'))).toMatchObject({ ok: false, code: ContractViolation.BAD_JSON });
  });
});
