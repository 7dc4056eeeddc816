/**
 * How the gateway turns failures into gRPC statuses, following the status codes Zeebe's gateway
 * documents per RPC in `zeebe.proto`.
 */
import { status, Metadata, type ServiceError } from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { CommandRejectedError, type RejectionType } from '../engine-api.js';

/** Thrown by request validation when a request is malformed; becomes INVALID_ARGUMENT. */
export class InvalidRequestError extends Error {
  override readonly name = 'InvalidRequestError';
  readonly code = status.INVALID_ARGUMENT;
}

/** Thrown for RPCs of the protocol the embedded engine does not implement; becomes UNIMPLEMENTED. */
export class UnsupportedRpcError extends Error {
  override readonly name = 'UnsupportedRpcError';
  readonly code = status.UNIMPLEMENTED;
  constructor(readonly rpc: string) {
    super(`Expected to handle gRPC request ${rpc}, but the embedded engine does not support it yet`);
  }
}

/** Thrown when a bearer token is required and the call lacks the right one; becomes UNAUTHENTICATED. */
export class UnauthenticatedError extends Error {
  override readonly name = 'UnauthenticatedError';
  readonly code = status.UNAUTHENTICATED;
}

/** Zeebe's gateway maps broker rejections this way (see its `GrpcErrorMapper`). */
const statusByRejection: Record<RejectionType, status> = {
  NOT_FOUND: status.NOT_FOUND,
  INVALID_ARGUMENT: status.INVALID_ARGUMENT,
  INVALID_STATE: status.FAILED_PRECONDITION,
  ALREADY_EXISTS: status.ALREADY_EXISTS,
  DEADLINE_EXCEEDED: status.DEADLINE_EXCEEDED,
  PROCESSING_ERROR: status.INTERNAL,
};

function serviceError(code: status, details: string): ServiceError {
  return Object.assign(new Error(`${code} ${status[code]}: ${details}`), {
    code,
    details,
    metadata: new Metadata(),
  });
}

/**
 * The status a client sees for an error thrown while handling `rpc`. Errors we did not expect are
 * logged here, because the client only learns that something went wrong inside.
 */
export function toServiceError(error: unknown, rpc: string, logger: Logger): ServiceError {
  if (error instanceof CommandRejectedError) {
    return serviceError(statusByRejection[error.rejectionType] ?? status.INTERNAL, error.reason);
  }
  if (
    error instanceof InvalidRequestError ||
    error instanceof UnsupportedRpcError ||
    error instanceof UnauthenticatedError
  ) {
    return serviceError(error.code, error.message);
  }
  logger.error({ err: error, rpc }, 'unexpected error while handling gRPC request');
  const reason = error instanceof Error ? error.message : String(error);
  return serviceError(
    status.INTERNAL,
    `Unexpected error while handling gRPC request ${rpc}: ${reason}`,
  );
}
