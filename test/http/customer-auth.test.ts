import { SignJWT } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  CustomerTokenError,
  DEV_JWT_SECRET,
  loadCustomerAuthConfig,
  signCustomerToken,
  verifyCustomerToken,
  type CustomerAuthConfig,
} from '../../lib/http/customer-auth.js';
import { loadOrderServiceConfig } from '../../services/order/order-config.js';

const realSecret = 'a-real-secret-of-at-least-thirty-two-characters';
const strict: CustomerAuthConfig = { secret: realSecret, issuer: 'https://id.orderflow.example', audience: 'orderflow-shop', usingDevSecret: false };

describe('customer tokens: verification', () => {
  it('When a token carries the configured issuer and audience, then its subject is the customer', async () => {
    const token = await signCustomerToken('ada', strict, { ttlSeconds: 60 });

    expect((await verifyCustomerToken(token, strict)).customerId).toBe('ada');
  });

  it.each([
    ['issuer', { ...strict, issuer: 'https://elsewhere.example' }],
    ['audience', { ...strict, audience: 'another-app' }],
  ])('When the %s differs from the configured one, then the token is refused', async (claim, signer) => {
    const token = await signCustomerToken('ada', signer, { ttlSeconds: 60 });

    await expect(verifyCustomerToken(token, strict)).rejects.toThrow(CustomerTokenError);
    await expect(verifyCustomerToken(token, strict)).rejects.toThrow(`its ${claim === 'issuer' ? 'iss' : 'aud'} claim`);
  });

  it.each([
    ['sub', () => new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setIssuer(strict.issuer!).setAudience(strict.audience!).setExpirationTime('1h')],
    ['exp', () => new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setIssuer(strict.issuer!).setAudience(strict.audience!).setSubject('ada')],
    ['iss', () => new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setAudience(strict.audience!).setSubject('ada').setExpirationTime('1h')],
  ])('When the token has no %s claim, then it is refused saying the claim is missing', async (claim, unsigned) => {
    const token = await unsigned().sign(new TextEncoder().encode(realSecret));

    await expect(verifyCustomerToken(token, strict)).rejects.toThrow(`Expected a valid bearer token, but it has no ${claim} claim`);
  });

  it('When a scoped token is presented where a customer token is expected, then it is refused', async () => {
    const token = await signCustomerToken('ada', strict, { ttlSeconds: 60, scope: 'order-events' });

    await expect(verifyCustomerToken(token, strict)).rejects.toThrow('without a scope');
  });

  it('When a customer token is presented where a scoped one is expected, then it is refused', async () => {
    const token = await signCustomerToken('ada', strict, { ttlSeconds: 60 });

    await expect(verifyCustomerToken(token, strict, 'order-events')).rejects.toThrow('with scope order-events');
  });
});

describe('customer tokens: verified once', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('When a token that verified has since expired, then it is refused as expired', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const token = await signCustomerToken('ada', strict, { ttlSeconds: 60 });
    expect((await verifyCustomerToken(token, strict)).customerId).toBe('ada');

    vi.setSystemTime(Date.now() + 70_000);

    await expect(verifyCustomerToken(token, strict)).rejects.toThrow('it has expired');
  });

  it('When a token that verified is presented for a scope it lacks, then it is refused', async () => {
    const token = await signCustomerToken('ada', strict, { ttlSeconds: 60 });
    await verifyCustomerToken(token, strict);

    await expect(verifyCustomerToken(token, strict, 'order-events')).rejects.toThrow('with scope order-events');
  });

  it('When a token that verified is presented with its signature altered, then it is refused', async () => {
    const token = await signCustomerToken('ada', strict, { ttlSeconds: 60 });
    await verifyCustomerToken(token, strict);
    // The signature's first character carries six whole bits; its last may carry only padding bits,
    // which a base64url decoder drops, so changing that one can leave the signature as it was.
    const signatureStart = token.lastIndexOf('.') + 1;
    const altered = token[signatureStart] === 'A' ? 'B' : 'A';
    const tampered = `${token.slice(0, signatureStart)}${altered}${token.slice(signatureStart + 1)}`;

    await expect(verifyCustomerToken(tampered, strict)).rejects.toThrow('its signature does not verify');
  });

  it('When a token that verified under one configuration is presented under another, then that one judges it', async () => {
    const token = await signCustomerToken('ada', strict, { ttlSeconds: 60 });
    await verifyCustomerToken(token, strict);

    await expect(verifyCustomerToken(token, { ...strict, audience: 'another-app' })).rejects.toThrow('its aud claim');
  });
});

describe('customer tokens: configuration', () => {
  it('When ORDERFLOW_JWT_SECRET is not set, then the development secret is used and flagged', () => {
    expect(loadCustomerAuthConfig({})).toEqual({ secret: DEV_JWT_SECRET, usingDevSecret: true });
  });

  it('When ORDERFLOW_JWT_SECRET is shorter than 256 bits, then loading fails naming it', () => {
    expect(() => loadCustomerAuthConfig({ ORDERFLOW_JWT_SECRET: 'short' })).toThrow('ORDERFLOW_JWT_SECRET');
  });

  it('When no secret is set, then the Order service turns the dev login on', () => {
    expect(loadOrderServiceConfig({}).devLogin).toBe(true);
  });

  it('When no secret is set and ORDERFLOW_DEV_LOGIN=false, then the dev login is off', () => {
    expect(loadOrderServiceConfig({ ORDERFLOW_DEV_LOGIN: 'false' }).devLogin).toBe(false);
  });

  it('When a real secret is set, then the dev login is off', () => {
    expect(loadOrderServiceConfig({ ORDERFLOW_JWT_SECRET: realSecret })).toMatchObject({ devLogin: false, auth: { usingDevSecret: false } });
  });

  it('When a real secret is set and ORDERFLOW_DEV_LOGIN=true, then the Order service refuses to start', () => {
    expect(() => loadOrderServiceConfig({ ORDERFLOW_JWT_SECRET: realSecret, ORDERFLOW_DEV_LOGIN: 'true' })).toThrow('ORDERFLOW_DEV_LOGIN=true only without ORDERFLOW_JWT_SECRET');
  });
});
