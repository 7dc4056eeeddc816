/**
 * Every path of the checkout saga on the embedded engine: given an order, when the
 * services answer (or do not), then the record log shows the elements passed, the commands sent
 * and how the order ended. Every ending passes a task that tells the Order service the outcome
 * (`order.complete` or `order.cancel`).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ElementIntent } from '../../infra/engine/core/records.js';
import { CommandRejectedError } from '../../infra/engine/engine-api.js';
import { CheckoutDriver, days, minutes } from './checkout-driver.js';

let order: CheckoutDriver;
beforeEach(async () => {
  order = await CheckoutDriver.open();
  await order.placeOrder({ cardToken: 'card-1', items: [{ sku: 'SKU-1', quantity: 1 }], shippingAddress: { country: 'AT' } });
});
afterEach(() => order.close());

/** Payment charged and the goods reserved: the process waits at shipping. */
async function payAndFetchGoods(): Promise<void> {
  await order.completeCommand('payment.charge');
  await order.publishWhenWaiting('await-payment', 'payment.charged');
  await order.completeCommand('inventory.reserve');
  await order.publishWhenWaiting('await-goods', 'inventory.reserved');
}

/** Shipped, and the worker of Confirm order completed told the Order service. */
async function shipAndDeliver(): Promise<void> {
  await order.completeCommand('shipping.ship');
  await order.publishWhenWaiting('await-shipment', 'shipping.shipped');
  await order.completeCommand('order.complete');
}

function expectInOrder(actual: string[], expected: string[]): void {
  const positions = expected.map((id, i) => actual.indexOf(id, i === 0 ? 0 : actual.indexOf(expected[i - 1]!) + 1));
  expect({ missingOrOutOfOrder: expected.filter((_, i) => positions[i] === -1), actual }).toMatchObject({ missingOrOutOfOrder: [] });
}

describe('checkout: completed', () => {
  it('When payment, goods and shipment all succeed, then the order completes with nothing compensated', async () => {
    await payAndFetchGoods();
    await shipAndDeliver();
    await order.waitForEnd();

    expectInOrder(order.elements(), ['retrieve-payment', 'payment-charged', 'fetch-goods', 'goods-reserved', 'goods-fetched', 'checkout-before-shipping', 'ship-goods', 'goods-shipped', 'confirm-order-completed', 'order-completed']);
    expect(order.jobTypes()).toEqual(['payment.charge', 'inventory.reserve', 'shipping.ship', 'order.complete']);
    expect(order.variable('cancellationReason')).toBeUndefined();
  });

  it('When the card expired and the customer updates it within two weeks, then the payment is retried and the order completes', async () => {
    await order.completeCommand('payment.charge');
    await order.publishWhenWaiting('await-payment', 'payment.card-expired');
    await order.completeCommand('customer.notify');
    await order.passTimeWhenWaiting('await-card-update', days(13));
    await order.publishWhenWaiting('await-card-update', 'payment.card-updated');
    await order.completeCommand('payment.charge');
    await order.publishWhenWaiting('await-payment', 'payment.charged');
    await order.completeCommand('inventory.reserve');
    await order.publishWhenWaiting('await-goods', 'inventory.reserved');
    await shipAndDeliver();
    await order.waitForEnd();

    expectInOrder(order.elements(), ['card-expired', 'notify-card-expired', 'card-updated', 'retrieve-payment', 'payment-charged', 'confirm-order-completed', 'order-completed']);
    expect(order.jobTypes().filter((t) => t === 'payment.charge')).toHaveLength(2);
    expect(order.elements()).not.toContain('card-update-overdue');
  });

  it('When a stale card-expired answer parks the order although a later charge command went through, then payment.charged moves it on to the goods', async () => {
    await order.completeCommand('payment.charge');
    await order.publishWhenWaiting('await-payment', 'payment.card-expired');
    await order.completeCommand('customer.notify');
    await order.publishWhenWaiting('await-card-update', 'payment.charged');
    await order.completeCommand('inventory.reserve');
    await order.publishWhenWaiting('await-goods', 'inventory.reserved');
    await shipAndDeliver();
    await order.waitForEnd();

    expectInOrder(order.elements(), ['card-expired', 'notify-card-expired', 'payment-charged-after-all', 'fetch-goods', 'goods-reserved', 'confirm-order-completed', 'order-completed']);
    expect(order.elements()).not.toContain('card-update-overdue');
    expect(order.variable('cancellationReason')).toBeUndefined();
  });
});

describe('checkout: cancelled before anything was charged', () => {
  it('When the card expired and two weeks pass without an update, then the order is cancelled after a refund request for any charge still under way', async () => {
    await order.completeCommand('payment.charge');
    await order.publishWhenWaiting('await-payment', 'payment.card-expired');
    await order.completeCommand('customer.notify');
    await order.passTimeWhenWaiting('await-card-update', days(14));
    await order.completeCommand('payment.refund');
    await order.completeCommand('order.cancel');
    await order.waitForEnd();

    expectInOrder(order.elements(), ['card-expired', 'notify-card-expired', 'card-update-overdue', 'refund-payment-card-not-updated', 'cancelled-card-not-updated', 'confirm-order-cancelled', 'order-cancelled']);
    expect(order.jobTypes()).toEqual(['payment.charge', 'customer.notify', 'payment.refund', 'order.cancel']);
    expect(order.variable('cancellationReason')).toBe('card-not-updated');
  });

  it('When the payment is declined, then the order is cancelled and nothing refunded', async () => {
    await order.completeCommand('payment.charge');
    await order.publishWhenWaiting('await-payment', 'payment.declined');
    await order.completeCommand('order.cancel');
    await order.waitForEnd();

    expectInOrder(order.elements(), ['payment-declined', 'cancelled-payment-declined', 'confirm-order-cancelled', 'order-cancelled']);
    expect(order.jobTypes()).toEqual(['payment.charge', 'order.cancel']);
    expect(order.variable('cancellationReason')).toBe('payment-declined');
  });
});

describe('checkout: cancelled and compensated', () => {
  it('When the goods are out of stock, then the payment is refunded (goods not released) and the order cancelled', async () => {
    await order.completeCommand('payment.charge');
    await order.publishWhenWaiting('await-payment', 'payment.charged');
    await order.completeCommand('inventory.reserve');
    await order.publishWhenWaiting('await-goods', 'inventory.out-of-stock');
    await order.completeCommand('payment.refund');
    await order.completeCommand('order.cancel');
    await order.waitForEnd();

    expectInOrder(order.elements(), ['out-of-stock', 'refund-payment', 'refund-for-out-of-stock', 'cancelled-out-of-stock', 'confirm-order-cancelled', 'order-cancelled']);
    expect(order.jobTypes()).not.toContain('inventory.release');
    expect(order.variable('cancellationReason')).toBe('out-of-stock');
  });

  it('When shipping is rejected, then the goods are released, the payment refunded and the order cancelled', async () => {
    await payAndFetchGoods();
    await order.completeCommand('shipping.ship');
    await order.publishWhenWaiting('await-shipment', 'shipping.rejected');
    await order.completeCommand('inventory.release');
    await order.completeCommand('payment.refund');
    await order.completeCommand('order.cancel');
    await order.waitForEnd();

    expectInOrder(order.elements(), ['shipping-rejected', 'compensate-order', 'confirm-order-cancelled-shipping-rejected', 'order-cancelled-shipping-rejected']);
    expect(order.elements()).toEqual(expect.arrayContaining(['release-goods', 'refund-payment']));
    expect(order.jobTypes().at(-1)).toBe('order.cancel');
    expect(order.variable('cancellationReason')).toBe('shipping-rejected');
  });

  it.each([
    { when: 'the charge command is still with its worker', waitingAt: 'retrieve-payment', done: [] },
    { when: 'the payment result is awaited', waitingAt: 'await-payment', done: ['payment.charge'] },
    { when: 'the reserve command is still with its worker', waitingAt: 'fetch-goods', done: ['payment.charge', 'payment.charged'] },
    { when: 'the goods are reserved', waitingAt: 'await-goods', done: ['payment.charge', 'payment.charged', 'inventory.reserve'] },
  ])('When the customer cancels while $when, then the payment is refunded, the goods released and the order cancelled', async ({ waitingAt, done }) => {
    if (done.includes('payment.charge')) await order.completeCommand('payment.charge');
    if (done.includes('payment.charged')) await order.publishWhenWaiting('await-payment', 'payment.charged');
    if (done.includes('inventory.reserve')) await order.completeCommand('inventory.reserve');
    await order.publishWhenWaiting(waitingAt, 'order.cancel-requested');
    await order.completeCommand('payment.refund');
    await order.completeCommand('inventory.release');
    await order.completeCommand('order.cancel');
    await order.waitForEnd();

    expectInOrder(order.elements(), ['cancel-requested', 'refund-and-release', 'refund-and-release-sent', 'cancelled-by-customer', 'checkout-before-shipping', 'confirm-order-cancelled', 'order-cancelled']);
    expect(order.elements()).toEqual(expect.arrayContaining(['refund-payment-on-cancel', 'release-goods-on-cancel']));
    // Sent by the cancel path itself: compensation would skip a task cancelled while its job was active.
    expect(order.elements()).not.toContain('refund-payment');
    expect(order.elements()).not.toContain('release-goods');
    expect(order.jobTypes().filter((t) => t === 'payment.refund' || t === 'inventory.release').sort()).toEqual(['inventory.release', 'payment.refund']);
    expect(order.elements(ElementIntent.ELEMENT_TERMINATED)).toContain(waitingAt);
    expect(order.variable('cancellationReason')).toBe('customer-request');
  });

  it('When the customer cancels while a worker holds the charge job (command sent, job not completed), then refund and release are still sent and the late charge declined changes nothing', async () => {
    const charge = await order.activateCommand('payment.charge');
    await order.publishWhenWaiting('retrieve-payment', 'order.cancel-requested');
    await order.completeCommand('payment.refund');
    await order.completeCommand('inventory.release');
    await order.waitForElement('confirm-order-cancelled', ElementIntent.ELEMENT_ACTIVATED);

    // The worker finishes late; Payment had the refund first and declines the charge.
    await expect(order.engine.completeJob(charge.key)).rejects.toBeInstanceOf(CommandRejectedError);
    await order.engine.publishMessage({ name: 'payment.declined', correlationKey: order.orderId, variables: {} });
    await order.completeCommand('order.cancel');
    await order.waitForEnd();

    expect(order.elements(ElementIntent.ELEMENT_TERMINATED)).toContain('retrieve-payment');
    expect(order.elements()).not.toContain('retrieve-payment');
    expect(order.elements()).not.toContain('payment-declined');
    expect(order.elements()).toEqual(expect.arrayContaining(['refund-payment-on-cancel', 'release-goods-on-cancel']));
    expect(order.jobTypes().filter((t) => t === 'order.cancel')).toHaveLength(1);
    expect(order.variable('cancellationReason')).toBe('customer-request');
  });

  it('When the customer asks to cancel after shipping started, then the request is not correlated and the order completes', async () => {
    await payAndFetchGoods();
    await order.publishWhenWaiting('ship-goods', 'order.cancel-requested');
    await shipAndDeliver();
    await order.waitForEnd();

    expect(order.elements()).not.toContain('cancel-requested');
    expect(order.jobTypes()).not.toContain('payment.refund');
    expect(order.jobTypes()).not.toContain('order.cancel');
    expect(order.elements()).toContain('order-completed');
  });
});

describe('checkout: a service that does not answer', () => {
  it('When Payment does not answer within the service timeout, then the charge command is sent again', async () => {
    await order.completeCommand('payment.charge');
    await order.passTimeWhenWaiting('await-payment', minutes(5));
    await order.completeCommand('payment.charge');
    await order.publishWhenWaiting('await-payment', 'payment.charged');
    await order.waitForElement('fetch-goods', ElementIntent.ELEMENT_ACTIVATED);

    expect(order.jobTypes().filter((t) => t === 'payment.charge')).toHaveLength(2);
    expect(order.elements()).toContain('payment-timed-out');
  });

  it('When Payment leaves all attempts unanswered, then an incident stops the order, and after the operator resets the counter and resolves it, the command is sent again', async () => {
    for (let attempt = 1; attempt <= 3; attempt++) {
      await order.completeCommand('payment.charge');
      await order.waitForElement('await-payment', ElementIntent.ELEMENT_ACTIVATED, attempt);
      order.engine.clock.add(minutes(5));
      await order.waitForElement('payment-timed-out', ElementIntent.ELEMENT_COMPLETED, attempt);
    }
    const incident = await order.waitForIncident();
    expect(incident.value).toMatchObject({ errorType: 'CONDITION_ERROR', elementId: 'payment-attempts-left' });
    expect(order.jobTypes().filter((t) => t === 'payment.charge')).toHaveLength(3);

    await order.engine.setVariables({ elementInstanceKey: order.instanceKey, variables: { paymentAttempts: 0 } });
    await order.engine.resolveIncident(String(incident.key));
    await order.completeCommand('payment.charge');

    expect(order.jobTypes().filter((t) => t === 'payment.charge')).toHaveLength(4);
  });

  it('When the order sets serviceTimeout, then the process waits that long before re-sending', async () => {
    await order.close();
    order = await CheckoutDriver.open('order-2');
    await order.placeOrder({ serviceTimeout: 'PT30S' });
    await order.completeCommand('payment.charge');
    await order.passTimeWhenWaiting('await-payment', 30_000);
    await order.waitForElement('payment-timed-out');

    expect(order.jobTypes().filter((t) => t === 'payment.charge')).toHaveLength(2);
  });
});
