import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { Consumer, type HandlerContext, type Message, type RabbitConnection, type TopologyNames } from '../../../../infra/messaging/index.js';
import { InboxBatches, plainSqlOf, type OutboxWriter, type SqlExecutor } from '../../../../lib/database/index.js';
import { CardRepository } from '../../data-access/card-repository.js';
import { ChargeInputsReader } from '../../data-access/charge-inputs-reader.js';
import type { PaymentDatabase } from '../../data-access/payment-database.js';
import { PaymentRepository } from '../../data-access/payment-repository.js';
import { RefundRequestRepository } from '../../data-access/refund-request-repository.js';
import { chargePayment, type PaymentCommandDependencies } from '../../domain/charge-payment.js';
import { refundPayment } from '../../domain/refund-payment.js';

export interface PaymentCommandsConsumerOptions {
  connection: RabbitConnection;
  names: TopologyNames;
  db: PaymentDatabase;
  logger: Logger;
  /** The service clock; card expiry is judged against it. */
  clock: () => Date;
  /** Called after a command committed events to the outbox, so the relay publishes them at once. */
  onEventsEnqueued?: () => void;
  prefetch?: number;
  retryDelayMs?: number;
  metrics?: Registry;
}

/**
 * Consumes `<prefix>.payment.commands`: `payment.charge` and `payment.refund`, each handled once per
 * message id (inbox), one at a time per order, with its state change and outcome event committed
 * together (outbox); the commands in hand share one transaction.
 */
export function startPaymentCommandsConsumer(options: PaymentCommandsConsumerOptions): Promise<Consumer> {
  const { connection, names, db, logger, prefetch = 10, retryDelayMs } = options;
  const consumerLogger = logger.child({ component: 'payment-commands' });
  const inbox = new InboxBatches(plainSqlOf(db), { maxBatchSize: prefetch, logger: consumerLogger });
  /** Runs a use case inside the inbox transaction and logs what became of the message. */
  const once = async <R extends object>(message: Message<'payment.charge' | 'payment.refund'>, context: HandlerContext, work: (deps: PaymentCommandDependencies) => Promise<R>) => {
    const result = await inbox.handleOnce(
      message.id,
      (tx: SqlExecutor, outbox: OutboxWriter) =>
        work({ chargeInputs: new ChargeInputsReader(tx), cards: new CardRepository(tx), payments: new PaymentRepository(tx), refundRequests: new RefundRequestRepository(tx), outbox, now: options.clock() }),
      // A charge and a refund (or two refunds) for the same order never interleave.
      { serializeOn: message.payload.orderId },
    );
    const meta = { orderId: message.correlationId, messageId: message.id };
    if (result.outcome === 'duplicate') return context.logger.info(meta, 'Duplicate payment command skipped');
    options.onEventsEnqueued?.();
    context.logger.info({ ...meta, result: result.result as object }, 'Payment command handled');
  };
  return Consumer.start({
    connection,
    logger: consumerLogger,
    names,
    source: { kind: 'commands', service: 'payment' },
    handlers: {
      'payment.charge': (message, context) => once(message, context, (deps) => chargePayment(message, deps)),
      'payment.refund': (message, context) => once(message, context, (deps) => refundPayment(message, deps)),
    },
    prefetch,
    metrics: options.metrics,
    ...(retryDelayMs === undefined ? {} : { retryDelayMs }),
  });
}
