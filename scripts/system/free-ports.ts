import { once } from 'node:events';
import { createServer } from 'node:net';

/**
 * Ports free right now on 127.0.0.1, all distinct: every server is held open until all are found,
 * so the kernel cannot hand the same port out twice.
 */
export async function freePorts(count: number): Promise<number[]> {
  const servers = Array.from({ length: count }, () => createServer().listen(0, '127.0.0.1'));
  try {
    await Promise.all(servers.map((server) => once(server, 'listening')));
    return servers.map((server) => (server.address() as { port: number }).port);
  } finally {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  }
}
