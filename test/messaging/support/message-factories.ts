import { randomUUID } from 'node:crypto';
import { createMessage, type Envelope, type Message } from '../../../infra/messaging/contract/index.js';

/** A valid payment.charge command; override any payload field. */
export function buildChargeCommand(overrides: Partial<Envelope<'payment.charge'>['payload']> = {}): Message<'payment.charge'> {
  return createMessage('payment.charge', {
    orderId: randomUUID(),
    customerId: 'customer-1',
    cardToken: 'tok_4f9a2c1b7e3d',
    amount: { amount: 4_999, currency: 'EUR' },
    ...overrides,
  });
}

/** A valid payment.charged event; override any payload field. */
export function buildChargedEvent(overrides: Partial<Envelope<'payment.charged'>['payload']> = {}): Message<'payment.charged'> {
  return createMessage('payment.charged', {
    orderId: randomUUID(),
    paymentId: randomUUID(),
    amount: { amount: 4_999, currency: 'EUR' },
    cardLast4: '4242',
    ...overrides,
  });
}

export function buildChargeCommands(count: number): Message<'payment.charge'>[] {
  return Array.from({ length: count }, () => buildChargeCommand());
}
