import { z } from 'zod';

const environmentSchema = z.object({
  RABBITMQ_URL: z.url().default('amqp://guest:guest@127.0.0.1:5672'),
  ORDERFLOW_MESSAGING_PREFIX: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/).default('orderflow'),
});

export interface MessagingConfig {
  url: string;
  /** Prefix of every exchange and queue name; tests use a random one to stay apart. */
  prefix: string;
}

/** Reads the messaging settings from the environment; the defaults are the local broker. */
export function loadMessagingConfig(env: NodeJS.ProcessEnv = process.env): MessagingConfig {
  const parsed = environmentSchema.parse(env);
  return { url: parsed.RABBITMQ_URL, prefix: parsed.ORDERFLOW_MESSAGING_PREFIX };
}
