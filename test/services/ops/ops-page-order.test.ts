/**
 * The ops page in Chromium with the Order service behind it: a checkout instance shows its order,
 * and ops cancel the order the way its customer would (the process refunds and releases), not only
 * the instance (which undoes nothing, as the instance's cancel dialog then says).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestBrowser, type TestBrowser } from '../../support/browser.js';
import { authorizationFor } from '../../support/customer-token.js';
import { eventually, startOpsTestSystem, STUCK_AFTER_MS, type OpsTestSystem } from './ops-test-kit.js';
import { signIn } from './ops-page-actions.js';

const CUSTOMER = 'customer-ops-page';
const POLL = { timeout: 10_000, interval: 100 };

describe('ops page: the order of a checkout instance', () => {
  let system: OpsTestSystem;
  let browser: TestBrowser | undefined;
  beforeAll(async () => {
    system = await startOpsTestSystem({ orderService: true });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await system?.close();
  }, 60_000);

  async function open(artifactsDir: string) {
    await browser?.close();
    browser = await openTestBrowser({ artifactsDir, baseURL: system.ops.url });
    return browser;
  }

  /** Places an order with the Order service; resolves once its checkout instance waits at Retrieve payment (no workers run here). */
  async function placeOrder(): Promise<{ orderId: string; processInstanceKey: string }> {
    const orderUrl = `http://127.0.0.1:${system.order!.port}`;
    const placed = await fetch(`${orderUrl}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID(), ...(await authorizationFor(CUSTOMER)) },
      body: JSON.stringify({
        items: [{ sku: 'SKU-MUG', quantity: 1 }],
        cardToken: 'tok_4242abcd4242',
        shippingAddress: { name: 'Ada Lovelace', line1: '1 Analytical Way', city: 'London', postalCode: 'N1 9GU', country: 'GB' },
      }),
    });
    expect(placed.status).toBe(201);
    const { orderId } = (await placed.json()) as { orderId: string };
    const order = await eventually(
      `order ${orderId} with its checkout instance`,
      async () => (await (await fetch(`${orderUrl}/orders/${orderId}`, { headers: await authorizationFor(CUSTOMER) })).json()) as { processInstanceKey: string | null },
      ({ processInstanceKey }) => processInstanceKey !== null,
    );
    await eventually('the checkout waiting at Retrieve payment', () => system.api<{ items: { elementId: string; active: number }[] }>('GET', `/v2/process-instances/${order.processInstanceKey}/statistics/element-instances`), ({ items }) =>
      items.some((item) => item.elementId === 'retrieve-payment' && item.active === 1),
    );
    return { orderId, processInstanceKey: order.processInstanceKey! };
  }

  it('When ops cancel the order of a checkout instance, then the process cancels it as a customer cancel would, with reason operator-request', { timeout: 90_000 }, async () => {
    const { orderId, processInstanceKey } = await placeOrder();
    const opened = await open('ops/order-cancel');
    const { page } = opened;

    await signIn(page, system.token);
    await page.goto(`/#/instances/${processInstanceKey}`);
    const panel = page.getByTestId('order');
    await expect.poll(() => panel.getByTestId('order-status').innerText(), POLL).toBe('PENDING');
    expect(await panel.innerText()).toContain(orderId);
    await page.getByTestId('cancel-instance').click();
    expect(await page.getByTestId('confirm-dialog').innerText()).toContain(`Nothing is undone: what order ${orderId} was charged stays charged`);
    await page.getByTestId('confirm-dialog').getByRole('button', { name: 'Keep running' }).click();
    await panel.getByTestId('cancel-order').click();
    await opened.screenshot('confirm-cancel-order');
    await page.getByTestId('confirm-dialog').getByRole('button', { name: 'Cancel order' }).click();

    await expect.poll(() => panel.getByTestId('order-cancel-requested').innerText(), POLL).toContain('requested by operator');
    await opened.screenshot('order-cancel-requested');
    const reason = await eventually(
      'the cancellation reason',
      () => system.api<{ items: { value: string }[] }>('POST', '/v2/variables/search', { filter: { processInstanceKey, name: 'cancellationReason' } }),
      ({ items }) => items.length === 1,
    );
    expect(reason.items[0]!.value).toBe('"operator-request"');
    const instance = await system.api<{ state: string }>('GET', `/v2/process-instances/${processInstanceKey}`);
    expect(instance.state).toBe('ACTIVE');
    expect(opened.pageErrors).toEqual([]);
  });

  it('When ops have asked to cancel an order, then its panel shows who asked and offers Cancel order no more', { timeout: 90_000 }, async () => {
    const { processInstanceKey } = await placeOrder();
    const opened = await open('ops/order-cancel-requested');
    const { page } = opened;
    await signIn(page, system.token);
    await page.goto(`/#/instances/${processInstanceKey}`);
    const panel = page.getByTestId('order');

    await panel.getByTestId('cancel-order').click();
    await page.getByTestId('confirm-dialog').getByRole('button', { name: 'Cancel order' }).click();

    await expect.poll(() => panel.getByTestId('order-cancel-requested').count(), POLL).toBe(1);
    await opened.screenshot('cancel-order-no-longer-offered');
    expect(await panel.getByTestId('order-cancel-requested').innerText()).toContain('requested by operator');
    // No workers run here: the order stays PENDING, which the service still calls cancellable.
    expect(await panel.getByTestId('order-status').innerText()).toBe('PENDING');
    expect(await panel.getByTestId('cancel-order').count()).toBe(0);
    await page.getByTestId('cancel-instance').click();
    expect(await page.getByTestId('confirm-dialog').innerText()).toContain('Its requested cancellation refunds and releases; cancelling the instance stops that.');
    expect(opened.pageErrors).toEqual([]);
  });

  it('When ops sign in with the read-only token, then they see the order but cannot cancel it', { timeout: 90_000 }, async () => {
    const { orderId, processInstanceKey } = await placeOrder();
    const { page } = await open('ops/order-read-only');

    await signIn(page, system.readToken);
    await page.goto(`/#/instances/${processInstanceKey}`);
    const panel = page.getByTestId('order');
    await expect.poll(() => panel.getByTestId('order-status').innerText(), POLL).toBe('PENDING');

    expect(await panel.innerText()).toContain(orderId);
    expect(await page.getByTestId('cancel-order').count()).toBe(0);
  });

  it('When an order stands still longer than the threshold, then Stuck orders lists it, linked to its instance', { timeout: 90_000 }, async () => {
    const { orderId, processInstanceKey } = await placeOrder();
    await new Promise((resolve) => setTimeout(resolve, STUCK_AFTER_MS));
    const opened = await open('ops/stuck-orders');
    const { page } = opened;

    await signIn(page, system.readToken);
    await page.getByRole('link', { name: 'Stuck orders' }).click();
    const row = page.getByTestId('stuck-orders').locator(`tr[data-order-id="${orderId}"]`);
    await row.waitFor();
    await opened.screenshot('stuck-orders');
    expect(await row.innerText()).toContain('PENDING');
    await row.getByRole('link', { name: processInstanceKey }).click();

    await expect.poll(() => page.getByTestId('order').getByTestId('order-status').innerText(), POLL).toBe('PENDING');
    expect(page.url()).toContain(`#/instances/${processInstanceKey}`);
    expect(opened.pageErrors).toEqual([]);
  });
});
