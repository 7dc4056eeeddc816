/**
 * The part of a generated Prisma client, or of its interactive transaction, that the inbox and outbox
 * helpers use. Every service's client has it, so one implementation serves all four services.
 */
export interface SqlExecutor {
  $executeRawUnsafe(query: string, ...values: unknown[]): PromiseLike<number>;
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): PromiseLike<T>;
}

export interface TransactionOptions {
  /** How long the transaction may run before Prisma rolls it back; Prisma's default is 5 s. */
  timeout?: number;
  /** How long to wait for a connection from the pool. */
  maxWait?: number;
}

/** A generated Prisma client: runs `work` in one interactive transaction, committed when it resolves. */
export interface TransactionalDatabase<Tx extends SqlExecutor = SqlExecutor> {
  $transaction<R>(work: (tx: Tx) => Promise<R>, options?: TransactionOptions): Promise<R>;
}
