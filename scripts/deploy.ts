/**
 * `npm run deploy -- processes/*.bpmn decisions/*.dmn`: lints every file, then deploys them all in
 * one deployment and says per process which version Zeebe made and what changed against the last
 * deployed version, and per decision which version Zeebe answered. Nothing is deployed while any
 * file has a lint error. `--help` lists the options and exit codes.
 */
import { parseArgs } from 'node:util';
import { lintDocuments, loadLintConfig } from './deploy/bpmn-lint.js';
import { loadDeployConfig, type DeployConfig } from './deploy/deploy-config.js';
import { lintReportLines, lintSummaryLine } from './deploy/lint-report.js';
import { DeployUsageError, DeploymentRejectedError, GatewayUnreachableError } from './deploy/errors.js';
import { ExitCode } from './deploy/exit-codes.js';
import { prepareCommandLineEnvironment } from './deploy/gateway-environment.js';
import { assertModelFiles, isModelDocument, readModelDocument } from './deploy/model-document.js';

const HELP = `Usage: npm run deploy -- [options] <file.bpmn|file.dmn>...

Lints every BPMN file with bpmnlint (.bpmnlintrc: bpmnlint:recommended and camunda-compat for the
target Camunda version) and checks every DMN file with the embedded engine's DMN parser, then
deploys all of them in one deployment: all or nothing. Nothing is deployed while any file has a lint
error, is not parseable BPMN or is DMN the engine would refuse. Per process it prints the
bpmnProcessId, the process definition key, the version and what changed against the last deployed
version; per decision the decision id, the decision key and the version Zeebe answered (decisions
are not compared with a deployed version: the embedded engine's REST API serves no decision
definitions).

Options
  --dry-run                 lint and show what would change; deploy nothing
  --lint-only               lint and report; no engine needed
  --target <name>           'embedded' (default): the embedded engine, grpc://127.0.0.1:26500, no auth.
                            Any other name (e.g. saas, staging) deploys to the cluster the SDK's
                            variables describe; ZEEBE_GRPC_ADDRESS and CAMUNDA_AUTH_STRATEGY must be set.
  --camunda-version <x.y>   the Camunda version the models run on (default 8.8); picks the
                            camunda-compat rule set
  -h, --help                this text

Environment
  ZEEBE_GRPC_ADDRESS        gateway, e.g. grpc://127.0.0.1:26500, grpcs://<cluster-id>.<region>.zeebe.camunda.io:443
  CAMUNDA_AUTH_STRATEGY     NONE (embedded default), OAUTH (SaaS, self-managed with Identity), BASIC
  ZEEBE_CLIENT_ID, ZEEBE_CLIENT_SECRET, CAMUNDA_OAUTH_URL, ZEEBE_TOKEN_AUDIENCE
                            the SDK's OAuth variables for Camunda 8 SaaS or self-managed
  CAMUNDA_REST_ADDRESS      Camunda 8.8 REST API, read for the last deployed version
                            (embedded default http://127.0.0.1:8080; no default for other targets);
                            with OAUTH it uses CAMUNDA_CLIENT_ID/SECRET, else ZEEBE_CLIENT_ID/SECRET
  ORDERFLOW_OPS_TOKEN       bearer token for the embedded engine's REST API
  ORDERFLOW_CAMUNDA_VERSION same as --camunda-version
  ORDERFLOW_DEPLOY_TARGET   same as --target
  ORDERFLOW_DEPLOY_REST_TIMEOUT_MS  how long to wait for the REST API (default 10000)

Examples
  npm run deploy -- processes/*.bpmn              the embedded engine (start it with: npm run engine)
  npm run deploy -- processes/*.bpmn decisions/*.dmn
                                                  processes and the decisions they call, in one deployment
  npm run deploy -- --dry-run processes/*.bpmn    what would change, nothing deployed
  ZEEBE_GRPC_ADDRESS=grpcs://<cluster-id>.<region>.zeebe.camunda.io:443 CAMUNDA_AUTH_STRATEGY=OAUTH \\
  ZEEBE_CLIENT_ID=... ZEEBE_CLIENT_SECRET=... CAMUNDA_OAUTH_URL=https://login.cloud.camunda.io/oauth/token \\
  CAMUNDA_REST_ADDRESS=https://<region>.zeebe.camunda.io/<cluster-id> \\
  npm run deploy -- --target saas processes/*.bpmn

Exit codes
  0  linted and deployed (or the dry run / lint-only run finished)
  1  a file has a lint error, is not parseable BPMN or is DMN the engine would refuse; nothing deployed
  2  bad command line (e.g. a file that is neither .bpmn nor .dmn) or environment; nothing done
  3  no Zeebe gateway answered; nothing deployed (start the embedded engine with: npm run engine)
  4  the gateway refused the deployment; nothing deployed
  5  unexpected failure
`;

interface CommandLine {
  files: string[];
  dryRun: boolean;
  lintOnly: boolean;
  config: DeployConfig;
}

const print = (line = '') => process.stdout.write(`${line}\n`);
const printError = (line: string) => process.stderr.write(`${line}\n`);

async function main(argv: string[]): Promise<number> {
  const commandLine = parseCommandLine(argv);
  if (commandLine === 'help') {
    print(HELP);
    return ExitCode.OK;
  }
  const { files, config } = commandLine;
  const lintConfig = await loadLintConfig(config.camundaVersion);
  print(`Linting ${files.length === 1 ? '1 file' : `${files.length} files`} for Camunda ${config.camundaVersion} (${lintConfig.extends.join(', ')})`);
  const documents = await Promise.all(files.map(readModelDocument));
  const results = await lintDocuments(documents, lintConfig);
  lintReportLines(results).forEach((line) => print(line));
  print(lintSummaryLine(results));
  if (results.some((result) => result.errorCount > 0)) {
    printError('Nothing deployed: fix the errors above first.');
    return ExitCode.LINT_ERRORS;
  }
  if (commandLine.lintOnly) return ExitCode.OK;
  prepareCommandLineEnvironment(config.target);
  // Loaded only now: the SDK reads its variables when first imported, and takes a while to load
  // (--lint-only runs in `npm test`).
  const { deployDocuments } = await import('./deploy/deploy-documents.js');
  return deployDocuments(documents.filter(isModelDocument), { dryRun: commandLine.dryRun, config }, print);
}

function parseCommandLine(argv: string[]): CommandLine | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        'dry-run': { type: 'boolean', default: false },
        'lint-only': { type: 'boolean', default: false },
        target: { type: 'string' },
        'camunda-version': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new DeployUsageError((error as Error).message);
  }
  if (parsed.values.help) return 'help';
  if (parsed.positionals.length === 0) throw new DeployUsageError('Expected at least one .bpmn or .dmn file, but none was given');
  assertModelFiles(parsed.positionals);
  return {
    files: parsed.positionals,
    dryRun: parsed.values['dry-run'],
    lintOnly: parsed.values['lint-only'],
    config: loadDeployConfig({ camundaVersion: parsed.values['camunda-version'], target: parsed.values.target }),
  };
}

function exitCodeFor(error: unknown): number {
  if (error instanceof DeployUsageError) {
    printError(`${error.message}\nRun with --help for the options.`);
    return ExitCode.USAGE;
  }
  if (error instanceof GatewayUnreachableError) {
    printError(`${error.message}. Nothing deployed.\nStart the embedded engine with: npm run engine  (or point ZEEBE_GRPC_ADDRESS at your cluster)`);
    return ExitCode.GATEWAY_UNREACHABLE;
  }
  if (error instanceof DeploymentRejectedError) {
    printError(`${error.message}\nNothing deployed.`);
    return ExitCode.DEPLOYMENT_REJECTED;
  }
  printError(`Deploy failed unexpectedly: ${(error as Error)?.stack ?? String(error)}`);
  return ExitCode.UNEXPECTED;
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (error: unknown) => { process.exitCode = exitCodeFor(error); },
);
