/**
 * Checks Zeebe's gateway makes before a request reaches the broker (see the `Errors:` comments
 * on each RPC in `zeebe.proto`). Each throws an {@link InvalidRequestError} saying what is wrong.
 */
import type { Variables } from '../engine-api.js';
import { InvalidRequestError } from './grpc-errors.js';

/** The only tenant there is while multi-tenancy is disabled, as in Zeebe. */
export const DEFAULT_TENANT_ID = '<default>';

/**
 * Variables travel as a JSON document whose root must be an object; an empty string means none.
 * @throws InvalidRequestError when the document is not JSON or its root is not an object.
 */
export function parseVariables(document: string, field = 'variables'): Variables {
  // Most requests carry no variables: skip the parse and the trim's copy.
  if (document === '' || document === '{}') return {};
  if (document.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(document);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new InvalidRequestError(`Expected ${field} to be a JSON document, but it is not: ${reason}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidRequestError(
      `Expected ${field} to be a JSON object, but its root is ${describeJson(value)}`,
    );
  }
  return value as Variables;
}

function describeJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

/** @throws InvalidRequestError when the string is empty or only whitespace. */
export function requireNonBlank(value: string, field: string): string {
  if (value.trim() === '') {
    throw new InvalidRequestError(`Expected ${field} to be a non-blank string, but it was blank`);
  }
  return value;
}

/** @throws InvalidRequestError when the number is below `min`. */
export function requireAtLeast(value: number, min: number, field: string): number {
  if (!Number.isFinite(value) || value < min) {
    throw new InvalidRequestError(`Expected ${field} to be at least ${min}, but it was ${value}`);
  }
  return value;
}

/**
 * An int64 field as a number; proto-loader hands us longs as decimal strings.
 * @throws InvalidRequestError when the value is not an integer.
 */
export function int64ToNumber(value: string | number, field: string): number {
  const result = typeof value === 'number' ? value : Number(value);
  if (!Number.isSafeInteger(result)) {
    throw new InvalidRequestError(`Expected ${field} to be an integer, but it was '${value}'`);
  }
  return result;
}

/** A key as the engine takes it: a decimal string; proto3's default 0 means "not given". */
export function optionalKey(value: string | number): string | undefined {
  const key = String(value);
  return key === '0' || key === '' ? undefined : key;
}

/**
 * Multi-tenancy is disabled here, so as in Zeebe only the default tenant (or none) is accepted.
 * @throws InvalidRequestError naming the RPC and the tenant otherwise.
 */
export function requireDefaultTenant(tenantIds: string | readonly string[], rpc: string): void {
  const ids = typeof tenantIds === 'string' ? [tenantIds] : tenantIds;
  const other = ids.find((id) => id !== '' && id !== DEFAULT_TENANT_ID);
  if (other !== undefined) {
    throw new InvalidRequestError(
      `Expected to handle gRPC request ${rpc} with tenant identifier '${other}', ` +
        'but multi-tenancy is disabled',
    );
  }
}
