/**
 * Lints BPMN documents with bpmnlint's Node API under the project's .bpmnlintrc, with the
 * camunda-compat rule set of the Camunda version the models are deployed to. DMN documents have no
 * bpmnlint: their findings are the problems the engine's DMN parser found (dmn-document.ts).
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { BpmnDocument } from './bpmn-document.js';
import type { DmnDocument } from './dmn-document.js';
import { DeployUsageError } from './errors.js';
import { isModelDocument, type ModelDocument, type UnreadableModel } from './model-document.js';
import { projectPath } from '../../lib/project/project-root.js';

export const Severity = { ERROR: 'error', WARNING: 'warning' } as const;
export type Severity = (typeof Severity)[keyof typeof Severity];

export interface LintFinding {
  /** The element the finding is about; undefined for findings about the whole file. */
  elementId: string | undefined;
  rule: string;
  message: string;
  severity: Severity;
}

export interface FileLintResult {
  file: string;
  findings: LintFinding[];
  errorCount: number;
  warningCount: number;
}

export interface LintConfig {
  extends: string[];
  rules: Record<string, unknown>;
}

interface LintReport { id?: string; message: string; category: string }
interface BpmnLinter { lint(definitions: unknown): Promise<Record<string, LintReport[]>> }

// bpmnlint and its plugin are CommonJS without type declarations.
const require = createRequire(import.meta.url);
const { Linter } = require('bpmnlint') as { Linter: new (options: { config: LintConfig; resolver: unknown }) => BpmnLinter };
const NodeResolver = require('bpmnlint/lib/resolver/node-resolver') as new () => unknown;
const camundaCompat = require('bpmnlint-plugin-camunda-compat') as { configs: Record<string, unknown> };

const PROJECT_LINT_CONFIG = projectPath('.bpmnlintrc');
const CAMUNDA_COMPAT = /^plugin:camunda-compat\/camunda-cloud-\d+-\d+$/;

/**
 * The project's .bpmnlintrc with its camunda-compat entry set to the target version.
 * @throws DeployUsageError when bpmnlint-plugin-camunda-compat has no rule set for that version.
 */
export async function loadLintConfig(camundaVersion: string, configFile = PROJECT_LINT_CONFIG): Promise<LintConfig> {
  const compatConfig = `camunda-cloud-${camundaVersion.replace('.', '-')}`;
  if (!(compatConfig in camundaCompat.configs)) {
    const known = Object.keys(camundaCompat.configs).filter((name) => name.startsWith('camunda-cloud-')).map((name) => name.slice('camunda-cloud-'.length).replace('-', '.'));
    throw new DeployUsageError(`Expected a Camunda version bpmnlint-plugin-camunda-compat has rules for (${known.join(', ')}), but got ${camundaVersion}`);
  }
  const projectConfig = JSON.parse(await readFile(configFile, 'utf8')) as { extends?: string | string[]; rules?: Record<string, unknown> };
  const extendsList = [projectConfig.extends ?? []].flat().filter((name) => !CAMUNDA_COMPAT.test(name));
  return { extends: [...extendsList, `plugin:camunda-compat/${compatConfig}`], rules: projectConfig.rules ?? {} };
}

/** Lints each document; a file that could not be read as BPMN gets one error finding saying why. */
export async function lintDocuments(documents: (ModelDocument | UnreadableModel)[], config: LintConfig): Promise<FileLintResult[]> {
  const results: FileLintResult[] = [];
  for (const document of documents) {
    const findings = isModelDocument(document)
      ? await findingsOf(document, config)
      : [{ elementId: undefined, rule: document.stage, message: document.problem, severity: Severity.ERROR }];
    const errorCount = findings.filter((f) => f.severity === Severity.ERROR).length;
    results.push({ file: document.file, findings, errorCount, warningCount: findings.length - errorCount });
  }
  return results;
}

async function findingsOf(document: ModelDocument, config: LintConfig): Promise<LintFinding[]> {
  if (document.kind === 'dmn') return dmnFindings(document);
  // A linter per file, as bpmnlint's CLI does: some rules keep state across the files they see.
  const linter = new Linter({ config, resolver: new NodeResolver() });
  return [...importFindings(document), ...reportFindings(await linter.lint(document.definitions))];
}

/** Every problem is an error: the engine would refuse the whole deployment for it. */
function dmnFindings(document: DmnDocument): LintFinding[] {
  return document.problems.map((problem) => ({ elementId: problem.elementId, rule: 'dmn', message: problem.message, severity: Severity.ERROR }));
}

/** bpmnlint's CLI fails a file on moddle import warnings too: an unknown element would not deploy as drawn. */
function importFindings(document: BpmnDocument): LintFinding[] {
  return document.importWarnings.map((warning) => ({
    elementId: warning.element?.id,
    rule: 'import',
    message: warning.message.split('\n')[0]!,
    severity: Severity.ERROR,
  }));
}

function reportFindings(reports: Record<string, LintReport[]>): LintFinding[] {
  return Object.entries(reports).flatMap(([rule, list]) => list.map((report) => ({
    elementId: report.id,
    rule,
    message: report.message,
    // bpmnlint's 'rule-error' is a rule that crashed: as serious as an error, since nothing was checked.
    severity: report.category === 'warn' || report.category === 'info' ? Severity.WARNING : Severity.ERROR,
  })));
}
