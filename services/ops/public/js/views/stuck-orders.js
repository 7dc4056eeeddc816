import { api } from '../api.js';
import { empty, errorBox, formatDate, h, loading, replace } from '../dom.js';
import { keepRefreshed, refreshedAt } from '../poller.js';

/**
 * The Order service's stuck-order watchdog: orders whose status has not moved for longer than its
 * threshold, oldest first, each linked to its checkout instance. Refreshes every 5 s.
 */
export function renderStuckOrders(view) {
  const updated = h('span', { class: 'updated' });
  const body = h('div', {}, loading('Asking the Order service…'));
  replace(view, h('div', { class: 'title-row' }, h('h1', {}, 'Stuck orders'), updated), body);

  const refresh = async () => {
    try {
      const list = await api.stuckOrders();
      replace(body, h('p', { class: 'muted' }, `Orders whose status has not changed for ${formatThreshold(list.thresholdMs)} (an order awaiting a card update: its 14 days first).`), list.items.length === 0 ? empty('No order is stuck.') : table(list));
      refreshedAt(updated);
    } catch (error) {
      replace(body, errorBox(error, 'Could not load the stuck orders'));
      throw error;
    }
  };
  return keepRefreshed(refresh);
}

function table({ items, total }) {
  return [
    h(
      'table',
      { class: 'grid', 'data-testid': 'stuck-orders' },
      h('thead', {}, h('tr', {}, ['Order', 'Status', 'Since', 'Instance'].map((title) => h('th', {}, title)))),
      h(
        'tbody',
        {},
        items.map((order) =>
          h(
            'tr',
            { dataset: { orderId: order.orderId } },
            h('td', { class: 'mono' }, order.orderId),
            h('td', {}, h('span', { class: `badge badge-${order.status.toLowerCase()}` }, order.status)),
            h('td', {}, formatDate(order.since)),
            h('td', {}, order.processInstanceKey ? h('a', { href: `#/instances/${encodeURIComponent(order.processInstanceKey)}`, class: 'mono' }, order.processInstanceKey) : h('span', { class: 'muted' }, 'not started')),
          ),
        ),
      ),
    ),
    total > items.length ? h('p', { class: 'muted' }, `Showing the oldest ${items.length} of ${total}.`) : null,
  ];
}

function formatThreshold(ms) {
  const minutes = Math.round(ms / 60_000);
  return minutes >= 120 ? `${Math.round(minutes / 60)} hours` : minutes >= 1 ? `${minutes} minutes` : `${Math.round(ms / 1000)} seconds`;
}
