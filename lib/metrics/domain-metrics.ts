import { Counter, type Registry } from 'prom-client';

/** The business counters of each service, and the events that move them (outcome label per event type). */
const domains = {
  orders: {
    name: 'orderflow_orders_total',
    help: 'Orders placed, and orders the checkout completed or cancelled',
    outcomes: { 'order.completed': 'completed', 'order.cancelled': 'cancelled' },
  },
  payments: {
    name: 'orderflow_payments_total',
    help: 'Payment outcomes: charged, declined, card expired, refunded',
    outcomes: { 'payment.charged': 'charged', 'payment.declined': 'declined', 'payment.card-expired': 'card_expired', 'payment.refunded': 'refunded' },
  },
  reservations: {
    name: 'orderflow_reservations_total',
    help: 'Reservation outcomes: reserved, out of stock, released',
    outcomes: { 'inventory.reserved': 'reserved', 'inventory.out-of-stock': 'out_of_stock', 'inventory.released': 'released' },
  },
  shipments: {
    name: 'orderflow_shipments_total',
    help: 'Shipment outcomes: shipped, rejected by the carrier',
    outcomes: { 'shipping.shipped': 'shipped', 'shipping.rejected': 'rejected' },
  },
} as const satisfies Record<string, { name: string; help: string; outcomes: Record<string, string> }>;

export type Domain = keyof typeof domains;

/** The part of a contract message these counters read; structural, so lib does not depend on the contract. */
export interface ObservedEvent {
  type?: string | undefined;
  payload?: unknown;
}

export interface DomainMetrics {
  /** Counts an outcome no event announces (an order placed over HTTP). */
  count(outcome: string): void;
  /** Counts the event if it is one of this domain's outcomes; money events also add their amount. */
  observe(event: ObservedEvent): void;
}

/**
 * Counters of what a service did for its orders, fed by the events it publishes (or, for the Order
 * service, consumes). Delivery is at least once, so a redelivered event can count twice: these are
 * for dashboards and alerts, the services' own APIs are the books.
 */
export function createDomainMetrics(registry: Registry, domain: Domain): DomainMetrics {
  const definition = domains[domain];
  const outcomes: Readonly<Record<string, string>> = definition.outcomes;
  const counter = new Counter({ name: definition.name, help: definition.help, labelNames: ['outcome'], registers: [registry] });
  const amounts =
    domain === 'payments'
      ? new Counter({
          name: 'orderflow_payment_amount_minor_units_total',
          help: 'Money charged and refunded, in minor units of each currency (cents)',
          labelNames: ['outcome', 'currency'],
          registers: [registry],
        })
      : undefined;
  return {
    count: (outcome) => counter.inc({ outcome }),
    observe: (event) => {
      const outcome = event.type === undefined ? undefined : outcomes[event.type];
      if (outcome === undefined) return;
      counter.inc({ outcome });
      const money = moneyOf(event.payload);
      if (amounts && money) amounts.inc({ outcome, currency: money.currency }, money.amount);
    },
  };
}

function moneyOf(payload: unknown): { amount: number; currency: string } | undefined {
  const amount = (payload as { amount?: { amount?: unknown; currency?: unknown } } | undefined)?.amount;
  return typeof amount?.amount === 'number' && typeof amount.currency === 'string' ? { amount: amount.amount, currency: amount.currency } : undefined;
}
