import type { Envelope, EventType } from '../../../infra/messaging/index.js';
import type { OutboxWriter } from '../../../lib/database/index.js';
import type { CardRepository, StoredCard } from '../data-access/card-repository.js';
import type { ChargeInputsReader } from '../data-access/charge-inputs-reader.js';
import type { PaymentRecord, PaymentRepository } from '../data-access/payment-repository.js';
import type { RefundRequestRepository } from '../data-access/refund-request-repository.js';
import { CardBehaviour, DECLINE_REASON, isExpired } from './card.js';
import { PaymentStatus, PaymentType } from './payment-status.js';

export type ChargeCommand = Envelope<'payment.charge'>;

export interface PaymentCommandDependencies {
  chargeInputs: ChargeInputsReader;
  cards: CardRepository;
  payments: PaymentRepository;
  refundRequests: RefundRequestRepository;
  outbox: OutboxWriter;
  /** The service clock: a card's expiry is judged against it. */
  now: Date;
}

/** Which event a charge command ended in, and whether an earlier command had already decided it. */
export interface ChargeOutcome {
  event: 'payment.charged' | 'payment.declined' | 'payment.card-expired';
  paymentId?: string;
  repeated: boolean;
}

const UNKNOWN_CARD_REASON = 'card_not_found: no stored card has this token';
/** Why a charge that arrives after its order's refund request is declined. */
export const REFUND_REQUESTED_REASON = 'refund_requested: the order was refunded before this charge arrived';

/**
 * Charges the order total to the stored card, once per order: a repeated command (a re-sent or retried
 * charge) answers with the outcome already recorded instead of charging again; the partial unique index
 * "one succeeded charge per order" backs this up. An expired card waits as `awaiting-card-update`.
 * A charge handled after a refund request for its order (commands overtaking each other in retries
 * or redeliveries) is declined: the order is being compensated, and the refund that came first had
 * nothing to give back. Announces the outcome through the outbox, in the caller's transaction, which
 * handles one command per order at a time (`handleOnce`'s `serializeOn`).
 */
export async function chargePayment(command: ChargeCommand, deps: PaymentCommandDependencies): Promise<ChargeOutcome> {
  const { orderId, customerId, cardToken, amount } = command.payload;
  const inputs = await deps.chargeInputs.read(orderId, cardToken);
  const history = inputs.history;
  const succeeded = history.find((payment) => payment.type === PaymentType.CHARGE && payment.status === PaymentStatus.SUCCEEDED);
  if (succeeded) return announceCharged(command, succeeded, deps, true);
  if (inputs.refundRequested) {
    await emit(deps, command, 'payment.declined', { orderId, reason: REFUND_REQUESTED_REASON });
    return { event: 'payment.declined', repeated: false };
  }

  let card = inputs.card;
  // A charge that would wait for a card update must not miss one: read again holding the card, so an
  // update running now is waited for and seen, and one that comes later waits for this charge's
  // waiting row to commit and wakes it. Only the expired path pays for the lock.
  if (card && isExpired(card.expiry, deps.now)) card = await deps.cards.find(cardToken, { lock: 'share' });
  // Another customer's card is treated as unknown: an order cannot spend a card its customer did not tokenize.
  if (!card || !isCardOf(card, customerId)) {
    await emit(deps, command, 'payment.declined', { orderId, reason: UNKNOWN_CARD_REASON });
    return { event: 'payment.declined', repeated: false };
  }
  const earlier = (status: PaymentStatus) => history.find((payment) => payment.type === PaymentType.CHARGE && payment.cardToken === cardToken && payment.status === status);

  if (isExpired(card.expiry, deps.now)) {
    const waiting = earlier(PaymentStatus.AWAITING_CARD_UPDATE);
    const payment = waiting ?? (await deps.payments.create({ orderId, type: PaymentType.CHARGE, amount, status: PaymentStatus.AWAITING_CARD_UPDATE, cardToken, failureReason: 'card_expired' }));
    await emit(deps, command, 'payment.card-expired', { orderId, cardToken, cardLast4: card.last4 });
    return { event: 'payment.card-expired', paymentId: payment.id, repeated: waiting !== undefined };
  }
  if (card.behaviour === CardBehaviour.DECLINED) {
    const declined = earlier(PaymentStatus.DECLINED);
    const payment = declined ?? (await deps.payments.create({ orderId, type: PaymentType.CHARGE, amount, status: PaymentStatus.DECLINED, cardToken, failureReason: DECLINE_REASON }));
    await emit(deps, command, 'payment.declined', { orderId, reason: payment.failureReason ?? DECLINE_REASON });
    return { event: 'payment.declined', paymentId: payment.id, repeated: declined !== undefined };
  }
  const charged = await deps.payments.create({ orderId, type: PaymentType.CHARGE, amount, status: PaymentStatus.SUCCEEDED, cardToken });
  return announceCharged(command, charged, deps, false, card.last4);
}

/** Cards tokenized before cards had owners belong to nobody in particular; the orders that already hold their token may use them. */
function isCardOf(card: StoredCard, customerId: string): boolean {
  return card.customerId === null || card.customerId === customerId;
}

async function announceCharged(command: ChargeCommand, charge: PaymentRecord, deps: PaymentCommandDependencies, repeated: boolean, last4?: string): Promise<ChargeOutcome> {
  const cardLast4 = last4 ?? (await deps.cards.find(charge.cardToken))!.last4;
  await emit(deps, command, 'payment.charged', { orderId: charge.orderId, paymentId: charge.id, amount: charge.amount, cardLast4 });
  return { event: 'payment.charged', paymentId: charge.id, repeated };
}

/** Enqueues an event caused by `cause`; the relay publishes it once the transaction commits. */
export async function emit<T extends EventType>(deps: { outbox: OutboxWriter }, cause: { id: string }, type: T, payload: Envelope<T>['payload']): Promise<void> {
  const orderId = (payload as { orderId: string }).orderId;
  await deps.outbox.enqueue({ type, routingKey: type, correlationId: orderId, causationId: cause.id, payload });
}
