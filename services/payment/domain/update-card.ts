import type { OutboxWriter } from '../../../lib/database/index.js';
import type { CardRepository, StoredCard } from '../data-access/card-repository.js';
import type { PaymentRepository } from '../data-access/payment-repository.js';
import type { TokenizedCardData } from './card.js';
import { CardNotFoundError } from './errors.js';

export interface UpdateCardDependencies {
  cards: CardRepository;
  payments: PaymentRepository;
  outbox: OutboxWriter;
}

/**
 * Updates a stored card and tells every order waiting on it (a charge that found it expired) that it
 * may retry: one `payment.card-updated` per waiting order, committed with the update. Those charges
 * then stop waiting (`card-expired`), so a second update does not wake the same order twice. A charge
 * its order's refund closed (`cancelled`) is not waiting: the card is updated, that order hears nothing.
 * @throws CardNotFoundError when the customer has no card with the token (another customer's card is not found either).
 */
export async function updateCard(
  token: string,
  customerId: string,
  changes: Partial<TokenizedCardData>,
  deps: UpdateCardDependencies,
): Promise<{ card: StoredCard; notifiedOrderIds: string[] }> {
  const card = await deps.cards.update(token, customerId, changes);
  if (!card) throw new CardNotFoundError(token);
  const settled = await deps.payments.settleChargesAwaitingCardUpdate(token);
  const orderIds = [...new Set(settled.map((payment) => payment.orderId))];
  for (const orderId of orderIds) {
    await deps.outbox.enqueue({ type: 'payment.card-updated', routingKey: 'payment.card-updated', correlationId: orderId, payload: { orderId, cardToken: token, cardLast4: card.last4 } });
  }
  return { card, notifiedOrderIds: orderIds };
}
