/**
 * The checkout page in Chromium against the whole saga (engine, four services, workers): a shopper
 * signs in, picks items, enters a test card (sent by the page to the Payment service), places the
 * order and watches its timeline arrive over server-sent events. With the four services up, their
 * security headers are checked too.
 */
import type { Page, Route } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openTestBrowser, type TestBrowser } from '../support/browser.js';
import { customerToken } from '../support/customer-token.js';
import { FUTURE_EXPIRY, PAST_EXPIRY, SAGA_START_MS, SAGA_WAIT_MS, SagaHarness, TEST_CARDS, buildOrderRequest, newCustomerId } from './saga-harness.js';

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
    await fillOrder(card);
  }

  async function fillOrder(card: { row: string }): Promise<void> {
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

  /** Places an order for the customer through the API, as another tab or device would; a past expiry keeps it awaiting a card update. */
  async function placedOrderOf(customerId: string, expiry = FUTURE_EXPIRY): Promise<string> {
    const placed = await saga.placeOrder(buildOrderRequest({ cardToken: await saga.tokenizeCard(TEST_CARDS.succeeds, expiry, customerId) }), undefined, customerId);
    expect(placed.status).toBe(201);
    return placed.body.orderId as string;
  }

  /** Loads the page as a tab signed in with `token` would after a reload, showing the order when given. */
  async function openSignedIn(customerId: string, token: string, orderId?: string): Promise<void> {
    await page.goto('/');
    // Once the products are listed the page has read its session: one written before that would be
    // used (and, if refused, removed) by this load instead of the reloaded one.
    await page.getByLabel('Orderflow mug', { exact: true }).waitFor({ state: 'attached' });
    await page.evaluate(`sessionStorage.setItem('orderflow.session', ${JSON.stringify(JSON.stringify({ customerId, token }))}); history.replaceState(null, '', '/${orderId ? `#/orders/${orderId}` : ''}')`);
    await page.reload();
  }

  /** Waits until the services refuse the token: its expiry and the 5 s they allow for clock skew have passed. */
  async function untilRefused(token: string): Promise<void> {
    const status = async () => (await fetch(`${saga.url('order')}/orders`, { headers: { authorization: `Bearer ${token}` } })).status;
    await expect.poll(status, { timeout: 15_000, interval: 250 }).toBe(401);
  }

  /** A token that the services accept for a few seconds, long enough to show the page. */
  const shortLivedToken = (customerId: string) => customerToken(customerId, { ttlSeconds: 1 });

  it('When the shopper reloads the page after placing an order, then the page shows that order with its status and timeline again', async () => {
    await signInAndFill(newCustomerId(), { row: '4242 4242 4242 4242 12/34' });
    await page.getByRole('button', { name: 'Place order' }).click();
    await waitForStatus('Completed');
    const orderId = await page.locator('#order-id').textContent();
    const timeline = await timelineTypes();

    await page.reload();

    await waitForStatus('Completed');
    await browser.screenshot('reloaded-order');
    expect(await page.locator('#order-id').textContent()).toBe(orderId);
    expect(await timelineTypes()).toEqual(timeline);
    expect(await page.locator('#checkout-form').isHidden()).toBe(true);
  });

  it("When the address names another customer's order, then the page forgets it without a word and offers the shop", async () => {
    const orderId = await placedOrderOf(newCustomerId());
    // As a link opens in a new tab: from an address that differs only after the #, goto would not load the page.
    await page.goto('about:blank');
    await page.goto(`/#/orders/${orderId}`);

    await page.getByLabel('Customer id', { exact: true }).fill(newCustomerId());
    await page.getByRole('button', { name: 'Sign in' }).click();

    await expect.poll(() => page.evaluate('location.hash')).toBe('');
    expect(await page.locator('#checkout-form').isVisible()).toBe(true);
    expect(await page.locator('#order-section').isHidden()).toBe(true);
    expect(await page.getByRole('alert').isHidden()).toBe(true);
    // Chromium logs every 4xx answer as a console error; this one is the Order service's 404.
    expect(browser.pageErrors.splice(0)).toEqual([expect.stringContaining('status of 404')]);
  });

  it('When the sign-in has expired by the time the order is shown again, then the page asks to sign in and then shows the order', async () => {
    const customerId = newCustomerId();
    const orderId = await placedOrderOf(customerId);
    const expired = await customerToken(customerId, { ttlSeconds: -60 });

    await openSignedIn(customerId, expired, orderId);

    await expect.poll(() => page.getByRole('alert').textContent()).toContain('sign in again to see your order');
    await page.getByLabel('Customer id', { exact: true }).fill(customerId);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.locator('#order-id').textContent()).toBe(orderId);
    expect(await timelineTypes()).toContain('order.placed');
    expect(browser.pageErrors.splice(0)).toEqual([expect.stringContaining('status of 401')]);
  });

  it('When the shopper has asked to cancel, then the page says so and offers Cancel order no more, also after a reload, until the status shows Cancelled', async () => {
    const asked = /^You asked to cancel this order at .+; its status shows Cancelled once that is done\.$/;
    // Without its workers the checkout holds the request: asked for, not yet done.
    await saga.stopWorkers();
    try {
      await signInAndFill(newCustomerId(), { row: '4242 4242 4242 4242 12/34' });
      await page.getByRole('button', { name: 'Place order' }).click();
      await waitForStatus('Pending');

      await page.getByRole('button', { name: 'Cancel order' }).click();

      await expect.poll(() => page.locator('#cancel-request').textContent()).toMatch(asked);
      await browser.screenshot('cancel-requested');
      expect(await page.getByRole('button', { name: 'Cancel order' }).isHidden()).toBe(true);
      await page.reload();
      await waitForStatus('Pending');
      expect(await page.locator('#cancel-request').textContent()).toMatch(asked);
      expect(await page.getByRole('button', { name: 'Cancel order' }).isHidden()).toBe(true);
      expect(await timelineTypes()).toContain('order.cancel-requested');
    } finally {
      await saga.startWorkers();
    }
    await waitForStatus('Cancelled (at your request)');
    await browser.screenshot('cancelled-on-request');
    expect(await page.locator('#cancel-request').isHidden()).toBe(true);
    expect(await page.getByRole('button', { name: 'Cancel order' }).isHidden()).toBe(true);
  });

  it('When the sign-in has expired by the time the shopper cancels, then the page asks to sign in again, cancels nothing and then shows the order again', async () => {
    const customerId = newCustomerId();
    const orderId = await placedOrderOf(customerId, PAST_EXPIRY);
    await saga.waitForStatusOf(customerId, orderId, 'AWAITING_CARD_UPDATE');
    const token = await shortLivedToken(customerId);
    await openSignedIn(customerId, token, orderId);
    await waitForStatus('Awaiting card update');
    await untilRefused(token);

    await page.getByRole('button', { name: 'Cancel order' }).click();

    await expect.poll(() => page.getByRole('alert').textContent()).toBe('Your sign-in has expired; sign in again to see your order.');
    await browser.screenshot('expired-sign-in-on-cancel');
    expect(await page.locator('#order-section').isHidden()).toBe(true);
    expect(await page.evaluate('location.hash')).toBe(`#/orders/${orderId}`);
    expect(await page.evaluate("sessionStorage.getItem('orderflow.session')")).toBeNull();
    expect(await page.getByLabel('Customer id', { exact: true }).inputValue()).toBe(customerId);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await waitForStatus('Awaiting card update');
    expect(await page.locator('#order-id').textContent()).toBe(orderId);
    expect(await page.getByRole('button', { name: 'Cancel order' }).isVisible()).toBe(true);
    expect(await timelineTypes()).not.toContain('order.cancel-requested');
    // Chromium logs every 4xx answer as a console error; this one is the refused cancel.
    expect(browser.pageErrors.splice(0)).toEqual([expect.stringContaining('status of 401')]);
  });

  it('When the sign-in has expired by the time the shopper places the order, then the page asks to sign in again and keeps the filled form for after it', async () => {
    const customerId = newCustomerId();
    const token = await shortLivedToken(customerId);
    await openSignedIn(customerId, token);
    await fillOrder({ row: '4242 4242 4242 4242 12/34' });
    await untilRefused(token);

    await page.getByRole('button', { name: 'Place order' }).click();

    await expect.poll(() => page.getByRole('alert').textContent()).toBe('Your sign-in has expired; sign in again to place your order.');
    await browser.screenshot('expired-sign-in-on-place-order');
    expect(await page.locator('#checkout-form').isHidden()).toBe(true);
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(await page.getByLabel('City', { exact: true }).inputValue()).toBe('London');
    await page.getByRole('button', { name: 'Place order' }).click();
    await waitForStatus('Completed');
    expect((await saga.http('order', 'GET', '/orders', { as: customerId })).body.total).toBe(1);
    // The Payment service refused the card with the expired token.
    expect(browser.pageErrors.splice(0)).toEqual([expect.stringContaining('status of 401')]);
  });

  it('When the sign-in expires while the live updates cannot connect, then the page asks to sign in again once they can, keeping the order in its address', async () => {
    const customerId = newCustomerId();
    const orderId = await placedOrderOf(customerId, PAST_EXPIRY);
    await saga.waitForStatusOf(customerId, orderId, 'AWAITING_CARD_UPDATE');
    const token = await shortLivedToken(customerId);
    // The connection drops as the page asks for its first stream token, and comes back after the sign-in expired.
    const streamTokens = '**/event-stream-tokens';
    await page.route(streamTokens, (route) => route.abort('internetdisconnected'));
    await openSignedIn(customerId, token, orderId);
    await expect.poll(() => page.locator('#order-connection').textContent()).toBe('Live updates unavailable; retrying…');
    await untilRefused(token);

    await page.unroute(streamTokens);

    await expect.poll(() => page.getByRole('alert').textContent()).toBe('Your sign-in has expired; sign in again to see your order.');
    expect(await page.locator('#order-section').isHidden()).toBe(true);
    expect(await page.evaluate('location.hash')).toBe(`#/orders/${orderId}`);
    const errors = browser.pageErrors.splice(0);
    expect(errors.filter((error) => !error.includes('ERR_INTERNET_DISCONNECTED'))).toEqual([expect.stringContaining('status of 401')]);
  });

  /**
   * An abort is a dropped connection, a fulfilled page a proxy in front of the service, as a shopper's
   * browser sees either; the shop's faults come after the order reached it, so only the same
   * idempotency key on the second try keeps it to one order.
   */
  const dropped = (route: Route) => route.abort('internetdisconnected');
  const proxyErrorPage = (route: Route) => route.fulfill({ status: 502, contentType: 'text/html', body: '<html><body><h1>502 Bad Gateway</h1></body></html>' });
  const afterReachingTheShop = (fault: (route: Route) => Promise<void>) => async (route: Route) => {
    await route.fetch();
    await fault(route);
  };
  const unreachable = (service: string) => `Service unreachable: Could not reach ${service}; check your connection and try again in a moment.`;
  const networkFaults = [
    ['the Payment service cannot be reached', { url: () => `${saga.url('payment')}/cards`, answer: dropped, notice: unreachable('the Payment service'), logged: 'ERR_INTERNET_DISCONNECTED' }],
    ['the connection drops before the shop answers', { url: () => `${saga.url('order')}/orders`, answer: afterReachingTheShop(dropped), notice: unreachable('the shop'), logged: 'ERR_INTERNET_DISCONNECTED' }],
    ['a proxy answers 502 for the shop', { url: () => `${saga.url('order')}/orders`, answer: afterReachingTheShop(proxyErrorPage), notice: 'No explanation came from the shop (HTTP 502); try again in a moment.', logged: 'status of 502' }],
  ] as const;

  it.each(networkFaults)('When %s as the shopper places the order, then the page says so and a second try places one order', async (fault, { url, answer, notice, logged }) => {
    const customerId = newCustomerId();
    await signInAndFill(customerId, { row: '4242 4242 4242 4242 12/34' });
    await page.route(url(), answer, { times: 1 });

    await page.getByRole('button', { name: 'Place order' }).click();

    await expect.poll(() => page.getByRole('alert').textContent()).toContain(notice);
    await browser.screenshot(fault);
    expect(await page.getByRole('button', { name: 'Place order' }).isEnabled()).toBe(true);
    await page.getByRole('button', { name: 'Place order' }).click();
    await waitForStatus('Completed');
    expect((await saga.http('order', 'GET', '/orders', { as: customerId })).body.total).toBe(1);
    expect(browser.pageErrors.splice(0)).toEqual([expect.stringContaining(logged)]);
  });

  it('When the shopper has sent too many orders in a minute, then the page says when to try again and keeps the form', async () => {
    const customerId = newCustomerId();
    await signInAndFill(customerId, { row: '4242 4242 4242 4242 12/34' });
    // Refused orders count towards the limit too.
    for (let sent = 0; sent < 30; sent += 1) await saga.http('order', 'POST', '/orders', { body: {}, headers: { 'Idempotency-Key': `refused-${sent}` }, as: customerId });

    await page.getByRole('button', { name: 'Place order' }).click();

    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/^Too many requests: try again in \d+ s\.$/);
    await browser.screenshot('too-many-orders');
    expect(await page.getByRole('button', { name: 'Place order' }).isEnabled()).toBe(true);
    expect(await page.getByLabel('City', { exact: true }).inputValue()).toBe('London');
    expect(await page.locator('#place-order-progress').textContent()).toBe('Card •••• 4242 is kept for the next try; type a number to use another.');
    expect(browser.pageErrors.splice(0)).toEqual([expect.stringContaining('status of 429')]);
  });

  it('When the shopper signs out after a try that kept the card, then the next customer to sign in is not offered that card', async () => {
    await signInAndFill(newCustomerId(), { row: '4242 4242 4242 4242 12/34' });
    await page.route(`${saga.url('order')}/orders`, dropped, { times: 1 });
    await page.getByRole('button', { name: 'Place order' }).click();
    await expect.poll(() => page.locator('#place-order-progress').textContent()).toBe('Card •••• 4242 is kept for the next try; type a number to use another.');

    await page.getByRole('button', { name: 'Sign out' }).click();
    const next = newCustomerId();
    await page.getByLabel('Customer id', { exact: true }).fill(next);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.locator('#session-customer').textContent()).toBe(next);
    await page.getByRole('button', { name: 'Place order' }).click();

    await expect.poll(() => page.getByRole('alert').textContent()).toContain('number');
    expect(await page.locator('#place-order-progress').textContent()).toBe('');
    expect((await saga.http('order', 'GET', '/orders', { as: next })).body.total).toBe(0);
    expect(browser.pageErrors.splice(0)).toEqual([expect.stringContaining('ERR_INTERNET_DISCONNECTED'), expect.stringContaining('status of 400')]);
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
