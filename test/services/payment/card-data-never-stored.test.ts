import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findCardNumber } from '../../../infra/messaging/index.js';
import { buildChargeCommand, buildRefundCommand, PaymentServiceTestKit } from './payment-service-test-kit.js';

const numbers = ['4242424242424242', '4000000000000002', '5555555555554444', '378282246310005'];
const cvcs = ['731', '8642'];

let kit: PaymentServiceTestKit;
beforeAll(async () => {
  kit = await PaymentServiceTestKit.start();
  await runEveryCardPath();
});
afterAll(() => kit?.stop());

/** Tokenizes, rejects, updates, charges (each outcome) and refunds, so every code path that sees card data has run. */
async function runEveryCardPath(): Promise<void> {
  const succeeding = await kit.tokenize({ number: '4242 4242 4242 4242', cvc: cvcs[0] });
  const declining = await kit.tokenize({ number: numbers[1], cvc: cvcs[1] });
  const expired = await kit.tokenize({ number: numbers[3], expiry: '01/21', cvc: cvcs[1] });
  await kit.request('POST', '/cards', { body: { number: numbers[0], expiry: '12/34', cvc: '1' } });
  await kit.request('POST', '/cards', { body: { number: numbers[2], expiry: '99/99', cvc: cvcs[0], extra: numbers[1] } });
  await kit.request('POST', '/cards', { rawBody: `{"number": "${numbers[0]}", "cvc": "${cvcs[0]}"` });

  const charges = [buildChargeCommand(succeeding), buildChargeCommand(declining), buildChargeCommand(expired)];
  await kit.send(...charges);
  await kit.eventOf(charges[2]!.payload.orderId, 'payment.card-expired');
  await kit.request('PUT', `/cards/${expired}`, { body: { number: numbers[2], expiry: '10/35', cvc: cvcs[0] } });
  await kit.request('PUT', `/cards/${declining}`, { body: { number: '4242424242424241', cvc: cvcs[1] } });
  await kit.send(buildChargeCommand(expired, { orderId: charges[2]!.payload.orderId }), buildRefundCommand(charges[0]!.payload.orderId));
  await kit.eventOf(charges[0]!.payload.orderId, 'payment.refunded');
  await kit.eventOf(charges[2]!.payload.orderId, 'payment.charged');
}

/** Every row of every table in the Payment database, as JSON. */
async function allRows(): Promise<{ table: string; row: Record<string, unknown> }[]> {
  const tables = await kit.db.$queryRawUnsafe<{ name: string }[]>(`SELECT table_name::text AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`);
  const rows: { table: string; row: Record<string, unknown> }[] = [];
  for (const { name } of tables) {
    const found = await kit.db.$queryRawUnsafe<{ row: Record<string, unknown> }[]>(`SELECT row_to_json(t) AS row FROM "${name}" t`);
    rows.push(...found.map(({ row }) => ({ table: name, row })));
  }
  return rows;
}

function cardDataIn(value: unknown): string[] {
  const text = JSON.stringify(value);
  const found = numbers.filter((number) => text.replace(/[ -]/g, '').includes(number));
  const path = findCardNumber(value);
  if (path !== undefined) found.push(`Luhn-valid digits at ${path}`);
  found.push(...cvcs.filter((cvc) => text.includes(`"${cvc}"`)).map((cvc) => `CVC ${cvc}`));
  if (/"cvc"|"number"/i.test(text)) found.push('a cvc or number field');
  return found;
}

describe('Card data after tokenizing, updating, charging and refunding', () => {
  it('When every table of the Payment database is scanned, then no card number or CVC is found', async () => {
    const rows = await allRows();

    expect(rows.filter(({ table }) => table === 'cards').length).toBeGreaterThanOrEqual(3);
    expect(rows.filter(({ table }) => table === 'payments').length).toBeGreaterThanOrEqual(4);
    expect(rows.flatMap(({ table, row }) => cardDataIn(row).map((finding) => `${table}: ${finding}`))).toEqual([]);
  });

  it('When every log line the service wrote is scanned, then no card number or CVC is found', () => {
    // The pino timestamp is 13 digits and may pass Luhn by chance; it is a time, not card data.
    const findings = kit.logLines.flatMap((line) => {
      const { time: _time, ...entry } = JSON.parse(line) as Record<string, unknown>;
      return cardDataIn(entry).map((finding) => `${finding} in ${line}`);
    });

    expect(kit.logLines.length).toBeGreaterThan(10);
    expect(findings).toEqual([]);
  });

  it('When every event the service published is scanned, then no card number or CVC is found', () => {
    expect(kit.received.length).toBeGreaterThanOrEqual(6);
    expect(kit.received.flatMap((message) => cardDataIn(message))).toEqual([]);
  });
});
