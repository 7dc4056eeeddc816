/**
 * No card number or CVC anywhere but the Payment service's token store. The whole saga runs over
 * HTTP (engine, services and workers as `npm start` composes them) through every path that sees a
 * card: success, expired then updated with a new number and CVC, declined, cancelled, and one left
 * waiting for a card update. Then every
 * place the run wrote to is scanned: each PostgreSQL database, every message on the command and
 * event exchanges, the engine's store and record log, and every log line of every component.
 */
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertThatProcessInstance } from '../../infra/engine/testing/index.js';
import { FUTURE_EXPIRY, PAST_EXPIRY, SAGA_START_MS, SAGA_WAIT_MS, SagaHarness, buildOrderRequest } from '../e2e/saga-harness.js';
import { CardDataScanner, type Finding, type ScanItem } from './card-data-scanner.js';
import { MessageCapture } from './message-capture.js';
import { engineKeys, engineNextKey, engineStoreItems, postgresItems, recordItems, type StoredColumn } from './stored-data.js';

const rabbitUrl = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const TERMINAL = ['COMPLETED', 'CANCELLED'];

/** The cards the run sends, each written as a customer might type it, with a CVC of its own. */
const cards = {
  succeeds: { number: '4242 4242 4242 4242', cvc: '7391' },
  declined: { number: '4000-0000-0000-0002', cvc: '8264' },
  expired: { number: '5555555555554444', cvc: '9157' },
  replacement: { number: '378282246310005', cvc: '6438' },
  cancelled: { number: '4111111111111111', cvc: '5829' },
  waiting: { number: '6011111111111117', cvc: '3048' },
} as const;
const sentNumbers = Object.values(cards).map((card) => card.number.replace(/[ -]/g, ''));
const sentCvcs = Object.values(cards).map((card) => card.cvc);

/** Epoch milliseconds (13 digits, about one in ten Luhn-valid) from a day before the run to 60 days after: timestamps, deadlines, due dates. */
const startedAt = Date.now();
const isTimestamp = (digits: string) => digits.length === 13 && Number(digits) > startedAt - 86_400_000 && Number(digits) < startedAt + 60 * 86_400_000;

let saga: SagaHarness;
let capture: MessageCapture;
const logLines: string[] = [];
const stores: Record<string, ScanItem[]> = {};
const columns: StoredColumn[] = [];
let scanner: CardDataScanner;

beforeAll(async () => {
  const logger = pino({ level: 'trace' }, { write: (line: string) => void logLines.push(line) });
  saga = await SagaHarness.start({ logger });
  capture = await MessageCapture.start(rabbitUrl, saga.names);
  await runEveryCardPath();
  await collect();
}, SAGA_START_MS + 4 * SAGA_WAIT_MS);

afterAll(async () => {
  await capture?.stop();
  await saga?.stop();
}, 60_000);

async function tokenize(card: { number: string; cvc: string }, expiry = FUTURE_EXPIRY): Promise<string> {
  const response = await saga.http('payment', 'POST', '/cards', { body: { number: card.number, expiry, cvc: card.cvc } });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body.cardToken as string;
}

async function placeOrder(cardToken: string): Promise<string> {
  const response = await saga.placeOrder(buildOrderRequest({ cardToken }));
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body.orderId as string;
}

async function runEveryCardPath(): Promise<void> {
  const succeeded = await placeOrder(await tokenize(cards.succeeds));
  const declined = await placeOrder(await tokenize(cards.declined));
  const expiredToken = await tokenize(cards.expired, PAST_EXPIRY);
  const expired = await placeOrder(expiredToken);
  await saga.waitForStatus(expired, 'AWAITING_CARD_UPDATE');
  const update = await saga.http('payment', 'PUT', `/cards/${expiredToken}`, { body: { ...cards.replacement, expiry: FUTURE_EXPIRY } });
  expect(update.status, JSON.stringify(update.body)).toBe(200);
  expect(await saga.waitForStatus(succeeded, ...TERMINAL)).toMatchObject({ status: 'COMPLETED' });
  expect(await saga.waitForStatus(declined, ...TERMINAL)).toMatchObject({ status: 'CANCELLED' });
  expect(await saga.waitForStatus(expired, ...TERMINAL)).toMatchObject({ status: 'COMPLETED' });
  await cancelWhileReservationIsPending();
  // Left waiting for a card update, so the engine still holds this order's process variables at scan time.
  await saga.waitForStatus(await placeOrder(await tokenize(cards.waiting, PAST_EXPIRY)), 'AWAITING_CARD_UPDATE');
}

/** Inventory is down, so the order waits after payment; the customer cancels; the refund and release follow. */
async function cancelWhileReservationIsPending(): Promise<void> {
  const cardToken = await tokenize(cards.cancelled);
  await saga.stopInventory();
  try {
    const orderId = await placeOrder(cardToken);
    const { processInstanceKey } = await saga.waitForStatus(orderId, 'PAID');
    await assertThatProcessInstance(saga.engine, { processInstanceKey }).isWaitingForMessage('inventory.reserved', orderId);
    expect((await saga.http('order', 'POST', `/orders/${orderId}/cancel`)).status).toBe(202);
    expect(await saga.waitForStatus(orderId, ...TERMINAL)).toMatchObject({ status: 'CANCELLED', cancellationReason: 'customer-request' });
  } finally {
    const inventory = await saga.startInventory();
    await inventory.commandConsumer.waitFor('ack', 2, SAGA_WAIT_MS);
  }
}

async function collect(): Promise<void> {
  const postgres = await postgresItems(saga.databaseConfig, ['order', 'payment', 'inventory', 'shipping']);
  const engineStore = engineStoreItems(saga.engine.engine);
  const records = saga.engine.records.all();
  stores.postgres = postgres.items;
  stores.rabbitmq = capture.messages.map((message, index) => ({ source: `rabbitmq:${message.exchange}/${message.routingKey}#${index}`, text: `${message.content} ${message.properties}` }));
  stores.engineStore = engineStore.items;
  stores.engineRecords = recordItems(records);
  stores.logs = logLines.map((line, index) => ({ source: `log#${index}`, text: line }));
  columns.push(...postgres.columns, ...engineStore.columns);
  const keys = engineKeys(records);
  const nextKey = engineNextKey(saga.engine.engine);
  if (nextKey !== undefined) keys.add(nextKey);
  scanner = new CardDataScanner({ sentNumbers, sentCvcs, isKnownNumber: (digits) => keys.has(digits) || isTimestamp(digits) });
}

const describeFindings = (findings: Finding[]) => findings.map((finding) => `${finding.kind} ${finding.masked} in ${finding.source}`).join('\n');

describe('card data after a full run of the saga', () => {
  it('When the stores hold what the run wrote, then each of them was written to (the scan is not of empty stores)', async ({ annotate }) => {
    const counts = Object.fromEntries(Object.entries(stores).map(([store, items]) => [store, items.length]));
    await annotate(`items scanned: ${JSON.stringify(counts)}`);

    const has = (store: string, predicate: (item: ScanItem) => boolean, what: string) =>
      expect(stores[store]!.some(predicate), `Expected ${store} to hold ${what}, but it does not`).toBe(true);
    has('postgres', (item) => item.source.startsWith('postgres:payment.cards.'), 'the card store');
    has('rabbitmq', (item) => item.source.includes('/payment.charge#'), 'charge commands');
    has('rabbitmq', (item) => item.source.includes('/payment.card-updated#'), 'the card update event');
    has('engineStore', (item) => item.source.startsWith('engine:variables.'), 'process variables');
    has('engineRecords', (item) => item.text.includes('"valueType":"VARIABLE"'), 'variable records');
    has('logs', (item) => item.text.includes('Card tokenized'), 'the Payment service\'s log lines');
    // Lines of the engine, every service and the workers: the logger reached each component.
    for (const component of ['grpc-gateway', 'order-routes', 'payment-commands', 'inventory-commands', 'shipping-commands', 'job-worker', 'message-bridge']) {
      has('logs', (item) => item.text.includes(`"component":"${component}"`), `lines of ${component}`);
    }
  });

  it.each(['postgres', 'rabbitmq', 'engineStore', 'engineRecords', 'logs'])('When a card number and a CVC are planted in a copy of the %s data, then the scanner finds both', (store) => {
    const items = stores[store]!;
    const victim = Math.floor(items.length / 2);
    const planted = items.map((item, index) => (index === victim ? { ...item, text: `${item.text} ${cards.succeeds.number} ${cards.succeeds.cvc}` } : item));

    const { findings } = scanner.scanAll(planted);

    expect(findings.filter((finding) => finding.source === items[victim]!.source).map((finding) => finding.kind)).toEqual(
      expect.arrayContaining(['sent card number', 'luhn-valid number', 'sent CVC']),
    );
  });

  it.each(['postgres', 'rabbitmq', 'engineStore', 'engineRecords', 'logs'])('When the %s data is scanned, then it holds no card number and no CVC', (store) => {
    const { findings, scanned } = scanner.scanAll(stores[store]!);

    expect(scanned).toBeGreaterThan(0);
    expect(findings, `Expected no card data in ${store}, but found:\n${describeFindings(findings)}`).toEqual([]);
  });

  it('When the card store is read, then it holds tokens, last four digits, expiry and brand, and no column for a number or CVC', async () => {
    const cardColumns = columns.filter((column) => column.store === 'postgres:payment' && column.table === 'cards').map((column) => column.column);
    const lastFour = stores.postgres!.filter((item) => item.source.startsWith('postgres:payment.cards.last4#')).map((item) => item.text);

    expect(cardColumns).toEqual(expect.arrayContaining(['token', 'last4', 'expiry_month', 'expiry_year', 'brand']));
    expect(columns.filter((column) => /cvc|cvv|security.?code|card.?number|^number$|^pan$/i.test(column.column))).toEqual([]);
    // The expired card's number was replaced, so its last four digits are the replacement's.
    expect(lastFour.sort()).toEqual(['0002', '0005', '1111', '1117', '4242']);
  });
});
