import { z } from 'zod';
import {
  cardTokenSchema,
  moneySchema,
  orderIdSchema,
  orderItemsSchema,
  reasonSchema,
  shippingAddressSchema,
} from './common-schemas.js';

/**
 * Commands: imperative, addressed to exactly one service's queue.
 * Each entry names the service that owns the command and the schema of its payload.
 */
export const commandPayloads = {
  'payment.charge': {
    service: 'payment',
    description: 'Charge the order total to the stored card.',
    payload: z
      .object({ orderId: orderIdSchema, customerId: z.string().min(1).max(64), cardToken: cardTokenSchema, amount: moneySchema })
      .strict(),
  },
  'payment.refund': {
    service: 'payment',
    description: 'Refund what was charged for the order (compensation of payment.charge).',
    payload: z.object({ orderId: orderIdSchema, amount: moneySchema, reason: reasonSchema }).strict(),
  },
  'inventory.reserve': {
    service: 'inventory',
    description: 'Reserve and pick the order items.',
    payload: z.object({ orderId: orderIdSchema, items: orderItemsSchema }).strict(),
  },
  'inventory.release': {
    service: 'inventory',
    description: 'Release the goods reserved for the order (compensation of inventory.reserve).',
    payload: z.object({ orderId: orderIdSchema, items: orderItemsSchema }).strict(),
  },
  'shipping.ship': {
    service: 'shipping',
    description: 'Ship the picked goods to the address.',
    payload: z
      .object({ orderId: orderIdSchema, items: orderItemsSchema, shippingAddress: shippingAddressSchema })
      .strict(),
  },
} as const;

export type CommandType = keyof typeof commandPayloads;
export type CommandService = (typeof commandPayloads)[CommandType]['service'];
