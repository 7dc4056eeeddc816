import { z } from 'zod';

// Intl knows the currencies ISO 4217 currently lists, so we need not maintain our own table.
const iso4217Currencies = new Set(Intl.supportedValuesOf('currency'));

/** An order's identity; every message carries it as payload.orderId and as the envelope's correlationId. */
export const orderIdSchema = z.uuid().describe('The order this message belongs to');

/** Money in integer minor units (cents), never a float: floats cannot represent 0.10 exactly. */
export const moneySchema = z
  .object({
    amount: z.number().int().nonnegative().describe('Integer amount in minor units of the currency'),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/)
      .refine((code) => iso4217Currencies.has(code), { message: 'Expected an ISO 4217 currency code' })
      .describe('ISO 4217 currency code'),
  })
  .strict();

/** A token the Payment service issued for a stored card; the card number itself never travels. */
export const cardTokenSchema = z
  .string()
  .regex(/^tok_[A-Za-z0-9]{8,64}$/)
  .describe('Opaque card token issued by the Payment service');

export const cardLast4Schema = z.string().regex(/^\d{4}$/).describe('Last four digits of the card');

export const orderItemSchema = z
  .object({
    sku: z.string().min(1).max(64),
    quantity: z.number().int().positive(),
  })
  .strict();

export const orderItemsSchema = z.array(orderItemSchema).min(1).max(100);

/** A line of an address: something a carrier can read, not only spaces. */
const addressText = (maxLength: number) => z.string().min(1).max(maxLength).regex(/\S/, 'Expected visible text, not only spaces');

export const shippingAddressSchema = z
  .object({
    name: addressText(200),
    line1: addressText(200),
    city: addressText(100),
    postalCode: addressText(20),
    country: z.string().regex(/^[A-Z]{2}$/).describe('ISO 3166-1 alpha-2 country code'),
  })
  .strict();

/** A human-readable reason a service gives for a business failure (declined, rejected). */
export const reasonSchema = z.string().min(1).max(500);

export type Money = z.infer<typeof moneySchema>;
export type OrderItem = z.infer<typeof orderItemSchema>;
export type ShippingAddress = z.infer<typeof shippingAddressSchema>;
