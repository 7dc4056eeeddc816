/**
 * The ops page's batch actions in Chromium against the embedded engine's REST API: Retry all
 * incidents and Cancel all act on every instance the list's filters match, ask first with how many,
 * and follow the batch operation until it has ended; a read-only token is not offered them.
 */
import { describe, expect, it } from 'vitest';
import { activeElements, AWAIT_ELEMENT, eachTestWithOpsPage, eventually, type OpsTestSystem } from './ops-test-kit.js';
import { confirmBatchAction, instanceRows, openInstanceList, unexpectedPageErrors } from './ops-page-actions.js';

const POLL = { timeout: 10_000 };
/** A batch operation is followed every second; the engine reads it a moment after creating it. */
const BATCH_POLL = { timeout: 20_000 };

interface Instance {
  processInstanceKey: string;
  state: string;
}

describe('ops page: batch operations on the instance list', () => {
  const current = eachTestWithOpsPage('ops/batch-operations');

  it('When ops filter to instances with incidents and retry all, then the status counts every incident retried and each order moves on', { timeout: 60_000 }, async () => {
    const { system, browser } = current;
    const { page } = browser;
    await system.startOrder('order-healthy');
    const brokenOrders = ['order-broken-1', 'order-broken-2', 'order-broken-3'];
    brokenOrders.forEach((orderId) => system.failingOrders.add(orderId));
    const brokenKeys = await Promise.all(brokenOrders.map((orderId) => system.startOrder(orderId)));
    await system.waitForInstances(3, { hasIncident: true });
    await openInstanceList(page, system.token);
    await page.getByLabel('Incident', { exact: true }).selectOption('yes');
    await expect.poll(() => instanceRows(page).count(), POLL).toBe(3);

    // The card processor is back.
    system.failingOrders.clear();
    await confirmBatchAction(browser, 'retry-all', { asking: 'Retry the incidents of 3 instances?', confirm: 'Retry all incidents' });

    await expect.poll(() => page.getByTestId('batch-status').innerText(), BATCH_POLL).toBe('Retried 3 of 3 incidents');
    await expect.poll(() => instanceRows(page).count(), POLL).toBe(0);
    await browser.screenshot('retry-all-done');
    for (const key of brokenKeys) {
      await eventually(`instance ${key} waiting for a card update`, () => activeElements(system, key), (ids) => ids.includes(AWAIT_ELEMENT));
    }
    expect(await instancesWithIncidents(system)).toEqual([]);
    expect(unexpectedPageErrors(browser)).toEqual([]);
  });

  it('When ops filter the list by process and cancel all, then exactly the matching active instances are cancelled and the others keep running', { timeout: 60_000 }, async () => {
    const { system, browser } = current;
    const { page } = browser;
    await system.deployFixture('ops-parallel.bpmn');
    const keptKeys = await Promise.all(['order-kept-1', 'order-kept-2'].map((orderId) => system.startOrder(orderId)));
    const cancelledKeys = await Promise.all(['order-parallel-1', 'order-parallel-2'].map((orderId) => system.startInstance('ops-parallel', { orderId })));
    await system.waitForInstances(4, { state: 'ACTIVE' });
    await openInstanceList(page, system.token);
    await page.getByLabel('Process').selectOption('ops-parallel');
    await expect.poll(() => instanceRows(page).count(), POLL).toBe(2);

    await confirmBatchAction(browser, 'cancel-all', { asking: 'Cancel 2 instances?', confirm: 'Cancel all' });

    await expect.poll(() => page.getByTestId('batch-status').innerText(), BATCH_POLL).toBe('Cancelled 2 of 2 instances');
    await expect.poll(() => instanceRows(page).allInnerTexts(), POLL).toEqual([expect.stringContaining('CANCELED'), expect.stringContaining('CANCELED')]);
    await browser.screenshot('cancel-all-done');
    expect(await statesOf(system, [...cancelledKeys, ...keptKeys])).toEqual(['TERMINATED', 'TERMINATED', 'ACTIVE', 'ACTIVE']);
    expect(unexpectedPageErrors(browser)).toEqual([]);
  });

  // Camunda acts on the active instances a filter matches whatever state it names, so the page asks nothing where the list shows none it would touch.
  const nothingToDo = [
    { when: 'no active instance matching the filters has an incident', query: '', action: 'retry-all', label: 'Retry all incidents', says: 'No active instance matching these filters has an incident.' },
    { when: 'the filters ask for cancelled instances', query: 'state=TERMINATED', action: 'cancel-all', label: 'Cancel all', says: 'No active instance matches these filters.' },
  ];
  for (const { when, query, action, label, says } of nothingToDo) {
    it(`When ${when}, then ${label} says so, asks nothing and leaves the active instance be`, { timeout: 60_000 }, async () => {
      const { system, browser } = current;
      const { page } = browser;
      const key = await system.startOrder('order-healthy');
      await system.waitForInstances(1);
      await openInstanceList(page, system.token, query);

      await page.getByTestId(action).click();

      await expect.poll(() => page.getByTestId('batch-status').innerText(), POLL).toBe(says);
      expect(await page.getByTestId('confirm-dialog').count()).toBe(0);
      expect(await page.getByTestId(action).isEnabled()).toBe(true);
      expect(await statesOf(system, [key])).toEqual(['ACTIVE']);
    });
  }

  it('When ops sign in with the read-only token, then the list offers neither Retry all nor Cancel all', { timeout: 60_000 }, async () => {
    const { system, browser } = current;
    const { page } = browser;
    system.failingOrders.add('order-broken-1');
    await system.startOrder('order-broken-1');
    await system.waitForInstances(1, { hasIncident: true });

    await openInstanceList(page, system.readToken, 'incident=yes');
    await expect.poll(() => instanceRows(page).count(), POLL).toBe(1);

    expect(await page.getByTestId('retry-all').count()).toBe(0);
    expect(await page.getByTestId('cancel-all').count()).toBe(0);
  });
});

async function instancesWithIncidents(system: OpsTestSystem): Promise<string[]> {
  const result = await system.api<{ items: Instance[] }>('POST', '/v2/process-instances/search', { filter: { hasIncident: true } });
  return result.items.map((instance) => instance.processInstanceKey);
}

async function statesOf(system: OpsTestSystem, keys: string[]): Promise<string[]> {
  return Promise.all(keys.map(async (key) => (await system.api<Instance>('GET', `/v2/process-instances/${key}`)).state));
}
