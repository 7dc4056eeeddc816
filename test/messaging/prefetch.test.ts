import { describe, expect, it } from 'vitest';
import { buildChargeCommands } from './support/message-factories.js';
import { useRabbitTestKit } from './support/rabbit-test-kit.js';

describe('prefetch', () => {
  const kit = useRabbitTestKit();

  it('When handlers are slower than the queue fills, then no more than prefetch messages are unacked at once', async () => {
    const prefetch = 3;
    const connection = await kit().connect();
    const releases: (() => void)[] = [];
    let holding = true;
    let running = 0;
    let mostRunning = 0;
    let reachedPrefetch!: () => void;
    const prefetchReached = new Promise<void>((resolve) => (reachedPrefetch = resolve));
    const consumer = await kit().consumer(connection, {
      source: { kind: 'commands', service: 'payment' },
      prefetch,
      handlers: {
        'payment.charge': async () => {
          running += 1;
          mostRunning = Math.max(mostRunning, running);
          if (running === prefetch) reachedPrefetch();
          if (holding) await new Promise<void>((resolve) => releases.push(resolve));
          running -= 1;
        },
      },
    });
    const publisher = await kit().publisher(connection);
    const commands = buildChargeCommands(10);

    await publisher.publishAll(commands);
    await prefetchReached;
    // The broker holds back everything beyond the prefetch window: it is still "ready" in the queue.
    const readyWhileBlocked = await kit().messageCount(consumer.queue.queue);
    holding = false;
    for (const release of releases) release();
    await consumer.waitFor('ack', commands.length);

    expect(readyWhileBlocked).toBe(commands.length - prefetch);
    expect(mostRunning).toBe(prefetch);
  });
});
