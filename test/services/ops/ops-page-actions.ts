/** What a user does on the ops page, and where the page shows what, for the browser tests. */
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { TestBrowser } from '../../support/browser.js';

/** Signs in on the page's form and waits until the navigation shows. */
export async function signIn(page: Page, token: string): Promise<void> {
  await page.goto('/');
  await page.getByLabel('Ops token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('session-role').waitFor();
}

/** The rows of the instance list, one per process instance shown. */
export function instanceRows(page: Page): Locator {
  return page.getByTestId('instances').locator('tbody tr');
}

/** Signs in and opens the instance list with these filters in its hash (`state=ACTIVE`). */
export async function openInstanceList(page: Page, token: string, query = ''): Promise<void> {
  await signIn(page, token);
  await page.goto(`/#/instances${query ? `?${query}` : ''}`);
}

/** A diagram element (shape or sequence flow) carrying a marker class, as bpmn-js draws it. */
export function diagramElement(page: Page, elementId: string, marker: string): Locator {
  return page.locator(`.djs-element[data-element-id="${elementId}"].${marker}`);
}

/** A count overlay the page put on a diagram element: `active`, `incident` or `completed`. */
export function overlay(page: Page, elementId: string, kind: 'active' | 'incident' | 'completed'): Locator {
  return page.locator(`.ops-badge[data-element-id="${elementId}"][data-kind="${kind}"]`);
}

/** Clicks the instance list's batch action `testId`, waits for its dialog to ask `asking`, and confirms with the button named `confirm`. */
export async function confirmBatchAction(browser: TestBrowser, testId: string, { asking, confirm }: { asking: string; confirm: string }): Promise<void> {
  const { page } = browser;
  await page.getByTestId(testId).click();
  const dialog = page.getByTestId('confirm-dialog');
  await expect.poll(() => dialog.innerText()).toContain(asking);
  await browser.screenshot(`${testId}-dialog`);
  await dialog.getByRole('button', { name: confirm }).click();
}

/** What went wrong on the page but a batch operation's 404 while the engine does not read it yet, which the page waits out. */
export function unexpectedPageErrors(browser: TestBrowser): string[] {
  return browser.pageErrors.filter((error) => !error.includes('status of 404 (Not Found)'));
}
