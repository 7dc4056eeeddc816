/**
 * `npm run deploy` as an engineer runs it: the CLI as a child process against an embedded engine
 * started in the test on free ports (gRPC gateway and Camunda 8.8 REST API), reached only through
 * the SDK's own variables. What was deployed is checked in the engine itself.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEngineServer, type EngineServer } from '../../infra/engine/engine-server.js';
import { freePorts } from '../../scripts/system/free-ports.js';
import { CheckoutProcessClient, checkoutBpmnPath, zeebeSettingsFromEnvironment } from '../../services/order/checkout-process/checkout-process-client.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const fixture = (name: string) => path.join(root, 'test/deploy/fixtures', name);
const OPS_TOKEN = 'deploy-cli-test-token';
// Each case starts the CLI once or twice; tsx and the SDK take seconds to load on a busy machine.
const CLI_TEST_TIMEOUT_MS = 90_000;

interface CliRun { code: number | null; stdout: string; stderr: string }

/** Runs `tsx scripts/deploy.ts` with only the variables given here, so the caller's shell cannot leak in. */
async function deployCli(args: string[], env: Record<string, string>): Promise<CliRun> {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(ZEEBE_|CAMUNDA_|ORDERFLOW_)/.test(name)));
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'scripts/deploy.ts'), ...args], { cwd: root, env: { ...inherited, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stdout, stderr };
}

let engine: EngineServer;
let workDir: string;
let env: Record<string, string>;

beforeEach(async () => {
  engine = await startEngineServer({ opsToken: OPS_TOKEN });
  workDir = await mkdtemp(path.join(tmpdir(), 'orderflow-deploy-'));
  env = {
    ZEEBE_GRPC_ADDRESS: `grpc://${engine.grpcAddress}`,
    CAMUNDA_AUTH_STRATEGY: 'NONE',
    CAMUNDA_REST_ADDRESS: `http://127.0.0.1:${engine.restPort}`,
    ORDERFLOW_OPS_TOKEN: OPS_TOKEN,
  };
});

afterEach(async () => {
  await engine.close();
  await rm(workDir, { recursive: true, force: true });
});

/** The engine's process definitions, then its decisions, as `id@version`. */
const deployedVersions = () => [
  ...engine.engine.state.definitions().map((d) => `${d.bpmnProcessId}@${d.version}`),
  ...engine.engine.state.decisions.allRequirements()
    .flatMap(({ key }) => engine.engine.state.decisions.decisionsOf(key))
    .map(({ value }) => `${value.decisionId}@${value.version}`),
];

/** Puts a fixture in the work directory under the name an engineer's file would keep across edits. */
async function workFile(fixtureName: string, name = 'order-review.bpmn'): Promise<string> {
  const target = path.join(workDir, name);
  await copyFile(fixture(fixtureName), target);
  return target;
}

/** Given the file deployed as `deployed`, then edited by the engineer into `edited`. */
async function deployedThenEdited(deployed: string, edited: string, name?: string): Promise<string> {
  const file = await workFile(deployed, name);
  const run = await deployCli([file], env);
  expect(run.code, run.stderr).toBe(0);
  await copyFile(fixture(edited), file);
  return file;
}

/** Every way a run is refused: the exit code, what it says (stdout and stderr), and that no file was deployed. */
const refusals = [
  {
    when: 'a file has a lint error',
    args: [fixture('order-review-v1.bpmn'), fixture('missing-job-type.bpmn')],
    unset: [],
    code: 1,
    says: [
      `${fixture('missing-job-type.bpmn')}: refund-without-job-type  camunda-compat/implementation  Element of type <bpmn:ServiceTask> must have one extension element of type <zeebe:TaskDefinition>`,
      `${fixture('missing-job-type.bpmn')}: 1 error, 0 warnings`,
      'Nothing deployed: fix the errors above first.',
    ],
  },
  {
    when: 'a file is not parseable BPMN',
    args: [fixture('order-review-v1.bpmn'), fixture('broken.bpmn')],
    unset: [],
    code: 1,
    says: [`${fixture('broken.bpmn')}: -  parse  not parseable BPMN: unparsable content </bpmn:process> detected`],
  },
  {
    when: 'a DMN file has a problem the engine would refuse it for',
    args: [fixture('order-review-level.bpmn'), fixture('review-level-broken.dmn')],
    unset: [],
    code: 1,
    says: [`${fixture('review-level-broken.dmn')}: large-order  dmn  FEEL unary-tests: failed to parse expression '[500..'`, 'Nothing deployed: fix the errors above first.'],
  },
  {
    when: 'a file is neither .bpmn nor .dmn',
    args: [fixture('order-review-v1.bpmn'), fixture('order-review.form')],
    unset: [],
    code: 2,
    says: [`Expected .bpmn or .dmn files, but got ${fixture('order-review.form')}`],
  },
  {
    when: 'the gateway refuses one file of several',
    args: [fixture('order-review-v1.bpmn'), fixture('camunda-user-task.bpmn')],
    unset: [],
    code: 4,
    says: ['Expected the gateway to accept the deployment, but it refused it', "'camunda-user-task.bpmn'", 'Nothing deployed.'],
  },
  {
    when: 'a named target has no gateway address',
    args: ['--target', 'staging', fixture('order-review-v1.bpmn')],
    unset: ['ZEEBE_GRPC_ADDRESS'],
    code: 2,
    says: ["Expected ZEEBE_GRPC_ADDRESS to be set for target 'staging', but it is not"],
  },
];

describe('npm run deploy', () => {
  it.each(refusals)('When $when, then it exits $code, says why, and deploys no file', async ({ args, unset, code, says }) => {
    const run = await deployCli(args, Object.fromEntries(Object.entries(env).filter(([name]) => !unset.includes(name))));

    expect(run.code).toBe(code);
    for (const text of says) expect(`${run.stdout}${run.stderr}`).toContain(text);
    expect(deployedVersions()).toEqual([]);
  }, CLI_TEST_TIMEOUT_MS);

  it('When run with --dry-run, then it says what would be deployed and deploys nothing', async () => {
    const run = await deployCli(['--dry-run', fixture('order-review-v1.bpmn'), fixture('review-level.dmn')], env);

    expect(run.code).toBe(0);
    expect(run.stdout).toContain('new process (would be version 1)');
    expect(run.stdout).toContain(`review-level (${fixture('review-level.dmn')})\n  new decision (would be version 1)\n`);
    expect(deployedVersions()).toEqual([]);
  }, CLI_TEST_TIMEOUT_MS);

  it('When a process with a business rule task is deployed with its DMN file, then both go in one deployment and each is reported with key and version', async () => {
    const [bpmnFile, dmnFile] = [fixture('order-review-level.bpmn'), fixture('review-level.dmn')];

    const run = await deployCli([bpmnFile, dmnFile], env);

    expect(run.code, run.stderr).toBe(0);
    const process = engine.engine.state.definitions()[0]!;
    const decision = engine.engine.state.decisions.latestDecision('review-level')!;
    expect(run.stdout).toContain(`Deployed: deployment key ${decision.value.deploymentKey}\n`);
    expect(run.stdout).toContain(`order-review-level  key ${process.key}  version 1  (${bpmnFile})\n  new process\n`);
    expect(run.stdout).toContain(`review-level  key ${decision.key}  version 1  (${dmnFile})\n  new decision\n`);
    expect(deployedVersions()).toEqual(['order-review-level@1', 'review-level@1']);
  }, CLI_TEST_TIMEOUT_MS);

  it('When a process is deployed for the first time, then it prints its key, version 1 and "new process"', async () => {
    const run = await deployCli([await workFile('order-review-v1.bpmn')], env);

    expect(run.code).toBe(0);
    const key = engine.engine.state.definitions()[0]?.key;
    expect(run.stdout).toMatch(new RegExp(`order-review  key ${key}  version 1 .*\\n  new process\\n`));
    expect(deployedVersions()).toEqual(['order-review@1']);
  }, CLI_TEST_TIMEOUT_MS);

  it('When a changed file is deployed, then it prints version 2 with the added and changed element ids', async () => {
    const file = await deployedThenEdited('order-review-v1.bpmn', 'order-review-v2.bpmn');

    const run = await deployCli([file], env);

    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/order-review {2}key \d+ {2}version 2 /);
    expect(run.stdout).toContain('changed against version 1:');
    expect(run.stdout).toContain('+ added    notify-reviewer "Notify reviewer" (bpmn:ServiceTask)');
    expect(run.stdout).toContain('~ changed  check-order "Check order and stock" (bpmn:ServiceTask): name, extensionElements');
    expect(deployedVersions()).toEqual(['order-review@1', 'order-review@2']);
  }, CLI_TEST_TIMEOUT_MS);

  it('When a changed DMN file is deployed, then each decision prints version 2 with the parts of it that changed', async () => {
    const file = await deployedThenEdited('review-level.dmn', 'review-level-v2.dmn', 'review-level.dmn');

    const run = await deployCli([file], env);

    expect(run.code, run.stderr).toBe(0);
    const decision = engine.engine.state.decisions.latestDecision('review-level')!;
    expect(run.stdout).toContain(`review-level  key ${decision.key}  version 2  (${file})\n`
      + '  changed against version 1:\n    ~ changed  review-level "Review level": logic\n');
    expect(deployedVersions()).toEqual(['review-level@1', 'review-level@2']);
  }, CLI_TEST_TIMEOUT_MS);

  it.each([
    { kind: 'BPMN', fixtureName: 'order-review-v1.bpmn', name: 'order-review.bpmn', id: 'order-review' },
    { kind: 'DMN', fixtureName: 'review-level.dmn', name: 'review-level.dmn', id: 'review-level' },
  ])('When an identical $kind file is deployed again, then $id prints the same version as an unchanged duplicate', async ({ fixtureName, name, id }) => {
    const file = await workFile(fixtureName, name);
    await deployCli([file], env);

    const run = await deployCli([file], env);

    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`${id} {2}key \\d+ {2}version 1 .*\\n {2}unchanged \\(duplicate, version kept\\)\\n`));
    expect(deployedVersions()).toEqual([`${id}@1`]);
  }, CLI_TEST_TIMEOUT_MS);

  it('When a dry run follows a deployment, then it shows the changes against the deployed version and deploys nothing', async () => {
    const file = await deployedThenEdited('order-review-v1.bpmn', 'order-review-v2.bpmn');

    const run = await deployCli(['--dry-run', file], env);

    expect(run.code).toBe(0);
    expect(run.stdout).toContain('would be version 2, changed against version 1:');
    expect(run.stdout).toContain('+ added    notify-reviewer');
    expect(deployedVersions()).toEqual(['order-review@1']);
  }, CLI_TEST_TIMEOUT_MS);

  it('When no gateway answers, then it exits 3 naming the address and how to start the engine', async () => {
    const [closedPort] = await freePorts(1);
    const address = `grpc://127.0.0.1:${closedPort}`;

    const run = await deployCli([fixture('order-review-v1.bpmn')], { ...env, ZEEBE_GRPC_ADDRESS: address });

    expect(run.code).toBe(3);
    expect(run.stderr).toContain(`Expected a Zeebe gateway at ${address}, but none answered`);
    expect(run.stderr).toContain('npm run engine');
  }, CLI_TEST_TIMEOUT_MS);

  it('When the REST API cannot be reached, then it still deploys and says why the previous version is unknown', async () => {
    const [closedPort] = await freePorts(1);

    const run = await deployCli([fixture('order-review-v1.bpmn')], { ...env, CAMUNDA_REST_ADDRESS: `http://127.0.0.1:${closedPort}` });

    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`previous version unknown: cannot reach the REST API at http://127.0.0.1:${closedPort} (ECONNREFUSED)`);
    expect(deployedVersions()).toEqual(['order-review@1']);
  }, CLI_TEST_TIMEOUT_MS);

  it('When the same bytes were deployed under another resource name, then it says that the name made the new version', async () => {
    const file = await workFile('order-review-v1.bpmn');
    await engine.engine.deployResources([{ name: '/srv/other-checkout/order-review.bpmn', content: await readFile(file) }]);

    const run = await deployCli([file], env);

    expect(run.code).toBe(0);
    expect(run.stdout).toContain("no element changed (the XML is the same, but it was deployed as '/srv/other-checkout/order-review.bpmn' and now as 'order-review.bpmn'");
    expect(deployedVersions()).toEqual(['order-review@1', 'order-review@2']);
  }, CLI_TEST_TIMEOUT_MS);

  it('When the Order service has deployed checkout.bpmn at its start, then deploying the unchanged file keeps its version', async () => {
    const orderService = CheckoutProcessClient.connect(zeebeSettingsFromEnvironment(env));
    try {
      await orderService.deploy();
    } finally {
      await orderService.zeebe.close();
    }

    const run = await deployCli([checkoutBpmnPath], env);

    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('unchanged (duplicate, version kept)');
    expect(deployedVersions()).toEqual(['checkout@1']);
  }, CLI_TEST_TIMEOUT_MS);
});

describe('npm run deploy -- --lint-only', () => {
  it('When the target is Camunda 8.5, then the 8.5 camunda-compat rules refuse a version tag', async () => {
    const run = await deployCli(['--lint-only', '--camunda-version', '8.5', fixture('version-tagged.bpmn')], env);

    expect(run.code).toBe(1);
    expect(run.stdout).toContain('plugin:camunda-compat/camunda-cloud-8-5');
    expect(run.stdout).toContain(`${fixture('version-tagged.bpmn')}: version-tagged  camunda-compat/no-version-tag`);
  }, CLI_TEST_TIMEOUT_MS);

  it.each([
    { dmn: 'review-level.dmn', outcome: 'passes', code: 0, says: `${fixture('review-level.dmn')}: 0 errors, 0 warnings` },
    { dmn: 'review-level-broken.dmn', outcome: 'fails naming the rule', code: 1, says: `${fixture('review-level-broken.dmn')}: large-order  dmn  FEEL unary-tests: failed to parse expression '[500..'` },
  ])('When $dmn is linted and no engine answers, then it is checked as the engine would deploy it and $outcome', async ({ dmn, code, says }) => {
    const [closedGrpcPort, closedRestPort] = await freePorts(2);
    const noEngine = { ...env, ZEEBE_GRPC_ADDRESS: `grpc://127.0.0.1:${closedGrpcPort}`, CAMUNDA_REST_ADDRESS: `http://127.0.0.1:${closedRestPort}` };

    const run = await deployCli(['--lint-only', fixture(dmn)], noEngine);

    expect(run.code, run.stderr).toBe(code);
    expect(run.stdout).toContain(says);
  }, CLI_TEST_TIMEOUT_MS);

  it('When the target is Camunda 8.8 (the default), then the same version tag passes', async () => {
    const run = await deployCli(['--lint-only', fixture('version-tagged.bpmn')], env);

    expect(run.code).toBe(0);
    expect(run.stdout).toContain('plugin:camunda-compat/camunda-cloud-8-8');
  }, CLI_TEST_TIMEOUT_MS);
});
