/**
 * The checkout saga end to end over HTTP, one test per path of checkout.bpmn, everything real: the
 * engine (testing kit, pinned clock), the Order, Payment, Inventory and Shipping services, the job
 * workers and the message bridge, PostgreSQL and RabbitMQ. After every path the saga's invariants
 * are checked through the services' own APIs: money, stock and shipments.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertThatProcessInstance } from '../../infra/engine/testing/index.js';
import type { InventoryService } from '../../services/inventory/inventory-service.js';
import { PAST_EXPIRY, FUTURE_EXPIRY, SAGA_START_MS, SAGA_WAIT_MS, SagaHarness, TEST_CARDS, buildOrderRequest, newCustomerId, type Payment } from './saga-harness.js';

const TERMINAL = ['COMPLETED', 'CANCELLED'];

interface PlacedOrder {
  orderId: string;
  total: { amount: number; currency: string };
  items: { sku: string; quantity: number }[];
  stockBefore: Record<string, number>;
}

describe('checkout saga end to end', () => {
  let saga: SagaHarness;

  beforeAll(async () => {
    saga = await SagaHarness.start();
  }, SAGA_START_MS);

  afterAll(async () => {
    await saga?.stop();
  }, 60_000);

  /** Records the stock of the order's SKUs, then places it; fails unless the order is created. */
  async function placeOrder(overrides: Record<string, unknown>): Promise<PlacedOrder> {
    const request = buildOrderRequest(overrides);
    const items = request.items as PlacedOrder['items'];
    const stockBefore = await saga.stockOf(items.map((item) => item.sku));
    const response = await saga.placeOrder(request);
    expect(response.status).toBe(201);
    return { orderId: response.body.orderId, total: response.body.total, items, stockBefore };
  }

  const succeeded = (type: Payment['type']) => (payments: Payment[]) => payments.filter((payment) => payment.type === type && payment.status === 'succeeded');
  const sum = (payments: Payment[]) => payments.reduce((total, payment) => total + payment.amount, 0);

  /**
   * Charged minus refunded is the total for a completed order and 0 for a cancelled one; the stock
   * went down by the shipped quantity (completed) or not at all (cancelled); at most one shipment.
   * Compensating commands are confirmed by the broker before the order is cancelled, not yet handled,
   * so the money and stock are polled for a bounded time.
   */
  async function expectInvariants(order: PlacedOrder, status: 'COMPLETED' | 'CANCELLED'): Promise<void> {
    const completed = status === 'COMPLETED';
    await expect
      .poll(async () => {
        const payments = await saga.paymentsOf(order.orderId);
        return sum(succeeded('charge')(payments)) - sum(succeeded('refund')(payments));
      }, { timeout: SAGA_WAIT_MS, interval: 50 })
      .toBe(completed ? order.total.amount : 0);
    const expectedStock = Object.fromEntries(
      Object.entries(order.stockBefore).map(([sku, before]) => [sku, before - (completed ? order.items.filter((item) => item.sku === sku).reduce((units, item) => units + item.quantity, 0) : 0)]),
    );
    await expect.poll(() => saga.stockOf(Object.keys(order.stockBefore)), { timeout: SAGA_WAIT_MS, interval: 50 }).toEqual(expectedStock);
    const shipments = await saga.shipmentsOf(order.orderId);
    expect(shipments.length).toBeLessThanOrEqual(1);
    if (completed) expect(shipments).toEqual([expect.objectContaining({ orderId: order.orderId, status: 'shipped' })]);
  }

  it('When a customer checks out with a card that succeeds, then the order is COMPLETED, charged once and shipped once', async () => {
    const order = await placeOrder({ cardToken: await saga.tokenizeCard() });

    const final = await saga.waitForStatus(order.orderId, ...TERMINAL);

    expect(final.status).toBe('COMPLETED');
    expect(succeeded('charge')(await saga.paymentsOf(order.orderId))).toHaveLength(1);
    await expectInvariants(order, 'COMPLETED');
  });

  it('When the card has expired and the customer updates it within two weeks, then the order is COMPLETED and charged once', async () => {
    const cardToken = await saga.tokenizeCard(TEST_CARDS.succeeds, PAST_EXPIRY);
    const order = await placeOrder({ cardToken });
    await saga.waitForStatus(order.orderId, 'AWAITING_CARD_UPDATE');

    const update = await saga.http('payment', 'PUT', `/cards/${cardToken}`, { body: { expiry: FUTURE_EXPIRY } });

    expect(update.status).toBe(200);
    const final = await saga.waitForStatus(order.orderId, ...TERMINAL);
    expect(final.status).toBe('COMPLETED');
    expect(succeeded('charge')(await saga.paymentsOf(order.orderId))).toHaveLength(1);
    await expectInvariants(order, 'COMPLETED');
  });

  it('When the card has expired and two weeks pass without an update, then the order is CANCELLED and nothing is charged', async () => {
    const order = await placeOrder({ cardToken: await saga.tokenizeCard(TEST_CARDS.succeeds, PAST_EXPIRY) });
    const { processInstanceKey } = await saga.waitForStatus(order.orderId, 'AWAITING_CARD_UPDATE');
    // The two-week timer exists only once the process waits for the update; moving time earlier would not fire it.
    await assertThatProcessInstance(saga.engine, { processInstanceKey }).isWaitingForMessage('payment.card-updated', order.orderId);

    await saga.engine.increaseTime('P14D');

    const final = await saga.waitForStatus(order.orderId, ...TERMINAL);
    expect(final).toMatchObject({ status: 'CANCELLED', cancellationReason: 'card-not-updated' });
    expect(succeeded('charge')(await saga.paymentsOf(order.orderId))).toEqual([]);
    await expectInvariants(order, 'CANCELLED');
  });

  it('When the card is declined, then the order is CANCELLED and nothing is charged', async () => {
    const order = await placeOrder({ cardToken: await saga.tokenizeCard(TEST_CARDS.declined) });

    const final = await saga.waitForStatus(order.orderId, ...TERMINAL);

    expect(final).toMatchObject({ status: 'CANCELLED', cancellationReason: 'payment-declined' });
    expect(succeeded('charge')(await saga.paymentsOf(order.orderId))).toEqual([]);
    await expectInvariants(order, 'CANCELLED');
  });

  it('When a SKU is out of stock, then the payment is refunded and the order is CANCELLED', async () => {
    await saga.setStock('SKU-POSTER', 0);
    const order = await placeOrder({ cardToken: await saga.tokenizeCard(), items: [{ sku: 'SKU-POSTER', quantity: 1 }] });

    const final = await saga.waitForStatus(order.orderId, ...TERMINAL);

    expect(final).toMatchObject({ status: 'CANCELLED', cancellationReason: 'out-of-stock' });
    await expectInvariants(order, 'CANCELLED');
    expect(succeeded('refund')(await saga.paymentsOf(order.orderId))).toEqual([expect.objectContaining({ amount: order.total.amount })]);
  });

  it('When the carrier rejects the address (country AQ), then the goods are released, the payment refunded and the order CANCELLED', async () => {
    const shippingAddress = { name: 'Station Crew', line1: '1 Ice Shelf', city: 'McMurdo', postalCode: '9999', country: 'AQ' };
    const order = await placeOrder({ cardToken: await saga.tokenizeCard(), shippingAddress });

    const final = await saga.waitForStatus(order.orderId, ...TERMINAL);

    expect(final).toMatchObject({ status: 'CANCELLED', cancellationReason: 'shipping-rejected' });
    await expectInvariants(order, 'CANCELLED');
    expect(succeeded('refund')(await saga.paymentsOf(order.orderId))).toEqual([expect.objectContaining({ amount: order.total.amount })]);
  });

  it('When the customer cancels after payment while the reservation is still in flight, then the payment is refunded, the goods released and the order CANCELLED', async () => {
    // Inventory is down, so the reserve command waits in its queue: payment is done, the reservation is not.
    const items = [{ sku: 'SKU-CAP', quantity: 3 }];
    const stockBefore = await saga.stockOf(['SKU-CAP']);
    const request = buildOrderRequest({ cardToken: await saga.tokenizeCard(), items });
    await saga.stopInventory();
    let order: PlacedOrder;
    let inventory: InventoryService;
    try {
      const placed = await saga.placeOrder(request);
      expect(placed.status).toBe(201);
      order = { orderId: placed.body.orderId, total: placed.body.total, items, stockBefore };
      const { processInstanceKey } = await saga.waitForStatus(order.orderId, 'PAID');
      await assertThatProcessInstance(saga.engine, { processInstanceKey }).isWaitingForMessage('inventory.reserved', order.orderId);

      const cancel = await saga.http('order', 'POST', `/orders/${order.orderId}/cancel`);

      expect(cancel.status).toBe(202);
      const final = await saga.waitForStatus(order.orderId, ...TERMINAL);
      expect(final).toMatchObject({ status: 'CANCELLED', cancellationReason: 'customer-request' });
      await assertThatProcessInstance(saga.engine, { processInstanceKey }).hasPassedElements('refund-payment-on-cancel', 'release-goods-on-cancel');
    } finally {
      inventory = await saga.startInventory();
    }
    // Back up, Inventory handles the queued reserve, then the release that compensates it.
    await inventory.commandConsumer.waitFor('ack', 2, SAGA_WAIT_MS);
    await expectInvariants(order, 'CANCELLED');
  });

  it('When an operator cancels an order waiting for a card update, then it is CANCELLED with reason operator-request and nothing is charged', async () => {
    const order = await placeOrder({ cardToken: await saga.tokenizeCard(TEST_CARDS.succeeds, PAST_EXPIRY) });
    await saga.waitForStatus(order.orderId, 'AWAITING_CARD_UPDATE');

    const cancel = await saga.opsHttp('order', 'POST', `/ops/orders/${order.orderId}/cancellation`);

    expect(cancel.status).toBe(202);
    const final = await saga.waitForStatus(order.orderId, ...TERMINAL);
    expect(final).toMatchObject({ status: 'CANCELLED', cancellationReason: 'operator-request' });
    await expectInvariants(order, 'CANCELLED');
  });

  it('When POST /orders is repeated with the same Idempotency-Key, then one order is created and checked out once', async () => {
    const customerId = newCustomerId();
    const request = buildOrderRequest({ cardToken: await saga.tokenizeCard(TEST_CARDS.succeeds, FUTURE_EXPIRY, customerId) });
    const key = randomUUID();
    const stockBefore = await saga.stockOf(['SKU-TSHIRT', 'SKU-MUG']);

    const first = await saga.placeOrder(request, key, customerId);
    const second = await saga.placeOrder(request, key, customerId);

    expect(first.status).toBe(201);
    expect(second).toMatchObject({ status: 200, body: { orderId: first.body.orderId } });
    const listed = await saga.http('order', 'GET', '/orders', { as: customerId });
    expect(listed.body.total).toBe(1);
    const final = await saga.waitForStatusOf(customerId, first.body.orderId, ...TERMINAL);
    expect(final.status).toBe('COMPLETED');
    expect(succeeded('charge')(await saga.paymentsOf(first.body.orderId))).toHaveLength(1);
    await expectInvariants({ orderId: first.body.orderId, total: first.body.total, items: request.items as PlacedOrder['items'], stockBefore }, 'COMPLETED');
  });
});
