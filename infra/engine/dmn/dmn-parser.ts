/**
 * Reads a DMN 1.3 file with dmn-moddle into a decision requirements graph, or the reasons Zeebe
 * would refuse it (dmn-scala's parse failures, one per line). Only decision tables and literal
 * expressions are read; other decision logic is refused with a reason. `npm run deploy` lints DMN
 * files with this parser too.
 */
import { DmnModdle } from 'dmn-moddle';
import type { ModdleElement } from '../model/bpmn-transformer.js';
import type { ValidationError } from '../model/bpmn-validator.js';
import { duplicatedIds } from '../model/definitions-rules.js';
import {
  DecisionType,
  HitPolicy,
  type Aggregation,
  type DecisionTable,
  type LiteralExpression,
  type ParsedDecision,
  type ParsedDrg,
} from './decision-model.js';
import { drgFailures } from './dmn-rules.js';

/**
 * `failure` is Zeebe's reason, one line per problem; `problems` are the same, each with the element
 * it is about (undefined for the file as a whole), for a report that points into the file.
 */
export type DmnParseResult = { ok: true; drg: ParsedDrg } | { ok: false; failure: string; problems: ValidationError[] };

const moddle = new DmnModdle();

const HIT_POLICIES = new Set<string>(Object.values(HitPolicy));

/** Problems a decision's logic has before FEEL is looked at, reported with the FEEL failures. */
type Problems = ValidationError[];

const textOf = (expression: ModdleElement | undefined): string | undefined => expression?.text ?? undefined;

function readTable(decisionId: string, table: ModdleElement, problems: Problems): DecisionTable {
  const hitPolicy = table.hitPolicy ?? HitPolicy.UNIQUE;
  if (!HIT_POLICIES.has(hitPolicy)) problems.push({ elementId: decisionId, message: `Expected a hit policy of ${[...HIT_POLICIES].join(', ')}, but found '${hitPolicy}'` });
  return {
    type: DecisionType.DECISION_TABLE,
    hitPolicy,
    aggregation: (table.aggregation ?? undefined) as Aggregation | undefined,
    inputs: ((table.input ?? []) as ModdleElement[]).map((input) => {
      const expression = textOf(input.inputExpression);
      if (expression === undefined) problems.push({ elementId: input.id, message: `The expression '${input.inputExpression?.id ?? input.id}' must not be empty.` });
      return { id: input.id ?? '', label: input.label ?? undefined, expression: expression ?? 'null' };
    }),
    outputs: ((table.output ?? []) as ModdleElement[]).map((output) => ({
      id: output.id ?? '', label: output.label ?? undefined, name: output.name ?? undefined,
      values: textOf(output.outputValues)?.split(',') ?? [], defaultEntry: textOf(output.defaultOutputEntry),
    })),
    rules: ((table.rule ?? []) as ModdleElement[]).map((rule) => ({
      id: rule.id ?? '',
      inputEntries: ((rule.inputEntry ?? []) as ModdleElement[]).map((entry) => textOf(entry) ?? ''),
      outputEntries: ((rule.outputEntry ?? []) as ModdleElement[]).map((entry) => textOf(entry) ?? ''),
    })),
  };
}

function readLogic(decision: ModdleElement & { id: string }, problems: Problems): DecisionTable | LiteralExpression {
  const logic: ModdleElement | undefined = decision.decisionLogic;
  const problem = (message: string) => problems.push({ elementId: decision.id, message });
  if (logic?.$type === 'dmn:DecisionTable') return readTable(decision.id, logic, problems);
  if (logic?.$type === 'dmn:LiteralExpression') {
    const language = logic.expressionLanguage?.toLowerCase();
    if (language && !/feel/.test(language)) problem(`Expression language '${language}' is not supported`);
    const expression = textOf(logic);
    if (expression === undefined) problem(`The expression '${logic.id ?? decision.id}' must not be empty.`);
    return { type: DecisionType.LITERAL_EXPRESSION, expression: expression ?? 'null' };
  }
  const kind = logic ? logic.$type.replace('dmn:', '') : 'no decision logic';
  problem(`Expected the decision '${decision.id}' to be a decision table or a literal expression, but it is ${kind}: the embedded engine evaluates only these`);
  return { type: DecisionType.LITERAL_EXPRESSION, expression: 'null' };
}

/** `#id` references a decision of the same file; anything else (another file's) is kept as written. */
const referencedId = (href: string | undefined): string => (href?.startsWith('#') ? href.slice(1) : (href ?? ''));

function readDecision(decision: ModdleElement & { id: string }, problems: Problems): ParsedDecision {
  const versionTag = ((decision.extensionElements?.values ?? []) as ModdleElement[]).find((v) => v.$type === 'zeebe:versionTag');
  if ((decision.knowledgeRequirement ?? []).length > 0) {
    problems.push({ elementId: decision.id, message: `Expected the decision '${decision.id}' to require no business knowledge model, but it does: the embedded engine does not evaluate them` });
  }
  return {
    id: decision.id,
    name: decision.name ?? decision.id,
    versionTag: versionTag?.value ?? undefined,
    resultName: decision.variable?.name ?? decision.id,
    requiredDecisionIds: ((decision.informationRequirement ?? []) as ModdleElement[])
      .filter((requirement) => requirement.requiredDecision)
      .map((requirement) => referencedId(requirement.requiredDecision.href as string | undefined)),
    logic: readLogic(decision, problems),
  };
}

async function readDefinitions(xml: string): Promise<{ ok: true; definitions: ModdleElement } | { ok: false; failure: string }> {
  try {
    const { rootElement, warnings } = await moddle.fromXML(xml);
    const duplicates = duplicatedIds(warnings);
    if (duplicates.length) return { ok: false, failure: `Failed to parse DMN: ${duplicates[0]!.message}` };
    const unknown = warnings.find((w) => /unknown type|unparsable/.test(w.message));
    if (unknown) return { ok: false, failure: `Failed to parse DMN: ${oneLine(unknown.message)}` };
    return { ok: true, definitions: rootElement as ModdleElement };
  } catch (error) {
    return { ok: false, failure: `Failed to parse DMN: ${oneLine((error as Error).message)}` };
  }
}

/** moddle's messages span lines (line, column, nested error); a refusal names each resource on one line. */
const oneLine = (message: string) => message.replace(/\s+/g, ' ').trim();

const refused = (problems: ValidationError[]): DmnParseResult => ({ ok: false, failure: problems.map((p) => p.message).join('\n'), problems });

export async function parseDmn(xml: string): Promise<DmnParseResult> {
  const read = await readDefinitions(xml);
  if (!read.ok) return refused([{ elementId: undefined, message: read.failure }]);
  const { definitions } = read;
  const elements = ((definitions.drgElement ?? []) as ModdleElement[]).filter((e) => e.$type === 'dmn:Decision');
  const problems: Problems = [];
  if (!definitions.id) problems.push({ elementId: undefined, message: `Expected the definitions to have an id (the decision requirements id), but they have none` });
  for (const element of elements.filter((e) => !e.id)) problems.push({ elementId: undefined, message: `Expected the decision '${element.name ?? '?'}' to have an id, but it has none` });
  const decisions = elements.filter((e): e is ModdleElement & { id: string } => !!e.id).map((e) => readDecision(e, problems));
  const drg: ParsedDrg = { id: definitions.id ?? '', name: definitions.name ?? definitions.id ?? '', namespace: definitions.namespace ?? '', decisions };
  const failures = [...problems, ...drgFailures(drg)];
  return failures.length ? refused(failures) : { ok: true, drg };
}
