import { createHash } from 'node:crypto';

/**
 * A name-based UUID (RFC 9562 version 5 layout, SHA-1 of the name) so that the same job attempt always
 * yields the same message id: a job the engine hands out again (timeout, retry) sends a command the
 * receiving service's inbox recognises as already handled.
 */
export function deterministicMessageId(...parts: readonly (string | number)[]): string {
  const hash = createHash('sha1').update(`orderflow/${parts.join('/')}`).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
