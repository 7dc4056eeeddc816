/**
 * Customer tokens for tests: signed with the development secret the services use unless told
 * otherwise, so a test acts as any customer it names.
 */
import { devCustomerAuthConfig, signCustomerToken, type CustomerAuthConfig } from '../../lib/http/customer-auth.js';

export interface CustomerTokenOptions {
  /** Lifetime in seconds; one hour unless given (negative for a token that has already expired). */
  ttlSeconds?: number;
  config?: CustomerAuthConfig;
}

export function customerToken(customerId: string, { ttlSeconds = 3600, config = devCustomerAuthConfig }: CustomerTokenOptions = {}): Promise<string> {
  return signCustomerToken(customerId, config, { ttlSeconds });
}

/** `{ Authorization: 'Bearer …' }` for the customer. */
export async function authorizationFor(customerId: string, options: CustomerTokenOptions = {}): Promise<Record<string, string>> {
  return { Authorization: `Bearer ${await customerToken(customerId, options)}` };
}
