/**
 * What the deploy command reports as changed between two versions of a process, on fixture pairs:
 * computed with bpmn-js-differ, plus the changes inside elements the differ does not name.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { diffProcess, hasNoChanges, isLayoutOnly, type ProcessChanges } from '../../scripts/deploy/bpmn-diff.js';
import { parseBpmnXml } from '../../scripts/deploy/bpmn-document.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

async function diffFixtures(previous: string, next: string, bpmnProcessId: string): Promise<ProcessChanges> {
  const [before, after] = await Promise.all([previous, next].map(async (name) => (await parseBpmnXml(await readFile(fixture(name), 'utf8'))).definitions));
  return diffProcess(before!, after!, bpmnProcessId);
}

const ids = (elements: { id: string }[]) => elements.map((e) => e.id).sort();

describe('bpmn-diff', () => {
  it('When the same file is compared with itself, then nothing changed', async () => {
    const changes = await diffFixtures('order-review-v1.bpmn', 'order-review-v1.bpmn', 'order-review');

    expect(hasNoChanges(changes)).toBe(true);
  });

  it('When a task and its flow are added, then both are listed as added with their names', async () => {
    const changes = await diffFixtures('order-review-v1.bpmn', 'order-review-v2.bpmn', 'order-review');

    expect(changes.added).toEqual([
      { id: 'notify-reviewer', name: 'Notify reviewer', type: 'bpmn:ServiceTask' },
      { id: 'to-notify-reviewer', name: undefined, type: 'bpmn:SequenceFlow' },
    ]);
    expect(changes.removed).toEqual([]);
  });

  it('When a task is renamed and its job type changes, then it is changed in name and extension elements', async () => {
    const changes = await diffFixtures('order-review-v1.bpmn', 'order-review-v2.bpmn', 'order-review');

    expect(changes.changed.find((e) => e.id === 'check-order')).toEqual({
      id: 'check-order', name: 'Check order and stock', type: 'bpmn:ServiceTask', properties: ['name', 'extensionElements'],
    });
  });

  it('When a sequence flow gets another source, then only that flow is changed, not the elements it connects', async () => {
    const changes = await diffFixtures('order-review-v1.bpmn', 'order-review-v2.bpmn', 'order-review');

    expect(ids(changes.changed)).toEqual(['check-order', 'to-review-done']);
    expect(changes.changed.find((e) => e.id === 'to-review-done')?.properties).toEqual(['sourceRef']);
  });

  it('When the newer version is compared with the older, then the added task is listed as removed', async () => {
    const changes = await diffFixtures('order-review-v2.bpmn', 'order-review-v1.bpmn', 'order-review');

    expect(ids(changes.removed)).toEqual(['notify-reviewer', 'to-notify-reviewer']);
    expect(changes.added).toEqual([]);
  });

  it('When only a shape moved, then the change is layout-only and names the moved elements', async () => {
    const changes = await diffFixtures('order-review-v1.bpmn', 'order-review-moved.bpmn', 'order-review');

    expect(isLayoutOnly(changes)).toBe(true);
    expect(ids(changes.layoutChanged)).toEqual(['review-requested', 'to-check-order']);
  });

  it("When a timer's duration changes, then its event is changed in its event definitions", async () => {
    const changes = await diffFixtures('order-reminder-p1d.bpmn', 'order-reminder-p2d.bpmn', 'order-reminder');

    expect(changes.changed).toEqual([{ id: 'reminder-due', name: 'Reminder due', type: 'bpmn:IntermediateCatchEvent', properties: ['eventDefinitions'] }]);
    expect(isLayoutOnly(changes)).toBe(false);
  });

  it('When the diff is asked for a process the files do not define, then it reports no change', async () => {
    const changes = await diffFixtures('order-review-v1.bpmn', 'order-review-v2.bpmn', 'another-process');

    expect(hasNoChanges(changes)).toBe(true);
  });
});
