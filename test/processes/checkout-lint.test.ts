/**
 * checkout.bpmn as the deploy CLI and Camunda Modeler see it: no bpmnlint errors under the project's
 * .bpmnlintrc (recommended + camunda-compat for Camunda 8.8), and complete diagram interchange.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { BpmnModdle } from 'bpmn-moddle';
import zeebeSchema from 'zeebe-bpmn-moddle/resources/zeebe.json' with { type: 'json' };
import { beforeAll, describe, expect, it } from 'vitest';

interface LintReport { id?: string; message: string; category: string }
interface BpmnLinter { lint(definitions: unknown): Promise<Record<string, LintReport[]>> }
interface LintConfig { extends?: string | string[]; rules?: Record<string, unknown> }

// bpmnlint is CommonJS without type declarations.
const require = createRequire(import.meta.url);
const { Linter } = require('bpmnlint') as { Linter: new (options: { config: LintConfig; resolver: unknown }) => BpmnLinter };
const NodeResolver = require('bpmnlint/lib/resolver/node-resolver') as new () => unknown;

const projectFile = (path: string): string => fileURLToPath(new URL(`../../${path}`, import.meta.url));

interface Element {
  $type: string;
  id: string;
  name?: string;
  flowElements?: Element[];
  artifacts?: Element[];
  attachedToRef?: Element;
}
interface DiElement { $type: string; bpmnElement: Element; bounds?: { x: number; y: number; width: number; height: number } }

let definitions: { rootElements: Element[]; diagrams: { plane: { planeElement: DiElement[] } }[] };

beforeAll(async () => {
  const moddle = new BpmnModdle({ zeebe: zeebeSchema });
  const { rootElement, warnings } = await moddle.fromXML(await readFile(projectFile('processes/checkout.bpmn'), 'utf8'));
  expect(warnings).toEqual([]);
  definitions = rootElement as unknown as typeof definitions;
});

/** Every flow element of the process, nested sub-processes included, with its container's id. */
function flowElements(): { element: Element; containerId: string }[] {
  const visit = (container: Element): { element: Element; containerId: string }[] =>
    (container.flowElements ?? []).flatMap((element) => [{ element, containerId: container.id }, ...visit(element)]);
  return definitions.rootElements.filter((e) => e.$type === 'bpmn:Process').flatMap(visit);
}

function diOf(type: string): Map<string, DiElement> {
  const planeElements = definitions.diagrams.flatMap((d) => d.plane.planeElement);
  return new Map(planeElements.filter((d) => d.$type === type).map((d) => [d.bpmnElement.id, d]));
}

describe('checkout.bpmn', () => {
  it('When linted with the project .bpmnlintrc, then bpmnlint reports no errors', async () => {
    const config = JSON.parse(await readFile(projectFile('.bpmnlintrc'), 'utf8')) as LintConfig;
    const linter = new Linter({ config: { extends: config.extends, rules: config.rules ?? {} }, resolver: new NodeResolver() });

    const results = await linter.lint(definitions);

    const errors = Object.entries(results).flatMap(([rule, reports]) =>
      reports.filter((r) => r.category === 'error' || r.category === 'rule-error').map((r) => `${r.id ?? '?'}: ${r.message} (${rule})`));
    expect(errors).toEqual([]);
  });

  it('When rendered, then every flow node has a DI shape and every sequence flow a DI edge', () => {
    const shapes = diOf('bpmndi:BPMNShape');
    const edges = diOf('bpmndi:BPMNEdge');
    const elements = flowElements().map((f) => f.element);

    expect(elements.filter((e) => e.$type !== 'bpmn:SequenceFlow' && !shapes.has(e.id)).map((e) => e.id)).toEqual([]);
    expect(elements.filter((e) => e.$type === 'bpmn:SequenceFlow' && !edges.has(e.id)).map((e) => e.id)).toEqual([]);
  });

  it('When rendered, then no two flow node shapes in the same container overlap', () => {
    const shapes = diOf('bpmndi:BPMNShape');
    const nodes = flowElements().filter((f) => f.element.$type !== 'bpmn:SequenceFlow' && f.element.$type !== 'bpmn:BoundaryEvent');
    const overlaps: string[] = [];
    nodes.forEach((a, i) => nodes.slice(i + 1).forEach((b) => {
      if (a.containerId !== b.containerId) return;
      const p = shapes.get(a.element.id)!.bounds!;
      const q = shapes.get(b.element.id)!.bounds!;
      if (p.x < q.x + q.width && q.x < p.x + p.width && p.y < q.y + q.height && q.y < p.y + p.height) overlaps.push(`${a.element.id} / ${b.element.id}`);
    }));
    expect(overlaps).toEqual([]);
  });

  it('When ops read the model, then every flow node has a name', () => {
    const unnamed = flowElements().filter((f) => f.element.$type !== 'bpmn:SequenceFlow' && !f.element.name).map((f) => f.element.id);
    expect(unnamed).toEqual([]);
  });
});
