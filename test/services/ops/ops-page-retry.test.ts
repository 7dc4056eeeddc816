/**
 * The ops page in Chromium against the embedded engine's REST API: an order whose card charge
 * failed without retries is found by its incident, seen on the diagram, retried, and moves on.
 */
import { describe, expect, it } from 'vitest';
import { AWAIT_ELEMENT, CHARGE_ELEMENT, CHARGE_FAILURE, eventually, eachTestWithOpsPage, type OpsTestSystem } from './ops-test-kit.js';
import { diagramElement, instanceRows, openInstanceList, overlay } from './ops-page-actions.js';

interface Incident {
  incidentKey: string;
  elementId: string;
  state: string;
}
interface ElementInstance {
  elementId: string;
  state: string;
}
interface Instance {
  state: string;
  hasIncident: boolean;
}

describe('ops page: retrying an incident', () => {
  const current = eachTestWithOpsPage('ops/retry');

  it('When a card charge failed without retries, then ops find it by its incident, see it on the diagram, retry it, and the order moves on', { timeout: 60_000 }, async () => {
    const { system, browser } = current;
    const { page } = browser;
    await system.startOrder('order-ok-1');
    system.failingOrders.add('order-broken-7');
    const brokenKey = await system.startOrder('order-broken-7');
    await eventually('an incident on the broken order', () => openIncidents(system, brokenKey), (items) => items.length === 1);

    await openInstanceList(page, system.token);
    await expect.poll(() => instanceRows(page).count(), { timeout: 10_000 }).toBe(2);
    await browser.screenshot('instance-list');

    await page.getByLabel('Incident', { exact: true }).selectOption('yes');
    await expect.poll(() => instanceRows(page).count()).toBe(1);
    const row = instanceRows(page).first();
    await expect.poll(() => row.innerText(), { timeout: 10_000 }).toContain('order-broken-7');
    expect(await row.innerText()).toContain('INCIDENT');
    await browser.screenshot('filtered-to-incidents');

    await row.getByRole('link', { name: brokenKey }).click();
    await diagramElement(page, CHARGE_ELEMENT, 'ops-incident').waitFor();
    await page.getByTestId('incident-message').waitFor();
    expect(await page.getByTestId('incident-message').innerText()).toBe(CHARGE_FAILURE);
    expect(await overlay(page, CHARGE_ELEMENT, 'incident').innerText()).toBe('1');
    await browser.screenshot('instance-with-incident');

    system.failingOrders.delete('order-broken-7');
    await page.getByTestId('retry-incident').click();
    await diagramElement(page, AWAIT_ELEMENT, 'ops-active').waitFor();
    await expect.poll(() => page.getByTestId('incidents').innerText(), { timeout: 10_000 }).toContain('No open incident.');
    expect(await page.getByTestId('instance-state').innerText()).toBe('ACTIVE');
    expect(await diagramElement(page, CHARGE_ELEMENT, 'ops-incident').count()).toBe(0);
    expect(await diagramElement(page, 'to-await', 'ops-taken').count()).toBe(1);
    await browser.screenshot('instance-after-retry');

    const instance = await system.api<Instance>('GET', `/v2/process-instances/${brokenKey}`);
    const incidents = await system.api<{ items: Incident[] }>('POST', '/v2/incidents/search', { filter: { processInstanceKey: brokenKey } });
    const active = await system.api<{ items: ElementInstance[] }>('POST', '/v2/element-instances/search', { filter: { processInstanceKey: brokenKey, state: 'ACTIVE' } });
    expect(instance).toMatchObject({ state: 'ACTIVE', hasIncident: false });
    expect(incidents.items.map((incident) => incident.state)).toEqual(['RESOLVED']);
    expect(active.items.map((element) => element.elementId)).toContain(AWAIT_ELEMENT);
    expect(browser.pageErrors).toEqual([]);
  });
});

async function openIncidents(system: OpsTestSystem, processInstanceKey: string): Promise<Incident[]> {
  const result = await system.api<{ items: Incident[] }>('POST', '/v2/incidents/search', { filter: { processInstanceKey, state: 'ACTIVE' } });
  return result.items;
}
