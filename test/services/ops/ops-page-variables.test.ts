/**
 * The ops page in Chromium against the embedded engine's REST API: ops repair a wrong variable
 * value (Edit, in the variable's own scope) and add one (Add variable, on the process instance),
 * then Retry the incident the value caused; JSON that does not parse is refused in the dialog.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { AWAIT_ELEMENT, eventually, PROCESS_ID, eachTestWithOpsPage, type OpsTestSystem } from './ops-test-kit.js';
import { diagramElement, signIn } from './ops-page-actions.js';

interface Variable {
  name: string;
  value: string;
  scopeKey: string;
}
interface ElementInstance {
  elementInstanceKey: string;
  elementId: string;
  state: string;
}

const POLL = { timeout: 10_000 };

describe('ops page: editing variables', () => {
  const current = eachTestWithOpsPage('ops/variables');

  /** Signs in with `token` and opens the instance, once its variables are listed. */
  async function openInstance(key: string, token = current.system.token): Promise<Page> {
    const { page } = current.browser;
    await signIn(page, token);
    await page.goto(`/#/instances/${key}`);
    await variableRow(page, 'orderId').first().waitFor();
    return page;
  }

  /** Starts an order that comes to wait for a card update; resolves with the instance key and the waiting event's element instance key. */
  async function waitingOrder(orderId: string): Promise<{ key: string; awaitKey: string }> {
    const { system } = current;
    const key = await system.startOrder(orderId);
    const waiting = await eventually('the order waiting for a card update', () => activeAt(system, key, AWAIT_ELEMENT), (items) => items.length === 1);
    return { key, awaitKey: waiting[0]!.elementInstanceKey };
  }

  it('When an order’s orderId is null so its card update cannot be awaited, then ops set it, retry, and the order waits for and completes on its card update', { timeout: 60_000 }, async () => {
    const { system, browser } = current;
    const { processInstanceKey: key } = await system.api<{ processInstanceKey: string }>('POST', '/v2/process-instances', { processDefinitionId: PROCESS_ID, variables: { orderId: null } });
    await eventually('an incident at the card update', () => system.api<{ items: unknown[] }>('POST', '/v2/incidents/search', { filter: { processInstanceKey: key, state: 'ACTIVE' } }), ({ items }) => items.length === 1);
    const page = await openInstance(key);
    await page.getByTestId('incident-message').waitFor();
    expect(await page.getByTestId('incident-message').innerText()).toContain("Failed to extract the correlation key for 'orderId'");
    await browser.screenshot('incident-from-null-order-id');

    await variableRow(page, 'orderId').getByTestId('edit-variable').click();
    const dialog = page.getByTestId('confirm-dialog');
    expect(await dialog.getByLabel('Value (JSON)').inputValue()).toBe('null');
    await dialog.getByLabel('Value (JSON)').fill('order-9');
    await dialog.getByRole('button', { name: 'Save value' }).click();
    await dialog.getByTestId('dialog-problem').waitFor();
    expect(await dialog.getByTestId('dialog-problem').innerText()).toContain('The value must be JSON. Unexpected token');
    await browser.screenshot('edit-refuses-text-without-quotes');
    expect(await variableValues(system, key, 'orderId')).toEqual([[key, 'null']]);
    await dialog.getByLabel('Value (JSON)').fill('"order-9"');
    await dialog.getByRole('button', { name: 'Save value' }).click();
    await expect.poll(() => variableRow(page, 'orderId').locator('td.value').innerText(), POLL).toBe('order-9');
    await browser.screenshot('order-id-set');

    await page.getByTestId('retry-incident').click();
    await expect.poll(() => page.getByTestId('incidents').innerText(), POLL).toContain('No open incident.');
    await diagramElement(page, AWAIT_ELEMENT, 'ops-active').waitFor();
    await system.api('POST', '/v2/messages/publication', { name: 'card-updated', correlationKey: 'order-9' });

    await expect.poll(() => page.getByTestId('instance-state').innerText(), POLL).toBe('COMPLETED');
    await browser.screenshot('completed-after-repair');
    expect(await variableValues(system, key, 'orderId')).toEqual([[key, '"order-9"']]);
    expect(browser.pageErrors).toEqual([]);
  });

  it('When ops edit a variable of the waiting event’s own scope, then that scope’s value changes and the process instance’s stays', { timeout: 60_000 }, async () => {
    const { system, browser } = current;
    const { key, awaitKey } = await waitingOrder('order-inner');
    await system.api('PUT', `/v2/element-instances/${awaitKey}/variables`, { variables: { orderId: 'order-typo' }, local: true });
    await eventually('the event’s own orderId', () => variableValues(system, key, 'orderId'), (values) => values.length === 2);
    const page = await openInstance(key);
    const inner = page.locator(`[data-testid="variables"] tr[data-name="orderId"][data-scope-key="${awaitKey}"]`);
    expect(await inner.locator('td').nth(1).innerText()).toBe('Await card update');

    await inner.getByTestId('edit-variable').click();
    await page.getByTestId('confirm-dialog').getByLabel('Value (JSON)').fill('"order-fixed"');
    await browser.screenshot('edit-inner-scope');
    await page.getByTestId('confirm-dialog').getByRole('button', { name: 'Save value' }).click();

    await expect.poll(() => inner.locator('td.value').innerText(), POLL).toBe('order-fixed');
    await browser.screenshot('inner-scope-edited');
    expect(await variableValues(system, key, 'orderId')).toEqual([
      [key, '"order-inner"'],
      [awaitKey, '"order-fixed"'],
    ]);
  });

  it('When ops add a variable, then the process instance has it and the table lists it; a name it already has is refused in the dialog', { timeout: 60_000 }, async () => {
    const { system, browser } = current;
    const { key } = await waitingOrder('order-add');
    const page = await openInstance(key);
    const dialog = page.getByTestId('confirm-dialog');

    await page.getByTestId('add-variable').click();
    await dialog.getByLabel('Name', { exact: true }).fill('orderId');
    await dialog.getByLabel('Value (JSON)').fill('"order-other"');
    await dialog.getByRole('button', { name: 'Add variable' }).click();
    expect(await dialog.getByTestId('dialog-problem').innerText()).toContain('already has a variable orderId');
    await dialog.getByLabel('Name', { exact: true }).fill('carrierNote');
    expect(await dialog.getByTestId('dialog-problem').isVisible()).toBe(false);
    await dialog.getByLabel('Value (JSON)').fill('{"carrier": "Orderflow Post", "fragile": true}');
    await browser.screenshot('add-variable');
    await dialog.getByRole('button', { name: 'Add variable' }).click();

    await expect.poll(() => variableRow(page, 'carrierNote').locator('td.value').innerText(), POLL).toBe('{"carrier":"Orderflow Post","fragile":true}');
    await browser.screenshot('variable-added');
    expect(await variableValues(system, key, 'carrierNote')).toEqual([[key, '{"carrier":"Orderflow Post","fragile":true}']]);
    expect(await variableValues(system, key, 'orderId')).toEqual([[key, '"order-add"']]);
  });

  it('When ops sign in with the read-only token, then variables offer no Edit and no Add variable', { timeout: 60_000 }, async () => {
    const { system } = current;
    const { key } = await waitingOrder('order-read-only');

    const page = await openInstance(key, system.readToken);

    expect(await page.getByTestId('edit-variable').count()).toBe(0);
    expect(await page.getByTestId('add-variable').count()).toBe(0);
  });
});

function variableRow(page: Page, name: string) {
  return page.getByTestId('variables').locator(`tr[data-name="${name}"]`);
}

/** The instance's variables named `name`, as `[scopeKey, value]` in scope order. */
async function variableValues(system: OpsTestSystem, processInstanceKey: string, name: string): Promise<string[][]> {
  const result = await system.api<{ items: Variable[] }>('POST', '/v2/variables/search', { filter: { processInstanceKey, name }, sort: [{ field: 'scopeKey' }] });
  return result.items.map((variable) => [variable.scopeKey, variable.value]);
}

async function activeAt(system: OpsTestSystem, processInstanceKey: string, elementId: string): Promise<ElementInstance[]> {
  const result = await system.api<{ items: ElementInstance[] }>('POST', '/v2/element-instances/search', { filter: { processInstanceKey, elementId, state: 'ACTIVE' } });
  return result.items;
}
