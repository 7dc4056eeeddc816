/**
 * A BPMN diagram drawn by bpmn-js's NavigatedViewer (loaded as a classic script, `window.BpmnJS`),
 * with what the API says about it: markers (CSS classes on elements) and count overlays.
 */
import { h } from './dom.js';

const OVERLAY_TYPE = 'ops-count';
const NOT_ACTIVATABLE = new Set(['bpmn:StartEvent', 'bpmn:BoundaryEvent']);
export const Marker = { ACTIVE: 'ops-active', INCIDENT: 'ops-incident', COMPLETED: 'ops-completed', TAKEN: 'ops-taken' };

export class Diagram {
  constructor(container) {
    if (typeof window.BpmnJS !== 'function') throw new Error('Expected bpmn-js to be loaded, but window.BpmnJS is missing');
    this.container = container;
    this.viewer = new window.BpmnJS({ container });
    this.markers = [];
  }

  async show(xml) {
    const { warnings } = await this.viewer.importXML(xml);
    this.viewer.get('canvas').zoom('fit-viewport', 'auto');
    return warnings;
  }

  /** Whether the diagram draws this element; the process itself (the canvas root) does not count. */
  has(elementId) {
    const element = this.viewer.get('elementRegistry').get(elementId);
    return Boolean(element) && element !== this.viewer.get('canvas').getRootElement();
  }

  /**
   * The elements a token can be moved to or added at, in diagram order: flow nodes other than start
   * and boundary events, which Zeebe does not activate by modification.
   */
  activationTargets() {
    return this.viewer
      .get('elementRegistry')
      .filter((element) => element.type !== 'label' && element.businessObject?.$instanceOf?.('bpmn:FlowNode') && !NOT_ACTIVATABLE.has(element.type))
      .map((element) => ({ id: element.id, name: element.businessObject.name || '' }));
  }

  /** Replaces every marker and count overlay by the given ones; unknown element ids are skipped. */
  annotate({ markers = [], counts = [] }) {
    const canvas = this.viewer.get('canvas');
    const overlays = this.viewer.get('overlays');
    for (const { elementId, marker } of this.markers) canvas.removeMarker(elementId, marker);
    overlays.remove({ type: OVERLAY_TYPE });
    this.markers = markers.filter(({ elementId }) => this.has(elementId));
    for (const { elementId, marker } of this.markers) canvas.addMarker(elementId, marker);
    for (const { elementId, kind, value, title } of counts) {
      if (!this.has(elementId) || !value) continue;
      const offset = kind === 'incident' ? { top: -12, right: 10 } : kind === 'active' ? { top: -12, left: -10 } : { bottom: 10, right: 10 };
      const html = h('span', { class: `ops-badge ops-badge-${kind}`, title, dataset: { elementId, kind } }, String(value));
      overlays.add(elementId, OVERLAY_TYPE, { position: offset, html });
    }
  }

  destroy() {
    this.viewer.destroy();
  }
}

/** Markers and overlays from element statistics (`{ elementId, active, incidents, completed, canceled }`). */
export function annotationsFromStatistics(items, { showCompleted }) {
  const markers = [];
  const counts = [];
  for (const item of items ?? []) {
    if (item.incidents > 0) markers.push({ elementId: item.elementId, marker: Marker.INCIDENT });
    else if (item.active > 0) markers.push({ elementId: item.elementId, marker: Marker.ACTIVE });
    else if (showCompleted && item.completed > 0) markers.push({ elementId: item.elementId, marker: Marker.COMPLETED });
    counts.push({ elementId: item.elementId, kind: 'active', value: item.active, title: `${item.active} active` });
    counts.push({ elementId: item.elementId, kind: 'incident', value: item.incidents, title: `${item.incidents} with an incident` });
    if (showCompleted) counts.push({ elementId: item.elementId, kind: 'completed', value: item.completed, title: `${item.completed} completed` });
  }
  return { markers, counts };
}
