// The order's live timeline: server-sent events from GET /orders/:id/events, history first.

/** What each timeline entry means to a shopper. */
const labels = {
  'order.placed': 'Order placed',
  'checkout.started': 'Checkout started',
  'payment.charged': 'Payment received',
  'payment.declined': 'Payment declined',
  'payment.card-expired': 'Card expired: awaiting a card update',
  'payment.card-updated': 'Card updated',
  'payment.refunded': 'Payment refunded',
  'inventory.reserved': 'Goods reserved',
  'inventory.out-of-stock': 'Out of stock',
  'inventory.released': 'Goods released',
  'shipping.shipped': 'Shipped',
  'shipping.rejected': 'Shipping rejected',
  'customer.notified': 'Confirmation sent',
  'order.cancel-requested': 'Cancellation requested',
  'order.completed': 'Completed',
  'order.cancelled': 'Cancelled',
};

export const statusLabels = {
  PENDING: 'Pending',
  AWAITING_CARD_UPDATE: 'Awaiting card update',
  PAID: 'Paid',
  GOODS_FETCHED: 'Goods reserved',
  SHIPPED: 'Shipped',
  COMPLETED: 'Completed',
  CANCELLED: 'Cancelled',
};

/** Why the checkout cancelled an order (`cancellationReason`), in the shopper's words. */
export const cancellationReasonLabels = {
  'payment-declined': 'the payment was declined',
  'card-not-updated': 'the card was not updated within 14 days',
  'out-of-stock': 'an item is out of stock',
  'shipping-rejected': 'the carrier cannot deliver to the address',
  'customer-request': 'at your request',
  'operator-request': 'by customer service',
};

export const terminalStatuses = ['COMPLETED', 'CANCELLED'];

/** Renders the entries, oldest first; entries already shown (by id) are skipped. */
export function renderTimeline(list, entries) {
  const shown = new Set([...list.children].map((item) => item.dataset.id));
  for (const entry of entries) {
    if (shown.has(entry.id)) continue;
    const item = document.createElement('li');
    item.dataset.id = entry.id;
    item.dataset.type = entry.type;
    item.dataset.at = entry.at;
    const time = document.createElement('time');
    time.dateTime = entry.at;
    time.textContent = new Date(entry.at).toLocaleTimeString();
    const text = document.createElement('span');
    text.textContent = labels[entry.type] ?? entry.type;
    item.append(time, text);
    const detail = describe(entry);
    if (detail) {
      const small = document.createElement('span');
      small.className = 'detail';
      small.textContent = ` (${detail})`;
      item.append(small);
    }
    // Entries can arrive out of time order (events are delivered at least once, in any order).
    const later = [...list.children].find((other) => other.dataset.at > entry.at);
    list.insertBefore(item, later ?? null);
  }
}

function describe(entry) {
  const detail = entry.detail ?? {};
  if (detail.trackingNumber) return `tracking ${detail.trackingNumber}`;
  if (detail.cardLast4) return `card •••• ${detail.cardLast4}`;
  if (entry.type === 'order.cancelled' && detail.reason) return cancellationReasonLabels[detail.reason] ?? String(detail.reason);
  if (detail.reason) return String(detail.reason);
  if (detail.requestedBy === 'operator') return 'by customer service';
  return '';
}

/**
 * Follows the order's event stream. EventSource cannot send an Authorization header, so each
 * connection first asks for a 60-second stream token for this order and passes it in the query.
 * A dropped connection is re-opened with a fresh token (the server sends the snapshot again).
 * @param {{ orderId: string, streamToken: () => Promise<{ token: string }>, onSnapshot: Function, onEntry: Function, onStatus: Function, onConnection: Function }} options
 * @returns {{ close(): void }}
 */
export function followOrder({ orderId, streamToken, onSnapshot, onEntry, onStatus, onConnection }) {
  let source;
  let closed = false;
  let retryMs = 1000;
  const connect = async () => {
    if (closed) return;
    onConnection('connecting');
    let token;
    try {
      ({ token } = await streamToken());
    } catch (error) {
      onConnection('error', error);
      return void setTimeout(connect, retryMs);
    }
    if (closed) return;
    source = new EventSource(`/orders/${encodeURIComponent(orderId)}/events?access_token=${encodeURIComponent(token)}`);
    source.addEventListener('snapshot', (event) => {
      retryMs = 1000;
      onConnection('live');
      onSnapshot(JSON.parse(event.data));
    });
    source.addEventListener('timeline', (event) => onEntry(JSON.parse(event.data)));
    source.addEventListener('status', (event) => onStatus(JSON.parse(event.data)));
    source.addEventListener('error', () => {
      source.close();
      if (closed) return;
      onConnection('reconnecting');
      retryMs = Math.min(retryMs * 2, 15_000);
      setTimeout(connect, retryMs);
    });
  };
  void connect();
  return {
    close() {
      closed = true;
      source?.close();
    },
  };
}
