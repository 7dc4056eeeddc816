import { Router, type Request } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { plainSqlOf, withOutbox } from '../../../../lib/database/index.js';
import { customerIdOf, requireCustomer, type CustomerAuthConfig } from '../../../../lib/http/customer-auth.js';
import { CardRepository, type StoredCard } from '../../data-access/card-repository.js';
import { PaymentRepository } from '../../data-access/payment-repository.js';
import type { PaymentDatabase } from '../../data-access/payment-database.js';
import { formatExpiry } from '../../domain/card.js';
import { readCardUpdate, readNewCard, type CardDetailsInput } from '../../domain/card-details.js';
import { CardNotFoundError } from '../../domain/errors.js';
import { updateCard } from '../../domain/update-card.js';
import { BadRequestError, validationProblem, violationsOf } from '../../../../lib/http/problem-details.js';

export interface CardRoutesDependencies {
  db: PaymentDatabase;
  fingerprintKey: string;
  /** How the customer tokens that `/cards` requires are verified. */
  auth: CustomerAuthConfig;
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

/**
 * `POST /cards` tokenizes a card for the calling customer; `PUT /cards/:token` updates one of their
 * cards and wakes the orders waiting on it. Both need the customer's bearer token; another
 * customer's card answers 404, as an unknown token does.
 */
export function cardRoutes({ db, fingerprintKey, auth, logger, onEventsEnqueued }: CardRoutesDependencies): Router {
  const router = Router();
  const sql = plainSqlOf(db);
  const cards = new CardRepository(sql);
  router.use('/cards', requireCustomer(auth));

  router.post('/cards', async (request, response) => {
    const customerId = customerIdOf(response);
    const card = await cards.create(readNewCard(cardFieldsOf(request), fingerprintKey), customerId);
    logger.info({ cardToken: card.token, brand: card.brand, customerId }, 'Card tokenized');
    response.status(201).location(`/cards/${card.token}`).json(cardView(card));
  });

  router.put('/cards/:token', async (request, response) => {
    const token = request.params.token;
    if (!cardTokenPattern.test(token)) throw new CardNotFoundError(token);
    const changes = readCardUpdate(cardFieldsOf(request), fingerprintKey);
    const customerId = customerIdOf(response);
    const { card, notifiedOrderIds } = await withOutbox(sql, (tx, outbox) =>
      updateCard(token, customerId, changes, { cards: new CardRepository(tx), payments: new PaymentRepository(tx), outbox }),
    );
    if (notifiedOrderIds.length > 0) onEventsEnqueued?.();
    logger.info({ cardToken: card.token, notifiedOrderIds }, 'Card updated');
    response.status(200).json(cardView(card));
  });

  return router;
}
