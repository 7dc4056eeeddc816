/**
 * The control run, and the checker checking itself: no fault during the stream, so every invariant
 * must hold; then money and stock are changed behind the saga's back, straight in the Payment and
 * Inventory databases, and the checker must name exactly what was changed. The change is undone after.
 */
import { createInventoryDatabase } from '../../../services/inventory/data-access/inventory-database.js';
import { createPaymentDatabase } from '../../../services/payment/data-access/payment-database.js';
import { PaymentStatus, PaymentType } from '../../../services/payment/domain/payment-status.js';
import { Invariant, type InvariantResult } from '../invariants.js';
import type { Fault, FaultContext } from './fault.js';

export function tampering(): Fault {
  let tampered = 0;
  return {
    injected: () => tampered,
    async start() {},
    async end() {},
    async verify({ system, stream }: FaultContext, recheck): Promise<InvariantResult[]> {
      const order = stream.placed().find((candidate) => candidate.path === 'happy');
      if (!order) return [{ invariant: 'a completed order to tamper with', held: false, detail: 'no happy-path order was placed' }];
      const sku = order.items[0]!.sku;
      const payments = createPaymentDatabase(system.database);
      const inventory = createInventoryDatabase(system.database);
      try {
        const refund = await payments.payment.create({ data: { orderId: order.orderId, type: PaymentType.REFUND, amount: 1, currency: order.total.currency, status: PaymentStatus.SUCCEEDED, cardToken: order.cardToken } });
        await inventory.stockItem.update({ where: { sku }, data: { available: { increment: 1 } } });
        tampered = 2;
        let results: InvariantResult[];
        try {
          results = await recheck();
        } finally {
          await payments.payment.delete({ where: { id: refund.id } });
          await inventory.stockItem.update({ where: { sku }, data: { available: { decrement: 1 } } });
        }
        const reported = (invariant: string, needle: string) => results.some((result) => result.invariant === invariant && !result.held && result.detail.includes(needle));
        const untouched = results.filter((result) => result.invariant !== Invariant.MONEY && result.invariant !== Invariant.STOCK && !result.held);
        return [
          { invariant: 'the checker names a refund made behind the saga', held: reported(Invariant.MONEY, order.orderId), detail: `order ${order.orderId}` },
          { invariant: 'the checker names stock that appeared from nowhere', held: reported(Invariant.STOCK, sku), detail: sku },
          { invariant: 'the checker blames nothing else', held: untouched.length === 0, detail: untouched.map((result) => result.invariant).join(', ') || 'nothing else' },
        ];
      } finally {
        await payments.$disconnect();
        await inventory.$disconnect();
      }
    },
  };
}
