import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Anything with Express's `listen` signature. */
interface Listenable {
  listen(port: number, host: string, callback: (error?: Error) => void): Server;
}

/** Resolves once the server is bound (port 0 picks a free one); rejects when binding fails. */
export function listen(app: Listenable, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, (error?: Error) => (error ? reject(error) : resolve(server)));
  });
}

export function boundPort(server: Server): number {
  return (server.address() as AddressInfo).port;
}

/** Stops accepting connections and drops idle keep-alive ones, so close does not wait for clients. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}
