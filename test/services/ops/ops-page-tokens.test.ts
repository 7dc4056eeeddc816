/**
 * The ops page in Chromium against the embedded engine's REST API: Operate's token repairs beside
 * Move…, on an order waiting in two parallel branches (a Review sub-process and Await stock).
 * Cancel token terminates one element instance; Add token activates an element beside the tokens
 * there; both are process instance modifications, and a refused one shows the engine's reason.
 */
import { describe, expect, it } from 'vitest';
import { activeElements, eventually, eachTestWithOpsPage, type ElementInstance } from './ops-test-kit.js';
import { diagramElement, overlay, signIn } from './ops-page-actions.js';

const PROCESS = 'ops-parallel';
const SUB_PROCESS = 'review';
const IN_SUB_PROCESS = 'await-review';
const OTHER_BRANCH = 'await-stock';

describe('ops page: cancelling and adding tokens', () => {
  const current = eachTestWithOpsPage('ops/tokens');

  /** Starts an order waiting in both branches, signs in with `token` and opens its instance; resolves with its key. */
  async function openParallelOrder(orderId: string, token: string, prepare?: (key: string) => Promise<void>): Promise<string> {
    const { system, browser } = current;
    await system.deployFixture(`${PROCESS}.bpmn`);
    const key = await system.startInstance(PROCESS, { orderId });
    await eventually('the order waiting in both branches', () => activeElements(system, key), (ids) => ids.includes(IN_SUB_PROCESS) && ids.includes(OTHER_BRANCH));
    await prepare?.(key);
    await signIn(browser.page, token);
    await browser.page.goto(`/#/instances/${key}`);
    await diagramElement(browser.page, OTHER_BRANCH, 'ops-active').waitFor();
    return key;
  }

  /** `[elementId, state]` of each instance of these elements, sorted: the search's order is not the test's concern. */
  async function statesOf(key: string, elementIds: string[]): Promise<string[][]> {
    const elements = await current.system.api<{ items: ElementInstance[] }>('POST', '/v2/element-instances/search', { filter: { processInstanceKey: key } });
    return elements.items
      .filter((e) => elementIds.includes(e.elementId))
      .map((e) => [e.elementId, e.state])
      .sort();
  }

  it('When ops cancel the token in the Review sub-process, then it and its sub-process are terminated while the other branch still waits', { timeout: 60_000 }, async () => {
    const { browser } = current;
    const { page } = browser;
    const key = await openParallelOrder('order-parallel-1', current.system.token);

    await page.getByTestId('history').locator(`tr[data-element-id="${IN_SUB_PROCESS}"]`).getByTestId('cancel-token').click();
    const dialog = page.getByTestId('confirm-dialog');
    await expect.poll(() => dialog.innerText()).toContain('A sub-process left with nothing active ends with it');
    await browser.screenshot('cancel-token-dialog');
    await dialog.getByRole('button', { name: 'Cancel token' }).click();

    await page.getByTestId('history').locator(`tr[data-element-id="${IN_SUB_PROCESS}"][data-state="TERMINATED"]`).waitFor();
    await page.getByTestId('history').locator(`tr[data-element-id="${SUB_PROCESS}"][data-state="TERMINATED"]`).waitFor();
    await browser.screenshot('instance-after-cancel-token');
    await expect.poll(() => diagramElement(page, IN_SUB_PROCESS, 'ops-active').count(), { timeout: 10_000 }).toBe(0);
    await diagramElement(page, OTHER_BRANCH, 'ops-active').waitFor();
    expect(await page.getByTestId('instance-state').innerText()).toBe('ACTIVE');
    expect(await statesOf(key, [SUB_PROCESS, IN_SUB_PROCESS, OTHER_BRANCH])).toEqual([
      [IN_SUB_PROCESS, 'TERMINATED'],
      [OTHER_BRANCH, 'ACTIVE'],
      [SUB_PROCESS, 'TERMINATED'],
    ]);
    expect(browser.pageErrors).toEqual([]);
  });

  it('When ops add a token at Await stock, then a second instance of it is active beside the first', { timeout: 60_000 }, async () => {
    const { browser } = current;
    const { page } = browser;
    const key = await openParallelOrder('order-parallel-2', current.system.token);

    await page.getByTestId('add-token').click();
    await page.getByLabel('Activate').selectOption(OTHER_BRANCH);
    await browser.screenshot('add-token-dialog');
    await page.getByTestId('confirm-dialog').getByRole('button', { name: 'Add token' }).click();

    await expect.poll(() => overlay(page, OTHER_BRANCH, 'active').innerText(), { timeout: 10_000 }).toBe('2');
    // The history and the diagram's counts are read by separate requests: each may show the change a refresh later.
    await expect.poll(() => page.getByTestId('history').locator(`tr[data-element-id="${OTHER_BRANCH}"][data-state="ACTIVE"]`).count(), { timeout: 10_000 }).toBe(2);
    await browser.screenshot('instance-after-add-token');
    expect(await statesOf(key, [IN_SUB_PROCESS, OTHER_BRANCH])).toEqual([
      [IN_SUB_PROCESS, 'ACTIVE'],
      [OTHER_BRANCH, 'ACTIVE'],
      [OTHER_BRANCH, 'ACTIVE'],
    ]);
    expect(browser.pageErrors).toEqual([]);
  });

  it('When ops add a token inside a sub-process that has two active instances, then the page shows the engine\'s refusal and nothing changes', { timeout: 60_000 }, async () => {
    const { system, browser } = current;
    const { page } = browser;
    const key = await openParallelOrder('order-parallel-3', system.token, async (instanceKey) => {
      await system.api('POST', `/v2/process-instances/${instanceKey}/modification`, { activateInstructions: [{ elementId: SUB_PROCESS }] });
      await eventually('two Review sub-processes waiting', () => activeElements(system, instanceKey), (ids) => ids.filter((id) => id === IN_SUB_PROCESS).length === 2);
    });

    await page.getByTestId('add-token').click();
    await page.getByLabel('Activate').selectOption(IN_SUB_PROCESS);
    await page.getByTestId('confirm-dialog').getByRole('button', { name: 'Add token' }).click();

    const refusal = page.getByTestId('diagram-actions').getByRole('alert');
    await expect.poll(() => refusal.innerText(), { timeout: 10_000 }).toContain('Could not add the token');
    expect(await refusal.innerText()).toContain(
      `Expected to modify instance of process '${PROCESS}' but it contains one or more activate instructions for an element that has a flow scope with more than one active instance: '${SUB_PROCESS}'`,
    );
    await browser.screenshot('add-token-refused');
    expect((await activeElements(system, key)).filter((id) => id === IN_SUB_PROCESS)).toHaveLength(2);
    // The refused modification itself, which Chromium logs; nothing else went wrong.
    expect(browser.pageErrors).toEqual(['console.error: Failed to load resource: the server responded with a status of 400 (Bad Request)']);
  });

  it('When ops sign in with the read-only token, then no token can be cancelled or added', { timeout: 60_000 }, async () => {
    const { page } = current.browser;
    await openParallelOrder('order-parallel-4', current.system.readToken);

    await page.getByTestId('history').locator(`tr[data-element-id="${OTHER_BRANCH}"]`).waitFor();

    expect(await page.getByTestId('cancel-token').count()).toBe(0);
    expect(await page.getByTestId('add-token').isVisible()).toBe(false);
  });
});
