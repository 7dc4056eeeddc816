/**
 * The process variables the checkout workers read (processes/checkout-contract.md, "Variables"), as zod
 * schemas built from the message contract's own field schemas, so a job's variables and the command
 * built from them agree by construction.
 */
import { z } from 'zod';
import {
  cardTokenSchema,
  moneySchema,
  orderIdSchema,
  orderItemsSchema,
  reasonSchema,
  shippingAddressSchema,
} from '../infra/messaging/index.js';

export const customerIdSchema = z.string().min(1).max(64);

/** A step counter (`paymentAttempts` …): absent before the first command of the step. */
export const attemptsSchema = z.number().int().nonnegative().optional();

export const jobVariables = {
  orderId: orderIdSchema,
  customerId: customerIdSchema,
  cardToken: cardTokenSchema,
  total: moneySchema,
  items: orderItemsSchema,
  shippingAddress: shippingAddressSchema,
  cancellationReason: reasonSchema.optional(),
} as const;
