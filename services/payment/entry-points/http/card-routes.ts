import { Router, type Request } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { withOutbox } from '../../../../lib/database/index.js';
import { CardRepository, type StoredCard } from '../../data-access/card-repository.js';
import { PaymentRepository } from '../../data-access/payment-repository.js';
import type { PaymentDatabase } from '../../data-access/payment-database.js';
import { formatExpiry } from '../../domain/card.js';
import { readCardUpdate, readNewCard, type CardDetailsInput } from '../../domain/card-details.js';
import { CardNotFoundError } from '../../domain/errors.js';
import { updateCard } from '../../domain/update-card.js';
import { BadRequestError, validationProblem, violationsOf } from './problem-details.js';

export interface CardRoutesDependencies {
  db: PaymentDatabase;
  fingerprintKey: string;
  logger: Logger;
  /** Called after a card update committed events to the outbox, so the relay publishes them at once. */
  onEventsEnqueued?: () => void;
}

// Shapes only; the domain judges the contents. Bounded so a huge string never reaches the Luhn check.
const cardFieldsSchema = z
  .object({
    number: z.string().max(40).optional(),
    expiry: z.string().max(10).optional(),
    cvc: z.string().max(10).optional(),
  })
  .strict();

const cardTokenPattern = /^tok_[A-Za-z0-9]{8,64}$/;

function cardFieldsOf(request: Request): CardDetailsInput {
  const parsed = cardFieldsSchema.safeParse(request.body ?? {});
  if (!parsed.success) throw new BadRequestError(validationProblem('Expected card details as strings', violationsOf(parsed.error)));
  return parsed.data;
}

function cardView(card: StoredCard) {
  return { cardToken: card.token, last4: card.last4, expiry: formatExpiry(card.expiry), brand: card.brand };
}

/** `POST /cards` tokenizes a card; `PUT /cards/:token` updates it and wakes the orders waiting on it. */
export function cardRoutes({ db, fingerprintKey, logger, onEventsEnqueued }: CardRoutesDependencies): Router {
  const router = Router();
  const cards = new CardRepository(db);

  router.post('/cards', async (request, response) => {
    const card = await cards.create(readNewCard(cardFieldsOf(request), fingerprintKey));
    logger.info({ cardToken: card.token, brand: card.brand }, 'Card tokenized');
    response.status(201).location(`/cards/${card.token}`).json(cardView(card));
  });

  router.put('/cards/:token', async (request, response) => {
    const token = request.params.token;
    if (!cardTokenPattern.test(token)) throw new CardNotFoundError(token);
    const changes = readCardUpdate(cardFieldsOf(request), fingerprintKey);
    const { card, notifiedOrderIds } = await withOutbox(db, (tx, outbox) => updateCard(token, changes, { cards: new CardRepository(tx), payments: new PaymentRepository(tx), outbox }));
    if (notifiedOrderIds.length > 0) onEventsEnqueued?.();
    logger.info({ cardToken: card.token, notifiedOrderIds }, 'Card updated');
    response.status(200).json(cardView(card));
  });

  return router;
}
