/**
 * The ops page's Batch operations view in Chromium against the embedded engine's REST API: the
 * operations newest first with their counts, and an operation's items with what became of each,
 * the ones the engine refused first with its reason; the instance list's status line leads there.
 *
 * An item fails deterministically where an operation cancels an instance that a call activity
 * started: the engine refuses to cancel a child instance ("Cancel the root process instance …
 * instead"), as Zeebe does.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { eachTestWithOpsPage, eventually, PROCESS_ID, type OpsTestSystem } from './ops-test-kit.js';
import { confirmBatchAction, instanceRows, openInstanceList, signIn, unexpectedPageErrors } from './ops-page-actions.js';

const POLL = { timeout: 10_000 };
/** A batch operation is followed every second; the engine reads it a moment after creating it. */
const BATCH_POLL = { timeout: 20_000 };
const CHILD_PROCESS_ID = 'ops-parallel';
const CHILD_REFUSAL = 'but it is created by a parent process instance';

interface BatchOperation {
  batchOperationKey: string;
  state: string;
}

describe('ops page: the batch operations view', () => {
  const current = eachTestWithOpsPage('ops/batch-operation-view');

  it('When no batch operation has run, then the list says so and how one starts', { timeout: 60_000 }, async () => {
    const { page } = current.browser;
    await openBatchOperations(page, current.system.token);

    await expect.poll(() => page.locator('.state.empty').innerText(), POLL).toContain('No batch operation yet');
  });

  it('When a retry and then a cancel operation have run, then the list shows the newest first with its type, state and counts', { timeout: 60_000 }, async () => {
    const { system, browser } = current;
    const { page } = browser;
    const retry = await retryIncidentOfOneOrder(system);
    const { cancel } = await cancelStandaloneAndCalledInstance(system);

    await openBatchOperations(page, system.token);

    const rows = page.getByTestId('batch-operations').locator('tbody tr');
    await expect.poll(() => rows.count(), POLL).toBe(2);
    await browser.screenshot('batch-operation-list');
    // Operation, type, state, done, failed, total (then started and ended).
    expect((await rows.nth(0).locator('td').allInnerTexts()).slice(0, 6)).toEqual([cancel, 'Cancel instances', 'COMPLETED', '1', '1', '2']);
    expect((await rows.nth(1).locator('td').allInnerTexts()).slice(0, 6)).toEqual([retry.batchOperationKey, 'Retry incidents', 'COMPLETED', '1', '0', '1']);
    expect((await rows.nth(0).locator('td').allInnerTexts()).slice(6).every((date) => date !== '—')).toBe(true);
  });

  it('When an operation could not cancel an instance only its parent may cancel, then its detail lists that item first with the engine\'s reason, then the cancelled one', { timeout: 60_000 }, async () => {
    const { system, browser } = current;
    const { page } = browser;
    const { cancel, childKey, standaloneKey } = await cancelStandaloneAndCalledInstance(system);
    await openBatchOperations(page, system.token);

    await page.getByTestId('batch-operations').getByRole('link', { name: cancel }).click();

    await expect.poll(() => page.getByTestId('batch-operation-counts').innerText(), POLL).toBe('1 done, 1 failed, 2 in all');
    await expect.poll(() => itemRows(page).count(), POLL).toBe(2);
    await browser.screenshot('batch-operation-detail');
    // Instance, state, processed, reason.
    const [failed, completed] = await Promise.all([itemCells(page, 0), itemCells(page, 1)]);
    expect([failed[0], failed[1]]).toEqual([childKey, 'FAILED']);
    expect(failed[3]).toContain(CHILD_REFUSAL);
    expect([completed[0], completed[1], completed[3]]).toEqual([standaloneKey, 'COMPLETED', '']);
    expect(await page.getByTestId('batch-operation-state').innerText()).toBe('COMPLETED');

    await itemRows(page).nth(0).getByRole('link', { name: childKey }).click();
    await expect.poll(() => new URL(page.url()).hash, POLL).toBe(`#/instances/${childKey}`);
  });

  it('When incidents were retried as a batch, then the detail names each incident and links the instance it held up', { timeout: 60_000 }, async () => {
    const { system, browser } = current;
    const { page } = browser;
    const retry = await retryIncidentOfOneOrder(system);
    await signIn(page, system.token);

    await page.goto(`/#/batch-operations/${retry.batchOperationKey}`);

    await expect.poll(() => itemRows(page).count(), POLL).toBe(1);
    // Incident, instance, state, processed, reason.
    const cells = await itemCells(page, 0);
    expect([cells[0], cells[1], cells[2], cells[4]]).toEqual([retry.incidentKey, retry.processInstanceKey, 'COMPLETED', '']);
    expect(await itemRows(page).nth(0).getByRole('link', { name: retry.processInstanceKey }).getAttribute('href')).toBe(`#/instances/${retry.processInstanceKey}`);
  });

  it('When ops cancel all and one instance only its parent may cancel, then the status line says 1 failed and leads to why', { timeout: 60_000 }, async () => {
    const { system, browser } = current;
    const { page } = browser;
    const { childKey } = await startStandaloneAndCalledInstance(system);
    await openInstanceList(page, system.token, `process=${CHILD_PROCESS_ID}`);
    await expect.poll(() => instanceRows(page).count(), POLL).toBe(2);

    await confirmBatchAction(browser, 'cancel-all', { asking: 'Cancel 2 instances?', confirm: 'Cancel all' });
    await expect.poll(() => page.getByTestId('batch-status').innerText(), BATCH_POLL).toBe('Cancelled 1 of 2 instances; 1 failed');
    await page.getByTestId('batch-operation-link').click();

    await expect.poll(() => new URL(page.url()).hash, POLL).toMatch(/^#\/batch-operations\/\d+$/);
    await expect.poll(() => itemRows(page).count(), POLL).toBe(2);
    await browser.screenshot('status-line-to-failed-item');
    const failed = await itemCells(page, 0);
    expect([failed[0], failed[1]]).toEqual([childKey, 'FAILED']);
    expect(failed[3]).toContain(CHILD_REFUSAL);
    expect(unexpectedPageErrors(browser)).toEqual([]);
  });
});

async function openBatchOperations(page: Page, token: string): Promise<void> {
  await signIn(page, token);
  await page.goto('/#/batch-operations');
}

function itemRows(page: Page) {
  return page.getByTestId('batch-items').locator('tbody tr');
}

async function itemCells(page: Page, index: number): Promise<string[]> {
  return itemRows(page).nth(index).locator('td').allInnerTexts();
}

/** An `ops-parallel` instance started on its own, and one a call activity started: resolves with their keys once both are listed. */
async function startStandaloneAndCalledInstance(system: OpsTestSystem): Promise<{ standaloneKey: string; childKey: string }> {
  await system.deployFixture('ops-parallel.bpmn');
  await system.deployFixture('ops-call-parallel.bpmn');
  const standaloneKey = await system.startInstance(CHILD_PROCESS_ID, { orderId: 'order-standalone' });
  await system.startInstance('ops-call-parallel', { orderId: 'order-called' });
  await system.waitForInstances(2, { processDefinitionId: CHILD_PROCESS_ID, state: 'ACTIVE' });
  const children = await system.api<{ items: { processInstanceKey: string }[] }>('POST', '/v2/process-instances/search', { filter: { processDefinitionId: CHILD_PROCESS_ID, parentProcessInstanceKey: { $exists: true } } });
  return { standaloneKey, childKey: children.items[0]!.processInstanceKey };
}

/** Cancels both `ops-parallel` instances as one batch operation through the REST API: the child's item fails. */
async function cancelStandaloneAndCalledInstance(system: OpsTestSystem): Promise<{ cancel: string; standaloneKey: string; childKey: string }> {
  const keys = await startStandaloneAndCalledInstance(system);
  const cancel = await runBatchOperation(system, '/v2/process-instances/cancellation', { processDefinitionId: CHILD_PROCESS_ID });
  return { cancel, ...keys };
}

/** An order whose card charge failed, its incident retried as a batch operation once the card processor is back. */
async function retryIncidentOfOneOrder(system: OpsTestSystem): Promise<{ batchOperationKey: string; incidentKey: string; processInstanceKey: string }> {
  system.failingOrders.add('order-broken');
  const processInstanceKey = await system.startOrder('order-broken');
  await system.waitForInstances(1, { hasIncident: true });
  const incidents = await system.api<{ items: { incidentKey: string }[] }>('POST', '/v2/incidents/search', { filter: { processInstanceKey } });
  system.failingOrders.clear();
  const batchOperationKey = await runBatchOperation(system, '/v2/process-instances/incident-resolution', { processDefinitionId: PROCESS_ID });
  return { batchOperationKey, incidentKey: incidents.items[0]!.incidentKey, processInstanceKey };
}

/** Starts a batch operation over the active instances `filter` matches and waits until the API reads it as completed; resolves with its key. */
async function runBatchOperation(system: OpsTestSystem, path: string, filter: Record<string, unknown>): Promise<string> {
  const { batchOperationKey } = await system.api<BatchOperation>('POST', path, { filter });
  await eventually(`batch operation ${batchOperationKey} completed`, () => system.api<BatchOperation>('GET', `/v2/batch-operations/${batchOperationKey}`), (operation) => operation.state === 'COMPLETED');
  return String(batchOperationKey);
}
