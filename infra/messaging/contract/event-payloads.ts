import { z } from 'zod';
import {
  cardLast4Schema,
  cardTokenSchema,
  moneySchema,
  orderIdSchema,
  orderItemsSchema,
  reasonSchema,
} from './common-schemas.js';

const paymentIdSchema = z.uuid();

/** The checkout process's `cancellationReason` values (processes/checkout-contract.md). */
export const cancellationReasonSchema = z.enum(['payment-declined', 'card-not-updated', 'out-of-stock', 'shipping-rejected', 'customer-request', 'operator-request']);
export type CancellationReason = z.infer<typeof cancellationReasonSchema>;

/**
 * Events: facts in the past tense, published on the topic exchange with routing key = type,
 * so any number of subscribers (the order projection, the message bridge) can bind to them.
 */
export const eventPayloads = {
  'payment.charged': {
    description: 'The order total was charged.',
    payload: z.object({ orderId: orderIdSchema, paymentId: paymentIdSchema, amount: moneySchema, cardLast4: cardLast4Schema }).strict(),
  },
  'payment.declined': {
    description: 'The card issuer declined the charge for a reason other than expiry.',
    payload: z.object({ orderId: orderIdSchema, reason: reasonSchema }).strict(),
  },
  'payment.card-expired': {
    description: 'The stored card had expired at charge time; the customer must update it.',
    payload: z.object({ orderId: orderIdSchema, cardToken: cardTokenSchema, cardLast4: cardLast4Schema }).strict(),
  },
  'payment.refunded': {
    description: 'A charge for the order was refunded.',
    payload: z.object({ orderId: orderIdSchema, paymentId: paymentIdSchema, amount: moneySchema }).strict(),
  },
  'payment.card-updated': {
    description: 'The customer updated a card an order is waiting on; published once per waiting order.',
    payload: z.object({ orderId: orderIdSchema, cardToken: cardTokenSchema, cardLast4: cardLast4Schema }).strict(),
  },
  'inventory.reserved': {
    description: 'The order items were reserved and picked.',
    payload: z.object({ orderId: orderIdSchema, items: orderItemsSchema }).strict(),
  },
  'inventory.out-of-stock': {
    description: 'At least one item could not be reserved; nothing was reserved.',
    payload: z
      .object({
        orderId: orderIdSchema,
        unavailable: z.array(z.object({ sku: z.string().min(1), requested: z.number().int().positive(), available: z.number().int().nonnegative() }).strict()).min(1),
      })
      .strict(),
  },
  'inventory.released': {
    description: 'Goods reserved for the order were put back into stock.',
    payload: z.object({ orderId: orderIdSchema, items: orderItemsSchema }).strict(),
  },
  'shipping.shipped': {
    description: 'The carrier accepted the shipment.',
    payload: z.object({ orderId: orderIdSchema, shipmentId: z.uuid(), trackingNumber: z.string().min(1).max(64) }).strict(),
  },
  'shipping.rejected': {
    description: 'The carrier rejected the shipment (for example an address in country AQ).',
    payload: z.object({ orderId: orderIdSchema, reason: reasonSchema }).strict(),
  },
  'customer.notified': {
    description: 'The customer was sent a notification about the order.',
    payload: z
      .object({
        orderId: orderIdSchema,
        customerId: z.string().min(1).max(64),
        topic: z.enum(['card-expired', 'order-cancelled', 'order-shipped']),
      })
      .strict(),
  },
  'order.completed': {
    description: 'The checkout process completed: the order was paid, fetched and shipped. Published by the worker of job type order.complete.',
    payload: z.object({ orderId: orderIdSchema }).strict(),
  },
  'order.cancelled': {
    description: 'The checkout process ended cancelled, after compensating what was done. Published by the worker of job type order.cancel.',
    payload: z.object({ orderId: orderIdSchema, reason: cancellationReasonSchema }).strict(),
  },
} as const;

export type EventType = keyof typeof eventPayloads;
