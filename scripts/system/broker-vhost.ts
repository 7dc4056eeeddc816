/**
 * A RabbitMQ virtual host of the run's own, made with `rabbitmqctl`: every exchange and queue the
 * system declares lives in it, and deleting it removes them all, whatever names the code chose.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { BrokerIsolationError } from './errors.js';

const run = promisify(execFile);

export interface BrokerVhost {
  name: string;
  /** `RABBITMQ_URL` pointing at the virtual host. */
  url: string;
  delete(): Promise<void>;
}

/** @throws BrokerIsolationError when rabbitmqctl is missing or refuses. */
export async function createBrokerVhost(baseUrl: string, name: string): Promise<BrokerVhost> {
  const url = new URL(baseUrl);
  const user = decodeURIComponent(url.username || 'guest');
  try {
    await run('rabbitmqctl', ['add_vhost', name], { timeout: 30_000 });
    await run('rabbitmqctl', ['set_permissions', '-p', name, user, '.*', '.*', '.*'], { timeout: 30_000 });
  } catch (error) {
    await run('rabbitmqctl', ['delete_vhost', name], { timeout: 30_000 }).catch(() => undefined);
    throw new BrokerIsolationError('create', name, error);
  }
  url.pathname = `/${encodeURIComponent(name)}`;
  return {
    name,
    url: url.toString(),
    async delete() {
      try {
        await run('rabbitmqctl', ['delete_vhost', name], { timeout: 60_000 });
      } catch (error) {
        throw new BrokerIsolationError('delete', name, error);
      }
    },
  };
}
