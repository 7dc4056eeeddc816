import type { Envelope } from '../../../infra/messaging/index.js';
import type { PaymentRecord } from '../data-access/payment-repository.js';
import { emit, type PaymentCommandDependencies } from './charge-payment.js';
import { PaymentStatus, PaymentType } from './payment-status.js';

export type RefundCommand = Envelope<'payment.refund'>;

/** `refunded`: money went back now; `already-refunded`: an earlier command did it; `nothing-charged`: nothing to give back. */
export interface RefundOutcome {
  outcome: 'refunded' | 'already-refunded' | 'nothing-charged';
  paymentId?: string;
  /** The charges this command closed as `cancelled`: they waited for a card update and moved no money. */
  cancelledChargeIds?: string[];
}

const succeeded = (type: PaymentType) => (payment: PaymentRecord) => payment.type === type && payment.status === PaymentStatus.SUCCEEDED;
const total = (payments: PaymentRecord[]) => payments.reduce((sum, payment) => sum + payment.amount.amount, 0);

/**
 * Refunds the net amount charged for the order (charged minus already refunded), idempotent per order:
 * a second refund command finds nothing left and answers with the refund already made. The command's
 * amount is informational; what was actually charged decides. The request is recorded either way, so
 * a charge command handled later for this order charges nothing, and a charge still waiting for a card
 * update is closed (`cancelled`), so a later card update does not wake the order. Closing moves no money
 * and publishes nothing: `payment.refunded` says money went back, and the checkout does not wait for an
 * answer to its refund. Nothing charged → no refund, no event.
 * The caller handles one command per order at a time (`handleOnce`'s `serializeOn`).
 */
export async function refundPayment(command: RefundCommand, deps: PaymentCommandDependencies): Promise<RefundOutcome> {
  await deps.refundRequests.record(command.payload.orderId, command.payload.reason);
  const cancelled = await deps.payments.cancelChargesAwaitingCardUpdate(command.payload.orderId);
  const outcome = await refundNetCharged(command, deps);
  return cancelled.length === 0 ? outcome : { ...outcome, cancelledChargeIds: cancelled.map((charge) => charge.id) };
}

async function refundNetCharged(command: RefundCommand, deps: PaymentCommandDependencies): Promise<RefundOutcome> {
  const { orderId } = command.payload;
  const history = await deps.payments.listByOrder(orderId);
  const charges = history.filter(succeeded(PaymentType.CHARGE));
  const refunds = history.filter(succeeded(PaymentType.REFUND));
  const net = total(charges) - total(refunds);
  const charge = charges.at(-1);
  if (net > 0 && charge) {
    const refund = await deps.payments.create({
      orderId,
      type: PaymentType.REFUND,
      amount: { amount: net, currency: charge.amount.currency },
      status: PaymentStatus.SUCCEEDED,
      cardToken: charge.cardToken,
      refundedChargeId: charge.id,
    });
    await emit(deps, command, 'payment.refunded', { orderId, paymentId: refund.id, amount: refund.amount });
    return { outcome: 'refunded', paymentId: refund.id };
  }
  const lastRefund = refunds.at(-1);
  if (!lastRefund) return { outcome: 'nothing-charged' };
  await emit(deps, command, 'payment.refunded', { orderId, paymentId: lastRefund.id, amount: lastRefund.amount });
  return { outcome: 'already-refunded', paymentId: lastRefund.id };
}
