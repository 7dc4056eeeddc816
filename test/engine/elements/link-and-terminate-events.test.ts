/** Link events and terminate end events (docs: "Link events", "Terminate events"). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ElementIntent, ValueType } from '../../../infra/engine/core/records.js';
import { startElementsHarness, type ElementsHarness } from './elements-harness.js';

describe('link and terminate events', () => {
  let h: ElementsHarness;
  beforeEach(async () => {
    h = await startElementsHarness();
  });
  afterEach(() => h.close());

  it('When a link throw event is reached, then the instance continues at the link catch event of the same name', async () => {
    await h.deploy('link.bpmn');
    const instance = await h.start('link');

    await h.waitForCompletion(instance.key);

    expect(h.elementsWith(instance.key, ElementIntent.ELEMENT_COMPLETED)).toEqual(['start', 'go-to-shipping', 'shipping', 'end', 'link']);
  });

  it('When a terminate end event is reached at process level, then the other elements are terminated and the instance completes', async () => {
    await h.deploy('terminate-process.bpmn');
    const instance = await h.start('terminate-process');

    await h.waitForCompletion(instance.key);

    expect(h.elementsWith(instance.key, ElementIntent.ELEMENT_TERMINATED)).toEqual(['pack']);
    expect(h.recordsOf(ValueType.JOB, 'CANCELED')).toHaveLength(1);
  });

  it('When a terminate end event is reached in a sub-process, then only the sub-process ends and the process goes on', async () => {
    await h.deploy('terminate-sub-process.bpmn');
    const instance = await h.start('terminate-sub-process');

    await h.waitForCompletion(instance.key);

    expect(h.elementsWith(instance.key, ElementIntent.ELEMENT_TERMINATED)).toEqual(['pack']);
    expect(h.elementsWith(instance.key, ElementIntent.ELEMENT_COMPLETED)).toEqual(expect.arrayContaining(['stop', 'packing', 'end']));
  });
});
