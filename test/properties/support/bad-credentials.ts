/**
 * Authorization headers that must never let a request through: none, random text, random or
 * truncated bearer tokens, and well-formed tokens that are expired, signed with another secret,
 * unsigned (`alg: none`), scoped for another use, or naming no valid customer.
 */
import fc from 'fast-check';
import { signCustomerToken } from '../../../lib/http/customer-auth.js';
import { customerToken } from '../../support/customer-token.js';
import { headerValue } from './garbage-bodies.js';

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Tokens that verify nowhere, each with why; signed once, before the properties run. */
export async function refusedTokens(): Promise<{ token: string; why: string }[]> {
  const now = Math.floor(Date.now() / 1000);
  const valid = await customerToken('customer-props');
  return [
    { token: await customerToken('customer-props', { ttlSeconds: -3600 }), why: 'expired' },
    { token: await signCustomerToken('customer-props', { secret: 'a-different-secret-of-at-least-32-characters', usingDevSecret: false }, { ttlSeconds: 3600 }), why: 'signed with another secret' },
    { token: `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ sub: 'customer-props', exp: now + 3600 })}.`, why: 'unsigned (alg none)' },
    { token: await signCustomerToken('customer-props', { secret: 'orderflow-dev-jwt-secret-not-for-production-use', usingDevSecret: true }, { ttlSeconds: 3600, scope: 'some-other-use' }), why: 'scoped for another use' },
    { token: await customerToken('c'.repeat(65)), why: 'a subject of 65 characters' },
    { token: valid.slice(0, -4), why: 'truncated signature' },
    { token: `${valid.split('.')[0]}.${base64url({ sub: 'someone-else', exp: now + 3600 })}.${valid.split('.')[2]}`, why: 'payload swapped' },
  ];
}

/** `undefined` means no Authorization header at all. */
export function badAuthorization(tokens: { token: string; why: string }[]): fc.Arbitrary<{ header: string | undefined; why: string }> {
  return fc.oneof(
    fc.constant({ header: undefined, why: 'no Authorization header' }),
    headerValue().map((header) => ({ header, why: 'random text' })),
    headerValue({ minLength: 1, maxLength: 400 }).map((token) => ({ header: `Bearer ${token}`, why: 'a random bearer token' })),
    fc.constantFrom(...tokens).map(({ token, why }) => ({ header: `Bearer ${token}`, why })),
    fc.constantFrom(...tokens).map(({ token, why }) => ({ header: `Basic ${Buffer.from(`user:${token}`).toString('base64')}`, why: `Basic credentials (${why})` })),
    fc.constantFrom('Bearer', 'Bearer ', 'bearer', 'Token abc', 'Bearer a b c', 'Bearer =', 'Bearer ....').map((header) => ({ header, why: 'a malformed scheme' })),
  );
}
