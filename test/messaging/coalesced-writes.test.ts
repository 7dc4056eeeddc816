import { once } from 'node:events';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { coalesceWritesPerTurn } from '../../infra/messaging/coalesced-writes.js';

const closers: (() => void)[] = [];
afterEach(() => closers.splice(0).forEach((close) => close()));

/** A connected pair of loopback sockets: what the client writes, the server side reads. */
async function socketPair(): Promise<{ client: net.Socket; received: () => Buffer }> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const accepted = once(server, 'connection');
  const client = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
  client.setNoDelay(true);
  await once(client, 'connect');
  const [peer] = (await accepted) as [net.Socket];
  const chunks: Buffer[] = [];
  peer.on('data', (chunk: Buffer) => chunks.push(chunk));
  closers.push(() => { client.destroy(); peer.destroy(); server.close(); });
  return { client, received: () => Buffer.concat(chunks) };
}

describe('writes coalesced per event-loop turn', () => {
  it('When frames are written in one turn, then they are held until the turn ends and leave together, in order', async () => {
    const { client, received } = await socketPair();
    coalesceWritesPerTurn(client);

    client.write('method;');
    client.write('header;');
    client.write('body');
    expect(client.writableCorked).toBe(1);
    await new Promise((resolve) => process.nextTick(resolve));

    expect(client.writableCorked).toBe(0);
    await expect.poll(() => received().toString()).toBe('method;header;body');
  });

  it('When writes come in later turns, then each turn flushes its own, and a write callback still fires', async () => {
    const { client, received } = await socketPair();
    coalesceWritesPerTurn(client);

    await new Promise((resolve) => client.write('first;', resolve));
    await new Promise((resolve) => client.write('second', resolve));

    expect(client.writableCorked).toBe(0);
    await expect.poll(() => received().toString()).toBe('first;second');
  });
});
