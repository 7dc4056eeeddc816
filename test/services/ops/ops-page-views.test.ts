/**
 * The ops page's other views in Chromium: the per-definition heatmap, the business-key filter,
 * cancelling with a confirmation, and what a read-only token may see and do.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestBrowser, type TestBrowser } from '../../support/browser.js';
import { AWAIT_ELEMENT, CHARGE_ELEMENT, eventually, startOpsTestSystem, type OpsTestSystem } from './ops-test-kit.js';
import { diagramElement, instanceRows, openInstanceList, overlay, signIn } from './ops-page-actions.js';

interface ElementStatistics {
  items: { elementId: string; active: number; incidents: number }[];
}

const POLL = { timeout: 10_000 };

describe('ops page views', () => {
  let system: OpsTestSystem;
  let browser: TestBrowser;
  const open = async (artifactsDir: string) => (browser = await openTestBrowser({ artifactsDir, baseURL: system.ops.url }));
  beforeEach(async () => {
    system = await startOpsTestSystem();
  });
  afterEach(async () => {
    await browser?.close();
    await system?.close();
  });

  it('When three orders await a card update and one charge failed, then the heatmap shows 3 waiting there and 1 incident at the charge', { timeout: 60_000 }, async () => {
    await Promise.all(['order-1', 'order-2', 'order-3'].map((orderId) => system.startOrder(orderId)));
    system.failingOrders.add('order-4');
    await system.startOrder('order-4');
    await eventually(
      'three instances waiting at the card update and one incident',
      () => system.api<ElementStatistics>('POST', `/v2/process-definitions/${system.processDefinitionKey}/statistics/element-instances`, {}),
      ({ items }) => items.some((i) => i.elementId === AWAIT_ELEMENT && i.active === 3) && items.some((i) => i.elementId === CHARGE_ELEMENT && i.incidents === 1),
    );
    const { page } = await open('ops/heatmap');

    await signIn(page, system.token);
    await expect.poll(() => page.getByTestId('process-definitions').locator('td.count-active').first().innerText(), POLL).toBe('3');
    await browser.screenshot('process-definitions');
    await page.getByRole('link', { name: 'Diagram & heatmap' }).click();
    await overlay(page, AWAIT_ELEMENT, 'active').waitFor();

    expect(await overlay(page, AWAIT_ELEMENT, 'active').innerText()).toBe('3');
    expect(await overlay(page, CHARGE_ELEMENT, 'incident').innerText()).toBe('1');
    expect(await diagramElement(page, CHARGE_ELEMENT, 'ops-incident').count()).toBe(1);
    expect(await page.getByTestId('waiting-table').locator(`tr[data-element-id="${AWAIT_ELEMENT}"] td.waiting`).innerText()).toBe('3');
    await browser.screenshot('heatmap');
    expect(browser.pageErrors).toEqual([]);
  });

  it('When ops filter the list by order id, then only that order’s instance is listed', { timeout: 60_000 }, async () => {
    await system.startOrder('order-a');
    const wanted = await system.startOrder('order-b');
    await system.waitForInstances(2);
    const { page } = await open('ops/filter-order-id');

    await openInstanceList(page, system.token);
    await page.getByLabel('Order id').fill('order-b');
    await page.getByRole('button', { name: 'Apply' }).click();

    await expect.poll(() => instanceRows(page).count(), POLL).toBe(1);
    expect(await instanceRows(page).first().getAttribute('data-process-instance-key')).toBe(wanted);
    expect(page.url()).toContain('orderId=order-b');
    await browser.screenshot('filtered-by-order-id');
  });

  it('When more instances match than fit a page, then Next shows the rest', { timeout: 60_000 }, async () => {
    for (let i = 0; i < 21; i++) await system.startOrder(`order-page-${i}`);
    await system.waitForInstances(21);
    const { page } = await open('ops/paging');
    await openInstanceList(page, system.token);
    await expect.poll(() => instanceRows(page).count(), POLL).toBe(20);
    expect(await page.getByTestId('instance-total').innerText()).toBe('1–20 of 21');

    await page.getByRole('button', { name: 'Next ›' }).click();

    await expect.poll(() => instanceRows(page).count(), POLL).toBe(1);
    expect(await page.getByTestId('instance-total').innerText()).toBe('21–21 of 21');
    expect(page.url()).toContain('page=1');
    await browser.screenshot('second-page');
  });

  it('When the start-time range ends before any instance started, then the list says no instance matches, and widening it lists them again', { timeout: 60_000 }, async () => {
    await system.startOrder('order-range');
    await system.waitForInstances(1);
    const { page } = await open('ops/start-range');
    await openInstanceList(page, system.token);
    await expect.poll(() => instanceRows(page).count(), POLL).toBe(1);

    await page.getByLabel('Started until').fill('2020-01-01T00:00:00');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByText('No instance matches these filters.').waitFor();
    await browser.screenshot('range-before-any');
    await page.getByLabel('Started until').fill('2099-01-01T00:00:00');
    await page.getByRole('button', { name: 'Apply' }).click();

    await expect.poll(() => instanceRows(page).count(), POLL).toBe(1);
  });

  it('When a new order starts while the filtered list is open, then it appears by itself and the filters stay', { timeout: 60_000 }, async () => {
    await system.startOrder('order-first');
    await system.waitForInstances(1);
    const { page } = await open('ops/auto-refresh');
    await openInstanceList(page, system.token, 'state=ACTIVE');
    await expect.poll(() => instanceRows(page).count(), POLL).toBe(1);

    const second = await system.startOrder('order-second');

    await page.locator(`tr[data-process-instance-key="${second}"]`).waitFor({ timeout: 15_000 });
    expect(await page.getByLabel('State', { exact: true }).inputValue()).toBe('ACTIVE');
    expect(page.url()).toContain('state=ACTIVE');
    await browser.screenshot('refreshed-list');
  });

  it('When an instance does not exist, then its page shows the API’s problem detail', { timeout: 60_000 }, async () => {
    const missing = '2251799813699999';
    const answer = await fetch(`${system.apiUrl}/v2/process-instances/${missing}`, { headers: { authorization: `Bearer ${system.token}` } });
    const problem = (await answer.json()) as { detail: string };
    const { page } = await open('ops/not-found');

    await signIn(page, system.token);
    await page.goto(`/#/instances/${missing}`);
    const alert = page.getByTestId('instance-summary').getByRole('alert');
    await alert.waitFor();
    await browser.screenshot('not-found');

    expect(answer.status).toBe(404);
    expect(await alert.innerText()).toContain(problem.detail);
  });

  it('When ops cancel an instance and confirm, then it ends as canceled', { timeout: 60_000 }, async () => {
    const key = await system.startOrder('order-cancel');
    await eventually('the order waiting for a card update', () => system.api<ElementStatistics>('GET', `/v2/process-instances/${key}/statistics/element-instances`), ({ items }) => items.some((i) => i.elementId === AWAIT_ELEMENT && i.active === 1));
    const { page } = await open('ops/cancel');

    await signIn(page, system.token);
    await page.goto(`/#/instances/${key}`);
    await page.getByTestId('cancel-instance').click();
    await page.getByTestId('confirm-dialog').waitFor();
    await browser.screenshot('confirm-cancel');
    await page.getByTestId('confirm-dialog').getByRole('button', { name: 'Cancel instance' }).click();

    await expect.poll(() => page.getByTestId('instance-state').innerText(), POLL).toBe('CANCELED');
    await browser.screenshot('canceled');
    const instance = await system.api<{ state: string }>('GET', `/v2/process-instances/${key}`);
    expect(instance.state).toBe('TERMINATED');
  });

  it('When ops sign in with a token the API does not know, then the sign-in form shows the API’s refusal', { timeout: 60_000 }, async () => {
    const { page } = await open('ops/wrong-token');

    await page.goto('/');
    await page.getByLabel('Ops token').fill('not-the-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    await browser.screenshot('refused');

    expect(await alert.innerText()).toContain('the token given is not valid');
    expect(await page.getByTestId('session-role').count()).toBe(0);
  });

  it('When ops sign in with a read-only token, then they see the incident but no Retry or Cancel', { timeout: 60_000 }, async () => {
    system.failingOrders.add('order-ro');
    const key = await system.startOrder('order-ro');
    await system.waitForInstances(1, { hasIncident: true });
    const { page } = await open('ops/read-only');

    await signIn(page, system.readToken);
    await page.goto(`/#/instances/${key}`);
    await page.getByTestId('incident-message').waitFor();
    await diagramElement(page, CHARGE_ELEMENT, 'ops-incident').waitFor();
    await browser.screenshot('read-only-instance');

    expect(await page.getByTestId('session-role').innerText()).toBe('read only');
    expect(await page.getByTestId('retry-incident').count()).toBe(0);
    expect(await page.getByTestId('cancel-instance').count()).toBe(0);
  });
});
