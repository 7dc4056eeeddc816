/**
 * The ops page in Chromium against the embedded engine's REST API: an order whose token waits for a
 * card update that will not come is moved on by ops, as Operate's "move" does (process instance
 * modification: the waiting element is terminated, the chosen one activated).
 */
import { describe, expect, it } from 'vitest';
import { activeElements, AWAIT_ELEMENT, eventually, eachTestWithOpsPage, type ElementInstance } from './ops-test-kit.js';
import { diagramElement, signIn } from './ops-page-actions.js';

const END_ELEMENT = 'order-charged';

describe('ops page: moving a token', () => {
  const current = eachTestWithOpsPage('ops/move');

  /** Starts an order that comes to wait for a card update, signs in with `token` and opens its instance; resolves with its key. */
  async function openWaitingOrder(orderId: string, token: string): Promise<string> {
    const { system, browser } = current;
    const key = await system.startOrder(orderId);
    await eventually('the order waiting for a card update', () => activeElements(system, key), (ids) => ids.includes(AWAIT_ELEMENT));
    await signIn(browser.page, token);
    await browser.page.goto(`/#/instances/${key}`);
    await diagramElement(browser.page, AWAIT_ELEMENT, 'ops-active').waitFor();
    return key;
  }

  it('When ops move the token waiting for a card update to the end event, then the waiting event is terminated and the instance completes', { timeout: 60_000 }, async () => {
    const { system, browser } = current;
    const { page } = browser;
    const key = await openWaitingOrder('order-stuck-3', system.token);

    await page.getByTestId('history').locator(`tr[data-element-id="${AWAIT_ELEMENT}"]`).getByTestId('move-token').click();
    const targets = page.getByLabel('Move to');
    const offered = await targets.locator('option').evaluateAll((options) => options.map((option) => option.getAttribute('value')));
    expect(offered).toEqual(['charge-card', END_ELEMENT]);
    await targets.selectOption(END_ELEMENT);
    await browser.screenshot('move-dialog');
    await page.getByRole('button', { name: 'Move token' }).click();

    await expect.poll(() => page.getByTestId('instance-state').innerText(), { timeout: 10_000 }).toBe('COMPLETED');
    await browser.screenshot('instance-after-move');
    const elements = await system.api<{ items: ElementInstance[] }>('POST', '/v2/element-instances/search', { filter: { processInstanceKey: key } });
    expect(elements.items.filter((e) => e.elementId === AWAIT_ELEMENT || e.elementId === END_ELEMENT).map((e) => [e.elementId, e.state])).toEqual([
      [AWAIT_ELEMENT, 'TERMINATED'],
      [END_ELEMENT, 'COMPLETED'],
    ]);
    expect(browser.pageErrors).toEqual([]);
  });

  it('When the token moves on by itself while ops confirm cancelling it, then the engine\'s refusal is shown and stays through the page\'s refreshes', { timeout: 60_000 }, async () => {
    const { system, browser } = current;
    const { page } = browser;
    const key = await openWaitingOrder('order-stuck-5', system.token);
    await page.getByTestId('history').locator(`tr[data-element-id="${AWAIT_ELEMENT}"]`).getByTestId('cancel-token').click();
    const dialog = page.getByTestId('confirm-dialog');
    await dialog.waitFor();

    await system.api('POST', '/v2/messages/publication', { name: 'card-updated', correlationKey: 'order-stuck-5' });
    await eventually('the card update to move the token on', () => activeElements(system, key), (ids) => !ids.includes(AWAIT_ELEMENT));
    await dialog.getByRole('button', { name: 'Cancel token' }).click();

    const status = page.getByTestId('token-status');
    await expect.poll(() => status.innerText(), { timeout: 10_000 }).toContain('Could not cancel the token');
    const refusal = await status.innerText();
    const updated = await page.locator('.updated').innerText();
    await expect.poll(() => page.locator('.updated').innerText(), { timeout: 15_000 }).not.toBe(updated);
    expect(await status.innerText()).toBe(refusal);
  });

  it('When ops sign in with the read-only token, then no token can be moved', { timeout: 60_000 }, async () => {
    const { system, browser } = current;
    const { page } = browser;
    await openWaitingOrder('order-stuck-4', system.readToken);

    await page.getByTestId('history').locator(`tr[data-element-id="${AWAIT_ELEMENT}"]`).waitFor();

    expect(await page.getByTestId('move-token').count()).toBe(0);
  });
});
