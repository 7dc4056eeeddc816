/**
 * A gRPC server speaking Zeebe's gateway protocol (`gateway_protocol.Gateway` of the `zeebe.proto`
 * that `@camunda8/sdk` ships), so `@camunda8/sdk`, `zeebe-node` and `zbctl` work against the
 * embedded engine unchanged. It only adapts: every RPC becomes a call on {@link EngineApi}.
 */
import { timingSafeEqual } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { GrpcCompression } from '../config.js';
import type { EngineApi } from '../engine-api.js';
import type {
  ActivatedJobMessage,
  ActivateJobsRequest,
  ActivateJobsResponse,
  StreamActivatedJobsRequest,
} from './gateway-messages.js';
import { commandRpcs, type CommandRpcContext } from './command-rpcs.js';
import { compressionAdvertisement } from './compression-advertisement.js';
import { toServiceError, UnauthenticatedError } from './grpc-errors.js';
import { JobDispatcher } from './job-dispatcher.js';
import { activateJobs, streamActivatedJobs } from './job-rpcs.js';
import { loadGatewayService } from './proto.js';

export interface GrpcGatewayOptions {
  engine: EngineApi;
  /** Interface to listen on, e.g. 127.0.0.1. */
  host: string;
  /** 0 picks a free port; {@link GrpcGateway.port} tells which. */
  port: number;
  logger: Logger;
  /** When set, every call must carry `authorization: Bearer <token>`; otherwise UNAUTHENTICATED. */
  bearerToken?: string;
  /** Which request compression responses ask clients for; `identity` unless given. */
  compression?: GrpcCompression;
}

export interface GrpcGateway {
  readonly port: number;
  /**
   * Ends open job streams and pending long polls, lets calls in flight finish for up to `graceMs`,
   * then cancels what is left.
   */
  close(graceMs?: number): Promise<void>;
}

const DEFAULT_SHUTDOWN_GRACE_MS = 5_000;

/**
 * Binds the gateway and starts serving.
 * @throws when the port cannot be bound (e.g. already in use).
 */
export async function startGrpcGateway(options: GrpcGatewayOptions): Promise<GrpcGateway> {
  const logger = options.logger.child({ component: 'grpc-gateway' });
  const dispatcher = new JobDispatcher(options.engine, logger);
  let boundPort = options.port;
  const context: CommandRpcContext = { engine: options.engine, host: options.host, port: () => boundPort };
  const server = new grpc.Server({
    interceptors: [compressionAdvertisement(options.compression ?? GrpcCompression.IDENTITY)],
    // channelz counts and timestamps every call and message for a debugging service not served here.
    'grpc.enable_channelz': 0,
  });
  const authorize = bearerCheck(options.bearerToken);
  server.addService(loadGatewayService(), {
    ...unaryHandlers(context, authorize, logger),
    ...streamHandlers(dispatcher, authorize, logger),
  });
  try {
    boundPort = await bind(server, `${options.host}:${options.port}`);
  } catch (error) {
    dispatcher.close();
    server.forceShutdown();
    throw error;
  }
  logger.info({ host: options.host, port: boundPort }, 'gRPC gateway listening');
  return {
    port: boundPort,
    close: (graceMs = DEFAULT_SHUTDOWN_GRACE_MS) => shutdown(server, dispatcher, graceMs),
  };
}

type Authorize = (metadata: grpc.Metadata) => void;

function unaryHandlers(
  context: CommandRpcContext,
  authorize: Authorize,
  logger: Logger,
): grpc.UntypedServiceImplementation {
  const handlers: grpc.UntypedServiceImplementation = {};
  for (const [rpc, handle] of Object.entries(commandRpcs)) {
    const fail = (error: unknown, callback: grpc.sendUnaryData<object>) =>
      callback(toServiceError(error, rpc, logger));
    // Written out rather than chained from Promise.resolve(): every call passes here, and each
    // extra `then` costs a promise and a microtask turn.
    const unary: grpc.handleUnaryCall<unknown, object> = (call, callback) => {
      let response: Promise<object>;
      try {
        authorize(call.metadata);
        // proto-loader decodes the request into the shape the mapping declares.
        response = handle(call.request as never, context);
      } catch (error) {
        fail(error, callback);
        return;
      }
      response.then((value) => callback(null, value), (error: unknown) => fail(error, callback));
    };
    handlers[rpc] = unary;
  }
  return handlers;
}

function streamHandlers(
  dispatcher: JobDispatcher,
  authorize: Authorize,
  logger: Logger,
): grpc.UntypedServiceImplementation {
  // grpc-js ends a server stream with a status when 'error' is emitted on it.
  const fail = (call: grpc.ServerWritableStream<unknown, unknown>, rpc: string, error: unknown) =>
    call.emit('error', toServiceError(error, rpc, logger));
  const ActivateJobs: grpc.handleServerStreamingCall<ActivateJobsRequest, ActivateJobsResponse> = (
    call,
  ) => {
    Promise.resolve()
      .then(() => authorize(call.metadata))
      .then(() => activateJobs(call, dispatcher))
      .catch((error: unknown) => fail(call, 'ActivateJobs', error));
  };
  const StreamActivatedJobs: grpc.handleServerStreamingCall<
    StreamActivatedJobsRequest,
    ActivatedJobMessage
  > = (call) => {
    try {
      authorize(call.metadata);
      streamActivatedJobs(call, dispatcher);
    } catch (error) {
      fail(call, 'StreamActivatedJobs', error);
    }
  };
  return { ActivateJobs, StreamActivatedJobs };
}

/** Constant-time comparison, so the token cannot be guessed byte by byte from response times. */
function bearerCheck(token: string | undefined): Authorize {
  if (token === undefined || token === '') return () => {};
  const expected = Buffer.from(`Bearer ${token}`);
  return (metadata) => {
    const [value] = metadata.get('authorization');
    const actual = Buffer.from(typeof value === 'string' ? value : '');
    if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
      throw new UnauthenticatedError(
        'Expected a valid bearer token in the authorization header, but none or a wrong one was given',
      );
    }
  };
}

function bind(server: grpc.Server, address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (error, port) =>
      error ? reject(error) : resolve(port),
    );
  });
}

async function shutdown(server: grpc.Server, dispatcher: JobDispatcher, graceMs: number): Promise<void> {
  dispatcher.close();
  await new Promise<void>((resolve) => {
    const force = setTimeout(() => {
      server.forceShutdown();
      resolve();
    }, graceMs);
    server.tryShutdown(() => {
      clearTimeout(force);
      resolve();
    });
  });
}
