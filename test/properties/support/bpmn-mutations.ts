/**
 * Broken BPMN as fast-check arbitraries: every mutation turns a deployable model (the checkout
 * process, the engine's valid fixtures) into one Zeebe must refuse, and names what it broke so a
 * failing run says which rule the engine missed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';

const root = fileURLToPath(new URL('../../../', import.meta.url));

export interface BpmnModel {
  /** Path from the repository root, for failure messages. */
  path: string;
  name: string;
  xml: string;
}

/** A mutated model and what was done to it. */
export interface BrokenBpmn {
  name: string;
  content: Buffer;
  mutation: string;
}

function bpmnFilesUnder(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? bpmnFilesUnder(join(dir, entry.name)) : entry.name.endsWith('.bpmn') ? [join(dir, entry.name)] : [],
  );
}

/** `processes/checkout.bpmn` and every fixture meant to deploy (the `invalid-*` ones are already broken). */
export function deployableModels(): BpmnModel[] {
  const paths = ['processes/checkout.bpmn', ...bpmnFilesUnder('test/engine/fixtures').filter((path) => !basename(path).startsWith('invalid-'))];
  return paths.map((path) => ({ path, name: basename(path), xml: readFileSync(join(root, path), 'utf8') }));
}

interface Site {
  /** Start and end of the text the mutation replaces. */
  start: number;
  end: number;
}

function sitesOf(xml: string, pattern: RegExp, group = 0): (Site & { text: string })[] {
  return [...xml.matchAll(new RegExp(pattern.source, `${pattern.flags.replace(/[gd]/g, '')}gd`))].map((match) => {
    const [start, end] = match.indices![group]!;
    return { start, end, text: match[group]! };
  });
}

const replaceAt = (xml: string, site: Site, text: string) => `${xml.slice(0, site.start)}${text}${xml.slice(site.end)}`;

/** The id of every element a sequence flow starts or ends at: removing or duplicating one breaks the graph. */
function flowNodeIdSites(xml: string) {
  const referenced = new Set(sitesOf(xml, /(?:sourceRef|targetRef)="([^"]+)"/, 1).map((site) => site.text));
  return sitesOf(xml, /<bpmn:(?!sequenceFlow)\w+\s[^>]*?\bid="([^"]+)"/, 1).filter((site) => referenced.has(site.text));
}

/** Syntax errors feelin reports, whatever the context. */
const invalidFeel = ['= 1 +', '= (a', '= if x then', '= {a: ', '= a ]', '= "unclosed', '= x in [1..', '= ) + ('] as const;

type Mutator = (xml: string, pick: number, extra: number) => { xml: string; mutation: string } | undefined;

function pickFrom<T>(items: readonly T[], pick: number): T | undefined {
  return items.length === 0 ? undefined : items[pick % items.length];
}

/** Each mutator returns undefined when the model has nothing it can break that way. */
const mutators: Record<string, Mutator> = {
  truncated: (xml, pick) => {
    // Anything cut before the root's closing tag is an unfinished document.
    const rootEnd = xml.lastIndexOf('</bpmn:definitions');
    const at = pick % Math.max(rootEnd, 1);
    return { xml: xml.slice(0, at), mutation: `truncated at character ${at} of ${xml.length}` };
  },
  'id removed': (xml, pick) => {
    const site = pickFrom(flowNodeIdSites(xml), pick);
    if (!site) return undefined;
    return { xml: replaceAt(xml, { start: site.start - 'id="'.length, end: site.end + 1 }, ''), mutation: `id="${site.text}" removed` };
  },
  'id duplicated': (xml, pick, extra) => {
    const sites = flowNodeIdSites(xml);
    const [victim, kept] = [pickFrom(sites, pick), pickFrom(sites, pick + 1 + (extra % Math.max(sites.length - 1, 1)))];
    if (!victim || !kept || victim.text === kept.text) return undefined;
    return { xml: replaceAt(xml, victim, kept.text), mutation: `id "${victim.text}" renamed to the existing "${kept.text}"` };
  },
  'dangling reference': (xml, pick) => {
    const site = pickFrom(sitesOf(xml, /(?:sourceRef|targetRef|attachedToRef|default)="([^"]+)"/, 1), pick);
    if (!site) return undefined;
    return { xml: replaceAt(xml, site, 'no-such-element'), mutation: `reference to "${site.text}" pointed at no-such-element` };
  },
  'empty job type': (xml, pick) => {
    const site = pickFrom(sitesOf(xml, /<zeebe:taskDefinition[^>]*\btype="([^"]*)"/, 1), pick);
    return site && { xml: replaceAt(xml, site, ''), mutation: `job type "${site.text}" emptied` };
  },
  'not executable': (xml) => {
    const sites = sitesOf(xml, /<bpmn:process\b[^>]*\bisExecutable="(true)"/, 1);
    if (sites.length === 0) return undefined;
    // Every process made non-executable: one left executable would still deploy.
    const mutated = sites.reverse().reduce((text, site) => replaceAt(text, site, 'false'), xml);
    return { xml: mutated, mutation: 'isExecutable="false" on every process' };
  },
  'unknown element': (xml, pick) => {
    const site = pickFrom(sitesOf(xml, /<bpmn:process\b[^>]*>/), pick);
    return site && { xml: replaceAt(xml, { start: site.end, end: site.end }, '<bpmn:teleportTask id="teleport" />'), mutation: 'bpmn:teleportTask added' };
  },
  'invalid FEEL condition': (xml, pick, extra) => {
    const site = pickFrom(sitesOf(xml, /<bpmn:conditionExpression[^>]*>([^<]*)</, 1), pick);
    const feel = invalidFeel[extra % invalidFeel.length]!;
    return site && { xml: replaceAt(xml, site, feel), mutation: `condition "${site.text}" replaced by "${feel}"` };
  },
  'invalid FEEL retries': (xml, pick, extra) => {
    const site = pickFrom(sitesOf(xml, /<zeebe:taskDefinition[^>]*\bretries="([^"]*)"/, 1), pick);
    const feel = invalidFeel[extra % invalidFeel.length]!;
    return site && { xml: replaceAt(xml, site, feel), mutation: `retries "${site.text}" replaced by "${feel}"` };
  },
  'task definition removed': (xml, pick) => {
    const site = pickFrom(sitesOf(xml, /<zeebe:taskDefinition\b[^>]*?(?:\/>|>\s*<\/zeebe:taskDefinition>)/), pick);
    return site && { xml: replaceAt(xml, site, ''), mutation: `${site.text} removed` };
  },
};

export const mutationKinds = Object.keys(mutators);

/** A mutation of `model`; undefined when the model offers no site for `kind`. */
export function mutate(model: BpmnModel, kind: string, pick: number, extra: number): BrokenBpmn | undefined {
  const result = mutators[kind]!(model.xml, pick, extra);
  return result && { name: model.name, content: Buffer.from(result.xml), mutation: `${model.path}: ${result.mutation}` };
}

/** Broken models: a structural mutation of a deployable one, or random bytes named like BPMN. */
export function brokenBpmnArbitrary(models: readonly BpmnModel[]): fc.Arbitrary<BrokenBpmn> {
  const applicable = models.flatMap((model) => mutationKinds.filter((kind) => mutate(model, kind, 0, 0)).map((kind) => ({ model, kind })));
  const mutated = fc
    .record({ target: fc.constantFrom(...applicable), pick: fc.nat(), extra: fc.nat() })
    .map(({ target, pick, extra }) => mutate(target.model, target.kind, pick, extra)!);
  const bytes = fc.uint8Array({ minLength: 0, maxLength: 2_000 }).map((data) => ({ name: 'random.bpmn', content: Buffer.from(data), mutation: `${data.length} random bytes` }));
  return fc.oneof({ arbitrary: mutated, weight: 9 }, { arbitrary: bytes, weight: 1 });
}
