/**
 * docker-compose.yml cannot run here (no Docker engine), so it is checked against Orderflow's own
 * configuration: each process loads its compose environment through the same loader its main.ts calls.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { connectionFor, serviceNames } from '../../lib/database/index.js';
import { startableServices } from '../../scripts/start/start-config.js';
import { DEV_FINGERPRINT_KEY, loadPaymentServiceConfig } from '../../services/payment/payment-config.js';
import { embeddedZeebeDefaults } from '../../workers/zeebe-client.js';
import {
  dependenciesOf,
  environmentOf,
  interpolate,
  loadComposeFile,
  MissingComposeVariableError,
  parseComposeText,
  portMappings,
  readEnvFile,
  requiredVariables,
  type ComposeFile,
  type ComposeService,
} from './compose-file.js';
import {
  orderflowProcesses,
  readsVariable,
  zeebeAddressOf,
  zeebeAuthStrategyOf,
  type OrderflowProcess,
  type OrderflowProcessName,
  type ProcessConfig,
} from './orderflow-processes.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const composePath = path.join(root, 'docker-compose.yml');
const composeText = readFileSync(composePath, 'utf8');
/** The environment a user starts from: docker/orderflow.env.example copied to .env. */
const exampleEnvironment = readEnvFile(path.join(root, 'docker/orderflow.env.example'));
const compose = loadComposeFile(composePath, exampleEnvironment);

const processNames = Object.keys(orderflowProcesses) as OrderflowProcessName[];
const loopback = /127\.0\.0\.1|localhost|\[?::1\]?(?![0-9a-f:])/i;

function serviceNamed(name: string): ComposeService {
  const service = compose.services[name];
  if (!service) throw new Error(`Expected docker-compose.yml to define service ${name}, but it does not`);
  return service;
}

/** The one service running `image` (e.g. `postgres:`), by name. */
function serviceRunning(imagePrefix: string, file: ComposeFile = compose): string {
  const names = Object.entries(file.services).filter(([, service]) => service.image?.startsWith(imagePrefix)).map(([name]) => name);
  if (names.length !== 1) throw new Error(`Expected one service with image ${imagePrefix}…, but found ${names.length}`);
  return names[0]!;
}

function configOf(name: OrderflowProcessName): ProcessConfig {
  const orderflowProcess: OrderflowProcess = orderflowProcesses[name];
  return orderflowProcess.load(environmentOf(serviceNamed(name)));
}

function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(stringsIn);
  return [];
}

function commandOf(service: ComposeService): string[] {
  return typeof service.command === 'string' ? service.command.split(' ') : (service.command ?? []);
}

const postgres = serviceRunning('postgres:15');
const rabbitmq = serviceRunning('rabbitmq:3.13-management');
const camunda = serviceRunning('camunda/camunda:');
const elasticsearch = serviceRunning('docker.elastic.co/elasticsearch/elasticsearch:8.');

describe('docker-compose.yml: secrets', () => {
  it.each(requiredVariables(composeText))('When %s is missing, then Compose refuses to start and names it', (missing) => {
    const { [missing]: _omitted, ...incomplete } = exampleEnvironment;
    expect(() => loadComposeFile(composePath, incomplete)).toThrow(`Expected ${missing} to be set`);
  });

  it('When .env is copied from docker/orderflow.env.example, then it sets every variable the file requires', () => {
    expect(requiredVariables(composeText).filter((name) => !(name in exampleEnvironment))).toEqual([]);
  });

  it('Then no password, secret or key is written into the file: each comes from a required variable', () => {
    const raw = parseComposeText(composeText);
    const literalSecrets = Object.entries(raw.services).flatMap(([serviceName, service]) =>
      Object.entries(environmentOf(service))
        .filter(([name]) => /PASS|SECRET|KEY/.test(name))
        .filter(([, value]) => !/^\$\{[A-Z0-9_]+:\?[^}]*\}$/.test(value))
        .map(([name]) => `${serviceName}.${name}`),
    );
    expect(literalSecrets).toEqual([]);
  });
});

describe('docker-compose.yml: Orderflow processes', () => {
  it('Then the services and the workers run, each from docker/Dockerfile with its own main.ts, compiled', () => {
    expect([...processNames].sort()).toEqual([...startableServices, 'workers'].sort());
    const builtFromOurImage = Object.entries(compose.services)
      .filter(([, service]) => typeof service.build === 'object' && service.build.dockerfile === 'docker/Dockerfile')
      .map(([name]) => name);
    expect(builtFromOurImage.sort()).toEqual([...processNames].sort());
    for (const name of processNames) {
      const { entry } = orderflowProcesses[name];
      expect(commandOf(serviceNamed(name)).at(-1), name).toBe(`build/${entry.replace(/\.ts$/, '.js')}`);
      expect(existsSync(path.join(root, entry)), entry).toBe(true);
    }
  });

  it('When a made-up variable is probed, then no process reads it (the probe itself works)', () => {
    for (const name of processNames) {
      expect(readsVariable(orderflowProcesses[name], 'ORDERFLOW_NO_SUCH_SETTING')).toBe(false);
      expect(readsVariable(orderflowProcesses[name], 'RABBITMQ_URL')).toBe(true);
    }
  });

  it.each(processNames)('When %s loads its compose environment, then every variable set is one it reads', (name) => {
    const unread = Object.keys(environmentOf(serviceNamed(name))).filter((variable) => !readsVariable(orderflowProcesses[name], variable));
    expect(unread).toEqual([]);
  });

  it.each(processNames)('When %s loads its compose environment, then no setting is left at the embedded defaults (127.0.0.1)', (name) => {
    const environment = environmentOf(serviceNamed(name));
    const config = configOf(name);
    expect(stringsIn(config).filter((value) => loopback.test(value))).toEqual([]);
    expect(Object.entries(environment).filter(([, value]) => loopback.test(value))).toEqual([]);
    if (orderflowProcesses[name].usesZeebe) expect(zeebeAddressOf(config, environment)).not.toBe(embeddedZeebeDefaults.ZEEBE_GRPC_ADDRESS);
  });

  it.each(processNames)('When %s starts, then it listens on all interfaces on the port its config expects, and that port is published', (name) => {
    const config = configOf(name);
    const ports = portMappings(serviceNamed(name));
    if (config.port === undefined) {
      expect(ports).toEqual([]);
      return;
    }
    expect(config.host).toBe('0.0.0.0');
    expect(ports.map((port) => ({ published: port.published, target: port.target }))).toContainEqual({ published: config.port, target: config.port });
  });

  // Shoppers' browsers call Order (the checkout page, /orders) and Payment (/cards, sent straight from the page); only ops call the others.
  it.each([
    ['order', undefined],
    ['payment', undefined],
    ['inventory', '127.0.0.1'],
    ['shipping', '127.0.0.1'],
  ] as const)('When %s is published, then it is on host address %s (every interface when undefined)', (name, hostIp) => {
    expect(portMappings(serviceNamed(name)).map((port) => port.hostIp)).toEqual([hostIp]);
  });

  it.each(['order', 'payment', 'inventory', 'shipping'] as const)('When %s loads its compose environment, then its operator endpoints take the ops token from .env, and no read token unless .env sets one', (name) => {
    expect(configOf(name).opsTokens).toEqual({ opsToken: exampleEnvironment.ORDERFLOW_OPS_TOKEN, readToken: undefined });
    const withReadToken = loadComposeFile(composePath, { ...exampleEnvironment, ORDERFLOW_OPS_READ_TOKEN: 'read-only-token' });
    expect(orderflowProcesses[name].load(environmentOf(withReadToken.services[name]!)).opsTokens?.readToken).toBe('read-only-token');
  });

  it.each(processNames)('When %s starts, then it waits until what it connects to is healthy, and connects to that service', (name) => {
    const config = configOf(name);
    const environment = environmentOf(serviceNamed(name));
    const expected: Record<string, string> = {};
    if (config.database) {
      expected[postgres] = 'service_healthy';
      expect(config.database.host).toBe(postgres);
    }
    if (config.messaging) {
      expected[rabbitmq] = 'service_healthy';
      expect(new URL(config.messaging.url).hostname).toBe(rabbitmq);
    }
    if (orderflowProcesses[name].usesZeebe) {
      expected[camunda] = 'service_healthy';
      expect(zeebeAddressOf(config, environment)).toBe(`grpc://${camunda}:26500`);
    }
    expect(dependenciesOf(serviceNamed(name))).toMatchObject(expected);
    for (const dependency of Object.keys(expected)) expect(serviceNamed(dependency).healthcheck?.test, dependency).toBeDefined();
  });

  it.each(processNames.filter((name) => configOf(name).port !== undefined))('When %s serves, then its healthcheck asks its own port', (name) => {
    const environment = environmentOf(serviceNamed(name));
    const test = serviceNamed(name).healthcheck?.test;
    expect(Array.isArray(test) && test[0] === 'CMD-SHELL').toBe(true);
    // The container's shell expands ${ORDER_PORT}; do the same with the service's environment.
    const command = (test as string[])[1]!.replace(/\$\{([A-Z0-9_]+)\}/g, (_match, variable: string) => environment[variable] ?? '');
    expect(command).toContain(`node docker/healthcheck.mjs "http://127.0.0.1:${configOf(name).port}/`);
  });

  it('When payment starts from its compose environment, then it uses the fingerprint key from .env, not the development key', () => {
    const config = loadPaymentServiceConfig(environmentOf(serviceNamed('payment')));
    expect(config.fingerprintKey).toBe(exampleEnvironment.PAYMENT_FINGERPRINT_KEY);
    expect(config.fingerprintKey).not.toBe(DEV_FINGERPRINT_KEY);
  });

  it('Then every service restarts by itself', () => {
    const withoutPolicy = Object.entries(compose.services).filter(([, service]) => !['always', 'unless-stopped', 'on-failure'].includes(service.restart ?? ''));
    expect(withoutPolicy.map(([name]) => name)).toEqual([]);
  });

  it('Then the embedded engine is not part of it', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      expect(commandOf(service).join(' '), name).not.toMatch(/infra\/engine|npm (run )?(start|engine)/);
      expect(Object.keys(environmentOf(service)).filter((variable) => variable.startsWith('ORDERFLOW_ENGINE_')), name).toEqual([]);
    }
  });
});

describe('docker-compose.yml: Camunda 8.8', () => {
  const service = serviceNamed(camunda);
  const environment = environmentOf(service);

  it('Then it runs the 8.8 orchestration cluster and publishes the gateway (26500), REST (8080) and management (9600) ports', () => {
    expect(service.image).toMatch(/^camunda\/camunda:8\.8\.\d+$/);
    expect(environment.SPRING_PROFILES_ACTIVE?.split(',')).toEqual(expect.arrayContaining(['broker', 'operate', 'tasklist']));
    const targets = portMappings(service).map((port) => [port.published, port.target]);
    expect(targets).toEqual(expect.arrayContaining([[26500, 26500], [8080, 8080], [9600, 9600]]));
  });

  it('Then its secondary storage is the Elasticsearch service, and it starts after that is healthy', () => {
    expect(environment.CAMUNDA_DATA_SECONDARYSTORAGE_TYPE).toBe('elasticsearch');
    expect(new URL(environment.CAMUNDA_DATA_SECONDARYSTORAGE_ELASTICSEARCH_URL!).host).toBe(`${elasticsearch}:9200`);
    expect(dependenciesOf(service)).toMatchObject({ [elasticsearch]: 'service_healthy' });
    expect(environmentOf(serviceNamed(elasticsearch))['discovery.type']).toBe('single-node');
  });

  it('When the workers connect without credentials (CAMUNDA_AUTH_STRATEGY=NONE), then the API accepts them, and is published on the host loopback only', () => {
    const strategies = processNames.filter((name) => orderflowProcesses[name].usesZeebe).map((name) => zeebeAuthStrategyOf(configOf(name), environmentOf(serviceNamed(name))));
    expect(new Set(strategies)).toEqual(new Set(['NONE']));
    expect(environment.CAMUNDA_SECURITY_AUTHENTICATION_UNPROTECTEDAPI).toBe('true');
    expect(portMappings(service).map((port) => port.hostIp)).toEqual(portMappings(service).map(() => '127.0.0.1'));
  });
});

describe('docker-compose.yml: PostgreSQL and RabbitMQ', () => {
  const orderDatabase = configOf('order').database!;

  it('Then the services connect as the superuser the postgres image creates, so they may create a missing database', () => {
    const server = environmentOf(serviceNamed(postgres));
    for (const name of processNames.filter((candidate) => configOf(candidate).database)) {
      const database = configOf(name).database!;
      expect({ user: database.user, password: database.password }, name).toEqual({ user: server.POSTGRES_USER, password: server.POSTGRES_PASSWORD });
    }
  });

  it('When PostgreSQL first starts, then its init script creates exactly the four service databases', () => {
    const mount = (serviceNamed(postgres).volumes ?? []).map(String).find((volume) => volume.includes('/docker-entrypoint-initdb.d/'));
    expect(mount).toBeDefined();
    const script = readFileSync(path.join(root, mount!.split(':')[0]!), 'utf8');
    const created = [...script.matchAll(/^CREATE DATABASE (\w+);$/gm)].map((match) => match[1]);
    expect(created.sort()).toEqual(serviceNames.map((service) => connectionFor(service, orderDatabase).database).sort());
  });

  it('Then the processes log in to RabbitMQ as the user the broker is created with', () => {
    const broker = environmentOf(serviceNamed(rabbitmq));
    for (const name of processNames) {
      const url = new URL(configOf(name).messaging!.url);
      expect({ user: decodeURIComponent(url.username), password: decodeURIComponent(url.password) }, name).toEqual({
        user: broker.RABBITMQ_DEFAULT_USER,
        password: broker.RABBITMQ_DEFAULT_PASS,
      });
    }
  });
});

describe('docker/Dockerfile', () => {
  const dockerfile = readFileSync(path.join(root, 'docker/Dockerfile'), 'utf8');
  const ignored = readFileSync(path.join(root, 'docker/Dockerfile.dockerignore'), 'utf8').split('\n');

  it('Then it installs with npm ci on Node 20, compiles the sources to build/, and runs them on Node alone', () => {
    expect([...dockerfile.matchAll(/^FROM (\S+)/gm)].map((match) => match[1])).toEqual([expect.stringMatching(/^node:20/), expect.stringMatching(/^node:20/)]);
    expect(dockerfile).toMatch(/^RUN npm ci\b/m);
    expect(dockerfile).toMatch(/npm run build -- --link build\b/);
    expect(dockerfile).toMatch(/^ENTRYPOINT \["node", "--enable-source-maps"\]$/m);
    expect(dockerfile).toMatch(/^CMD \["build\/workers\/main\.js"\]$/m);
  });

  it('Then the build context leaves out node_modules and generated clients, but keeps the healthcheck script', () => {
    expect(ignored).toEqual(expect.arrayContaining(['**/node_modules', '**/generated']));
    expect(ignored.filter((pattern) => /^docker\b/.test(pattern))).toEqual([]);
    expect(existsSync(path.join(root, 'docker/healthcheck.mjs'))).toBe(true);
  });
});

describe('compose interpolation (the test helper)', () => {
  it.each([
    ['${A}', { A: 'a' }, 'a'],
    ['${A:-fallback}', {}, 'fallback'],
    ['${A:-fallback}', { A: '' }, 'fallback'],
    ['${A-fallback}', { A: '' }, ''],
    ['$${A}', { A: 'a' }, '${A}'],
    ['x${A:?needed}y', { A: 'a' }, 'xay'],
  ] as const)('%s with %o is %s', (text, env, expected) => {
    expect(interpolate(text, env)).toBe(expected);
  });

  it('When a required variable is unset, then it throws with the message', () => {
    expect(() => interpolate('${A:?set A}', {})).toThrow(MissingComposeVariableError);
  });
});
