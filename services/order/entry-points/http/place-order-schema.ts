import { z } from 'zod';
import { cardTokenSchema, shippingAddressSchema } from '../../../../infra/messaging/index.js';
import { isAssignedCountryCode } from '../../domain/country-codes.js';
import { orderStatuses } from '../../domain/order-status.js';

/** The contract's two capitals, and a country ISO 3166-1 assigns (a malformed code is named once, by the contract's pattern). */
const countrySchema = shippingAddressSchema.shape.country.refine((code) => !/^[A-Z]{2}$/.test(code) || isAssignedCountryCode(code), 'Expected a country code ISO 3166-1 assigns, such as GB');

/**
 * The body of `POST /orders`. Strict at every level: a client sending `customerId` (it comes from
 * the bearer token), `price`, `total` or `status` gets a 400 naming the field, so no field the
 * service owns can be set from outside.
 */
export const placeOrderSchema = z
  .object({
    items: z
      .array(z.object({ sku: z.string().min(1).max(64), quantity: z.number().int().min(1).max(1000) }).strict())
      .min(1)
      .max(100),
    cardToken: cardTokenSchema,
    shippingAddress: shippingAddressSchema.extend({ country: countrySchema }),
  })
  .strict();
export type PlaceOrderRequest = z.infer<typeof placeOrderSchema>;

/** `Idempotency-Key`: the client's name for this attempt, reused on retries. */
export const idempotencyKeySchema = z.string().min(1).max(255).regex(/^[\x21-\x7e]+$/, 'Expected printable ASCII without spaces');

/** `GET /orders` lists the caller's orders only: there is no customer parameter to widen it. */
export const listOrdersQuerySchema = z
  .object({
    status: z.enum(orderStatuses as [string, ...string[]]).optional(),
    page: z.coerce.number().int().min(1).max(100_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(100).default(20),
  })
  .strict();
