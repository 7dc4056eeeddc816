import { describe, expect, it } from 'vitest';
import { laterStatusEventDecides } from '../../../services/order/domain/order-projection.js';
import { OrderStatus } from '../../../services/order/domain/order-status.js';

describe('order projection rules: when a later status event decides', () => {
  it.each([
    ['payment.card-expired', OrderStatus.PENDING, true],
    ['payment.charged', OrderStatus.AWAITING_CARD_UPDATE, true],
    ['shipping.shipped', OrderStatus.GOODS_FETCHED, true],
  ] as const)('When %s meets an order %s, then an already projected later status event keeps the status', (type, status, decides) => {
    expect(laterStatusEventDecides(status, type)).toBe(decides);
  });

  it.each([
    ['order.cancelled', OrderStatus.PENDING, 'the outcome applies whatever came later'],
    ['order.completed', OrderStatus.SHIPPED, 'the outcome applies whatever came later'],
    ['payment.refunded', OrderStatus.PENDING, 'the event has no status rule'],
    ['payment.charged', OrderStatus.SHIPPED, 'the rule does not move a SHIPPED order'],
    ['payment.card-expired', OrderStatus.CANCELLED, 'a final status never moves'],
  ] as const)('When %s meets an order %s, then later events are not looked up: %s', (type, status, _reason) => {
    expect(laterStatusEventDecides(status, type)).toBe(false);
  });
});
