/**
 * A decision requirements graph (one DMN file) as the engine evaluates it: plain data, read once
 * from the DMN XML by dmn-parser.ts. Names follow Zeebe's ParsedDecisionRequirementsGraph and
 * dmn-scala's parsed model.
 */

/** DMN 1.3 hit policies, spelled as in the XML's `hitPolicy` attribute. */
export const HitPolicy = {
  UNIQUE: 'UNIQUE',
  FIRST: 'FIRST',
  PRIORITY: 'PRIORITY',
  ANY: 'ANY',
  COLLECT: 'COLLECT',
  RULE_ORDER: 'RULE ORDER',
  OUTPUT_ORDER: 'OUTPUT ORDER',
} as const;
export type HitPolicy = (typeof HitPolicy)[keyof typeof HitPolicy];

/** The aggregation of a COLLECT table (C+, C<, C>, C#). */
export const Aggregation = {
  SUM: 'SUM',
  MIN: 'MIN',
  MAX: 'MAX',
  COUNT: 'COUNT',
} as const;
export type Aggregation = (typeof Aggregation)[keyof typeof Aggregation];

/** Zeebe's DecisionType, as written into evaluated decisions. */
export const DecisionType = {
  DECISION_TABLE: 'DECISION_TABLE',
  LITERAL_EXPRESSION: 'LITERAL_EXPRESSION',
} as const;
export type DecisionType = (typeof DecisionType)[keyof typeof DecisionType];

export interface DecisionInput {
  id: string;
  /** The column's label; Zeebe reports it as the evaluated input's name. */
  label: string | undefined;
  expression: string;
}

export interface DecisionOutput {
  id: string;
  label: string | undefined;
  /** The key of this output in a result with several outputs. */
  name: string | undefined;
  /** The output values (`"gold","silver"`), the order PRIORITY and OUTPUT ORDER sort by. */
  values: string[];
  /** Applied when no rule matches. */
  defaultEntry: string | undefined;
}

export interface DecisionRule {
  id: string;
  /** Unary tests, one per input; empty or `-` matches anything. */
  inputEntries: string[];
  /** FEEL expressions, one per output. */
  outputEntries: string[];
}

export interface DecisionTable {
  type: typeof DecisionType.DECISION_TABLE;
  hitPolicy: HitPolicy;
  aggregation: Aggregation | undefined;
  inputs: DecisionInput[];
  outputs: DecisionOutput[];
  rules: DecisionRule[];
}

export interface LiteralExpression {
  type: typeof DecisionType.LITERAL_EXPRESSION;
  expression: string;
}

export interface ParsedDecision {
  id: string;
  name: string;
  /** `zeebe:versionTag` of the decision, for called decisions bound by version tag. */
  versionTag: string | undefined;
  /** Where the decision's result goes for decisions that require it: its variable's name, else its id (dmn-scala). */
  resultName: string;
  /** Decisions of the same graph to evaluate first (information requirements). */
  requiredDecisionIds: string[];
  logic: DecisionTable | LiteralExpression;
}

export interface ParsedDrg {
  id: string;
  name: string;
  namespace: string;
  decisions: ParsedDecision[];
}
