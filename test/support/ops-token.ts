/**
 * Ops tokens for tests: the test kits start the services with these, and a test sends the one its
 * behaviour is about.
 */
import { randomBytes } from 'node:crypto';
import type { OpsTokens } from '../../lib/http/ops-auth.js';

/** `opsToken` reads and writes, `readToken` only reads; fresh per test process. */
export const testOpsTokens = {
  opsToken: `ops-${randomBytes(12).toString('hex')}`,
  readToken: `read-${randomBytes(12).toString('hex')}`,
} as const satisfies OpsTokens;

/** `{ Authorization: 'Bearer …' }` with the ops token, or with the read token for `'read'`. */
export function opsAuthorization(token: 'ops' | 'read' = 'ops'): Record<string, string> {
  return { Authorization: `Bearer ${token === 'ops' ? testOpsTokens.opsToken : testOpsTokens.readToken}` };
}
