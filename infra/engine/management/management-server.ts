/**
 * The engine's management HTTP port (Zeebe's 9600): readiness and health probes, Prometheus metrics
 * (at `/metrics` and, as on Zeebe, `/actuator/prometheus`), and Zeebe's clock actuator so a test
 * can move time the same way against real Zeebe started with `ZEEBE_CLOCK_CONTROLLED=true`
 * (Zeebe's `ActorClockEndpoint`).
 */
import type { AddressInfo } from 'node:net';
import { STATUS_CODES, type Server } from 'node:http';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { z } from 'zod';
import { metricsHandler } from '../../../lib/metrics/index.js';
import { CommandRejectedError, RejectionType, type ClockControl } from '../engine-api.js';

export interface ManagementServerOptions {
  host: string;
  /** 0 picks a free port; {@link ManagementServer.port} tells which. */
  port: number;
  clock: ClockControl;
  /** Whether the engine is open and serving; `/ready` answers 503 otherwise. */
  isReady: () => boolean;
  /** Serves `/actuator/clock` only when true, as Zeebe only with `ZEEBE_CLOCK_CONTROLLED=true`. */
  clockControlled: boolean;
  logger: Logger;
  /** The engine's metrics; served when given. */
  metrics?: Registry;
}

export interface ManagementServer {
  readonly port: number;
  close(): Promise<void>;
}

const pinBody = z.object({ epochMilli: z.number().int() });
const addBody = z.object({ offsetMilli: z.number().int() });

/** Thrown by route handlers for a malformed request; answered as 400 problem+json. */
class BadRequestError extends Error {
  override readonly name = 'BadRequestError';
}

/**
 * Starts listening.
 * @throws when the port cannot be bound.
 */
export async function startManagementServer(options: ManagementServerOptions): Promise<ManagementServer> {
  const logger = options.logger.child({ component: 'management-server' });
  const app = createManagementApp(options, logger);
  const server = await listen(app, options.host, options.port);
  const port = (server.address() as AddressInfo).port;
  logger.info({ host: options.host, port }, 'management server listening');
  return { port, close: () => closeServer(server) };
}

function createManagementApp(options: ManagementServerOptions, logger: Logger): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json());
  app.get('/ready', (_req, res) => probe(res, options.isReady()));
  app.get('/health', (_req, res) => probe(res, options.isReady()));
  if (options.metrics) app.get(['/metrics', '/actuator/prometheus'], metricsHandler(options.metrics));
  if (options.clockControlled) app.use('/actuator/clock', clockRoutes(options.clock));
  app.use((req, _res, next) => next(notFound(req, options.clockControlled)));
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) =>
    sendError(error, req, res, logger),
  );
  return app;
}

/** Zeebe has no clock actuator unless its clock is controlled either; here the 404 says how to get one. */
function notFound(req: Request, clockControlled: boolean): Error & { status: number } {
  const clockOff = !clockControlled && req.path.startsWith('/actuator/clock');
  const message = clockOff
    ? 'Expected the clock actuator, but it is off: start the engine with ZEEBE_CLOCK_CONTROLLED=true to serve it'
    : `Expected one of /ready, /health, /metrics, /actuator/prometheus or /actuator/clock, but got ${req.method} ${req.path}`;
  return Object.assign(new Error(message), { status: 404 });
}

function probe(res: Response, up: boolean): void {
  res.status(up ? 200 : 503).json({ status: up ? 'UP' : 'DOWN' });
}

/** Same paths, bodies and answers as Zeebe's clock actuator: each answers the clock's new time. */
function clockRoutes(clock: ClockControl): express.Router {
  const router = express.Router();
  router.get('/', (_req, res) => sendClock(res, clock));
  router.post('/pin', (req, res) => {
    clock.pin(parseBody(pinBody, req.body, 'pin the clock to the given `epochMilli`').epochMilli);
    sendClock(res, clock);
  });
  router.post('/add', (req, res) => {
    clock.add(parseBody(addBody, req.body, 'add `offsetMilli` to the clock').offsetMilli);
    sendClock(res, clock);
  });
  router.post('/:operation', (req) => {
    throw new BadRequestError(
      `Expected to either \`pin\` or \`add\` to the clock, but no operation named ` +
        `\`${req.params.operation}\` is known; make sure you wrote the correct path`,
    );
  });
  router.delete('/', (_req, res) => {
    clock.reset();
    sendClock(res, clock);
  });
  return router;
}

function sendClock(res: Response, clock: ClockControl): void {
  const epochMilli = clock.now();
  res.json({ epochMilli, instant: isoInstant(epochMilli) });
}

/** Java's ISO_INSTANT, which Zeebe's answer uses, leaves out a zero fraction of a second. */
function isoInstant(epochMilli: number): string {
  return new Date(epochMilli).toISOString().replace('.000Z', 'Z');
}

function parseBody<T>(schema: z.ZodType<T>, body: unknown, intent: string): T {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue?.path.join('.') ?? 'body';
  throw new BadRequestError(`Expected to ${intent}, but \`${field}\` is invalid: ${issue?.message}`);
}

/** Errors as RFC 9457 problem details, like Camunda's REST API. */
function sendError(error: unknown, req: Request, res: Response, logger: Logger): void {
  const status = errorStatus(error);
  if (status === 500) logger.error({ err: error, path: req.path }, 'management request failed');
  const message = error instanceof Error ? error.message : String(error);
  const detail = isUnparsableBody(error)
    ? `Expected the request body to be a JSON document, but it is not: ${message}`
    : message;
  const title = STATUS_CODES[status] ?? 'Error';
  res
    .status(status)
    .type('application/problem+json')
    .send({ type: 'about:blank', title, status, detail, instance: req.originalUrl });
}

/** express.json() marks a body it cannot parse this way. */
function isUnparsableBody(error: unknown): boolean {
  return (error as { type?: unknown } | null)?.type === 'entity.parse.failed';
}

function errorStatus(error: unknown): number {
  if (error instanceof BadRequestError) return 400;
  if (error instanceof CommandRejectedError && error.rejectionType === RejectionType.INVALID_ARGUMENT) return 400;
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : 500;
}

function listen(app: express.Express, host: string, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host);
    server.once('listening', () => resolve(server));
    server.once('error', reject);
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    // Keep-alive connections would otherwise hold close() open until they time out.
    server.closeIdleConnections();
  });
}
