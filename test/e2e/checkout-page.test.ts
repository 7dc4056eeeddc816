/**
 * The checkout page in Chromium against the whole saga (engine, four services, workers): a shopper
 * signs in, picks items, enters a test card (sent by the page to the Payment service), places the
 * order and watches its timeline arrive over server-sent events. With the four services up, their
 * security headers are checked too.
 */
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openTestBrowser, type TestBrowser } from '../support/browser.js';
import { FUTURE_EXPIRY, SAGA_START_MS, SAGA_WAIT_MS, SagaHarness, newCustomerId } from './saga-harness.js';

let saga: SagaHarness;

beforeAll(async () => {
  saga = await SagaHarness.start();
}, SAGA_START_MS);

afterAll(() => saga?.stop(), 60_000);

describe('security headers', () => {
  const anyOrder = '00000000-0000-0000-0000-000000000000';

  it.each([
    ['order', '/products'],
    ['payment', `/payments?orderId=${anyOrder}`],
    ['inventory', '/stock/SKU-MUG'],
    ['shipping', `/shipments?orderId=${anyOrder}`],
  ] as const)("When the %s service answers %s, then helmet's headers are set", async (service, path) => {
    // The ops token opens the operator endpoints; /products needs none and ignores it.
    const { status, headers } = await saga.opsHttp(service, 'GET', path);

    expect(status).toBe(200);
    expect(Object.fromEntries(['strict-transport-security', 'x-content-type-options', 'x-frame-options', 'referrer-policy', 'cross-origin-resource-policy', 'cross-origin-opener-policy'].map((name) => [name, headers.get(name)]))).toEqual({
      'strict-transport-security': 'max-age=31536000; includeSubDomains',
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'cross-origin-resource-policy': 'same-origin',
      'cross-origin-opener-policy': 'same-origin',
    });
    expect(headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(headers.get('x-powered-by')).toBeNull();
  });

  it('When the checkout page is served, then its policy allows only its own scripts and the Payment service for card calls', async () => {
    const response = await fetch(`${saga.url('order')}/`);

    const policy = response.headers.get('content-security-policy');
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain(`connect-src 'self' ${saga.url('payment')}`);
  });

  it('When a card answer is served, then it must not be cached', async () => {
    const { headers } = await saga.http('payment', 'POST', '/cards', { body: { number: '4242424242424242', expiry: '12/34', cvc: '123' } });

    expect(headers.get('cache-control')).toBe('no-store');
  });
});

describe('checkout page', () => {
  let browser: TestBrowser;
  let page: Page;

  beforeAll(async () => {
    browser = await openTestBrowser({ artifactsDir: 'checkout', baseURL: saga.url('order') });
    page = browser.page;
  }, 60_000);

  afterEach(async () => {
    // A string: the test compiles without the DOM's types.
    await page.evaluate('sessionStorage.clear()');
    const errors = browser.pageErrors.splice(0);
    expect(errors, 'page errors and console errors (CSP violations among them)').toEqual([]);
  });

  afterAll(() => browser?.close(), 30_000);

  async function signInAndFill(customerId: string, card: { row: string }): Promise<void> {
    await page.goto('/');
    await page.getByLabel('Customer id', { exact: true }).fill(customerId);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.locator('#session-customer').textContent()).toBe(customerId);
    await page.getByLabel('Orderflow mug', { exact: true }).fill('2');
    await page.getByRole('row', { name: card.row }).getByRole('button', { name: 'Use' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Ada Lovelace');
    await page.getByLabel('Street and number', { exact: true }).fill('1 Analytical Way');
    await page.getByLabel('City', { exact: true }).fill('London');
    await page.getByLabel('Postal code', { exact: true }).fill('N1 9GU');
    await page.getByLabel('Country (ISO code)', { exact: true }).fill('GB');
  }

  async function waitForStatus(label: string): Promise<void> {
    await page.locator('#order-status', { hasText: label }).waitFor({ timeout: SAGA_WAIT_MS });
  }

  const timelineTypes = () => page.locator('#timeline li').evaluateAll((items) => items.map((item) => item.getAttribute('data-type')));

  it('When a shopper pays with 4242 4242 4242 4242, then the live timeline reaches COMPLETED', async () => {
    const customerId = newCustomerId();
    await signInAndFill(customerId, { row: '4242 4242 4242 4242 12/34' });
    await browser.screenshot('happy-path-filled');

    await page.getByRole('button', { name: 'Place order' }).click();

    await waitForStatus('Completed');
    await browser.screenshot('happy-path-completed');
    expect(await timelineTypes()).toEqual(expect.arrayContaining(['order.placed', 'payment.charged', 'inventory.reserved', 'shipping.shipped', 'order.completed']));
    const orderId = (await page.locator('#order-id').textContent())!;
    expect((await saga.getOrder(orderId, customerId)).status).toBe('COMPLETED');
    expect(await page.getByLabel('Card number', { exact: true }).inputValue()).toBe('');
  });

  it('When the card has expired, then the page asks for a new card, and after the update the order reaches COMPLETED', async () => {
    const customerId = newCustomerId();
    await signInAndFill(customerId, { row: '4242 4242 4242 4242 01/20' });
    await page.getByRole('button', { name: 'Place order' }).click();

    await waitForStatus('Awaiting card update');
    await page.getByRole('heading', { name: 'Your card has expired' }).waitFor();
    await browser.screenshot('expired-card-asks-for-update');
    await page.getByLabel('New expiry (MM/YY)', { exact: true }).fill(FUTURE_EXPIRY);
    await page.getByRole('button', { name: 'Update card' }).click();

    await waitForStatus('Completed');
    await browser.screenshot('expired-card-completed');
    expect(await timelineTypes()).toEqual(expect.arrayContaining(['payment.card-expired', 'payment.card-updated', 'payment.charged', 'order.completed']));
    expect(await page.locator('#card-update-form').isHidden()).toBe(true);
  });

  it('When the card is declined, then the status says why in the shopper\'s words', async () => {
    const customerId = newCustomerId();
    await signInAndFill(customerId, { row: '4000 0000 0000 0002 12/34' });
    await page.getByRole('button', { name: 'Place order' }).click();

    await waitForStatus('Cancelled (the payment was declined)');
    expect(await timelineTypes()).toEqual(expect.arrayContaining(['payment.declined', 'order.cancelled']));
    expect(await page.locator('#timeline li[data-type="order.cancelled"]').innerText()).toContain('(the payment was declined)');
  });

  it('When the address is refused, then the page names the field from the problem details and places nothing', async () => {
    const customerId = newCustomerId();
    await signInAndFill(customerId, { row: '4242 4242 4242 4242 12/34' });
    await page.getByLabel('Country (ISO code)', { exact: true }).fill('G');

    await page.getByRole('button', { name: 'Place order' }).click();

    await expect.poll(() => page.getByRole('alert').textContent()).toContain('shippingAddress.country');
    expect(await page.getByLabel('Country (ISO code)', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    await browser.screenshot('invalid-address');
    expect((await saga.http('order', 'GET', '/orders', { as: customerId })).body.total).toBe(0);
    // Chromium logs every 4xx answer as a console error; this one is the expected refusal.
    expect(browser.pageErrors.splice(0)).toEqual([expect.stringContaining('status of 400')]);
  });
});
