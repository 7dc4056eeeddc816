// The checkout page: sign in (dev login), pick items, tokenize the card at the Payment service,
// place the order, then follow it live and react to what it needs (a card update) or allows (cancel).
import { ApiError, orderApi, paymentApi } from './api.js';
import { cancellationReasonLabels, followOrder, renderTimeline, statusLabels, terminalStatuses } from './timeline.js';

/** The cancel rules of the Order service: cancellable until shipping starts. */
const cancellableStatuses = ['PENDING', 'AWAITING_CARD_UPDATE', 'PAID'];
const SESSION_KEY = 'orderflow.session';
/** The order a tab shows is in its address, so a reload, or the address opened again, shows it again. */
const ORDER_IN_ADDRESS = /^#\/orders\/([0-9a-f-]{36})$/i;
const finalStatusText = 'Final status reached.';

const $ = (id) => document.getElementById(id);
const state = { session: undefined, payments: undefined, order: undefined, follower: undefined, card: undefined, pendingKey: undefined };

function showNotice(message, { kind = 'error', fields = [] } = {}) {
  const notice = $('notice');
  notice.className = kind === 'info' ? 'notice info' : 'notice';
  notice.replaceChildren(document.createTextNode(message));
  if (fields.length > 0) {
    const list = document.createElement('ul');
    for (const { field, message: text } of fields) {
      const item = document.createElement('li');
      item.textContent = `${field}: ${text}`;
      list.append(item);
    }
    notice.append(list);
  }
  notice.hidden = false;
  notice.scrollIntoView({ block: 'nearest' });
}

function clearNotice() {
  $('notice').hidden = true;
  document.querySelectorAll('[aria-invalid="true"]').forEach((input) => input.removeAttribute('aria-invalid'));
}

/** Shows a problem+json answer, marking the inputs it names; a refused sign-in signs the shopper out. */
function showProblem(error, fieldInputs = {}) {
  if (!(error instanceof ApiError)) return showNotice(`Something went wrong: ${error.message}`);
  if (signInRefused(error)) return signOutExpired();
  const { title, detail, errors = [], retryAfter } = error.problem;
  for (const { field } of errors) fieldInputs[field]?.setAttribute('aria-invalid', 'true');
  // With a wait to tell (429), the wait is what the shopper needs; the detail explains the limit to developers.
  showNotice(retryAfter ? `${title}: try again in ${retryAfter} s.` : `${title}: ${detail}`, { fields: errors });
}

/** Disables the button and shows `label` while `work` runs. */
async function busy(button, label, work) {
  const original = button.textContent;
  button.disabled = true;
  button.textContent = label;
  button.setAttribute('aria-busy', 'true');
  try {
    return await work();
  } finally {
    button.disabled = false;
    button.textContent = original;
    button.removeAttribute('aria-busy');
  }
}

const formatMoney = (amount, currency) => new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(amount / 100);

// --- Session ---------------------------------------------------------------------------------

function setSession(session) {
  // A card kept for the next try, and the try's key, belong to the customer who sent them.
  if (session && state.card && state.card.customerId !== session.customerId) forgetAttempt();
  state.session = session;
  if (session) sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
  else sessionStorage.removeItem(SESSION_KEY);
  $('session').hidden = !session;
  $('session-customer').textContent = session?.customerId ?? '';
  $('sign-in-section').hidden = Boolean(session);
  $('checkout-form').hidden = !session || Boolean(state.order);
}

/** Drops the card kept from an unfinished attempt, and its key: the next order starts afresh. */
function forgetAttempt() {
  state.card = undefined;
  state.pendingKey = undefined;
  $('place-order-progress').textContent = '';
}

/** The Order or Payment service refused the customer's token: it lasts 8 hours, and a tab can stay open longer. */
const signInRefused = (error) => error instanceof ApiError && error.problem.status === 401;

/**
 * Signs out calmly after a refused token, whatever the page was doing. The order stays in the
 * address and the form keeps what was typed, so signing in again brings back what the shopper saw.
 */
function signOutExpired() {
  if (!state.session) return;
  leaveOrder();
  $('customer-id').value = state.session.customerId;
  setSession(undefined);
  showNotice(`Your sign-in has expired; sign in again to ${orderIdInAddress() ? 'see your order' : 'place your order'}.`, { kind: 'info' });
}

async function signIn(event) {
  event.preventDefault();
  clearNotice();
  const input = $('customer-id');
  const customerId = input.value.trim();
  if (!customerId) {
    input.setAttribute('aria-invalid', 'true');
    return showNotice('Enter a customer id to sign in.');
  }
  try {
    const { token } = await busy(event.submitter ?? $('sign-in-form').querySelector('button'), 'Signing in…', () => orderApi.devLogin(customerId));
    setSession({ customerId, token });
  } catch (error) {
    return showProblem(error, { customerId: input });
  }
  await showOrderInAddress();
}

// --- Catalog ---------------------------------------------------------------------------------

async function loadProducts() {
  try {
    const { items } = await orderApi.products();
    const body = $('products').querySelector('tbody');
    body.replaceChildren(
      ...items.map((product, index) => {
        const row = document.createElement('tr');
        const id = `quantity-${product.sku}`;
        row.innerHTML = `<td><label for="${id}"></label></td><td></td><td><input class="quantity" type="number" min="0" max="1000" step="1" value="${index === 0 ? 1 : 0}" /></td>`;
        row.querySelector('label').textContent = product.name;
        row.children[1].textContent = formatMoney(product.price, product.currency);
        const input = row.querySelector('input');
        input.id = id;
        input.dataset.sku = product.sku;
        input.dataset.price = String(product.price);
        input.dataset.currency = product.currency;
        input.addEventListener('input', updateEstimate);
        return row;
      }),
    );
    $('products').hidden = false;
    $('products-loading').hidden = true;
    updateEstimate();
  } catch (error) {
    $('products-loading').textContent = 'The catalog could not be loaded.';
    showProblem(error);
  }
}

function chosenItems() {
  return [...document.querySelectorAll('input.quantity')]
    .map((input) => ({ sku: input.dataset.sku, quantity: Number(input.value), price: Number(input.dataset.price), currency: input.dataset.currency }))
    .filter((item) => Number.isInteger(item.quantity) && item.quantity > 0);
}

function updateEstimate() {
  const items = chosenItems();
  const total = items.reduce((sum, item) => sum + item.price * item.quantity, 0);
  $('estimated-total').textContent = items.length ? formatMoney(total, items[0].currency) : '–';
}

// --- Placing the order -----------------------------------------------------------------------

async function placeOrder(event) {
  event.preventDefault();
  clearNotice();
  const items = chosenItems().map(({ sku, quantity }) => ({ sku, quantity }));
  if (items.length === 0) return showNotice('Choose at least one item.');
  const address = {
    name: $('ship-name').value.trim(),
    line1: $('ship-line1').value.trim(),
    city: $('ship-city').value.trim(),
    postalCode: $('ship-postal-code').value.trim(),
    country: $('ship-country').value.trim().toUpperCase(),
  };
  const button = $('place-order');
  const progress = $('place-order-progress');
  await busy(button, 'Placing order…', async () => {
    try {
      // A card tokenized by an earlier attempt is reused unless a new number was typed.
      if ($('card-number').value.trim() !== '' || !state.card) {
        progress.textContent = 'Sending the card to the Payment service…';
        const tokenized = await state.payments.tokenizeCard(state.session.token, { number: $('card-number').value, expiry: $('card-expiry').value.trim(), cvc: $('card-cvc').value.trim() });
        state.card = { ...tokenized, customerId: state.session.customerId };
        // Only the token remains on the page.
        $('card-number').value = '';
        $('card-cvc').value = '';
      }
      const card = state.card;
      progress.textContent = `Card •••• ${card.last4} accepted; placing the order…`;
      // One key per order attempt: a retry after a network failure cannot create a second order.
      state.pendingKey ??= crypto.randomUUID();
      const placed = await orderApi.placeOrder(state.session.token, { items, cardToken: card.cardToken, shippingAddress: address }, state.pendingKey);
      state.pendingKey = undefined;
      progress.textContent = '';
      showOrder({ orderId: placed.orderId, status: placed.status }, card);
    } catch (error) {
      // The card fields were emptied once the card was tokenized: say that the next try still uses it.
      progress.textContent = state.card ? `Card •••• ${state.card.last4} is kept for the next try; type a number to use another.` : '';
      // A refusal of the order ends the attempt. An unanswered request, or one refused before the order
      // was read (401, 429), is retried with the same key: an earlier unanswered one may have placed it.
      if (error instanceof ApiError && error.problem.status >= 400 && error.problem.status < 500 && ![401, 429].includes(error.problem.status)) state.pendingKey = undefined;
      showProblem(error, {
        number: $('card-number'),
        expiry: $('card-expiry'),
        cvc: $('card-cvc'),
        ...Object.fromEntries(Object.keys(address).map((key) => [`shippingAddress.${key}`, $(`ship-${key === 'postalCode' ? 'postal-code' : key}`)])),
      });
    }
  });
}

// --- Following the order ---------------------------------------------------------------------

/** `card` is the order's card: its token, and its last digits when the page tokenized it. */
function showOrder({ orderId, status, cancellationReason = null, timeline = [] }, card) {
  state.order = { orderId, status, cancellationReason, card, cancelRequest: undefined };
  state.card = undefined;
  putOrderInAddress(orderId);
  $('card-update-last4').textContent = card.last4 ? `•••• ${card.last4}` : '';
  $('checkout-form').hidden = true;
  $('order-section').hidden = false;
  $('order-id').textContent = orderId;
  $('timeline').replaceChildren();
  showTimeline(timeline);
  state.follower?.close();
  // An order shown again after it ended has nothing left to stream.
  if (terminalStatuses.includes(status)) return void ($('order-connection').textContent = finalStatusText);
  state.follower = followOrder({
    orderId,
    streamToken: () => orderApi.streamToken(state.session.token, orderId),
    onSnapshot: showLatest,
    onEntry: (entry) => showTimeline([entry]),
    onStatus: updateStatus,
    onConnection: (connection, error) => {
      // A reconnect asks for a stream token with the customer's token, which may have expired meanwhile.
      if (signInRefused(error)) return signOutExpired();
      const text = { connecting: 'Connecting to live updates…', live: 'Live', reconnecting: 'Connection lost; reconnecting…', error: 'Live updates unavailable; retrying…' };
      $('order-connection').textContent = text[connection] ?? '';
    },
  });
}

/** The order as the service answers it now (a stream's snapshot, a read): its new entries and its status. */
function showLatest(order) {
  showTimeline(order.timeline);
  updateStatus(order);
}

/**
 * Adds the entries; the card update form names the card the timeline last named (an update may bring
 * a new number), and a cancellation is asked for once the timeline records a request.
 */
function showTimeline(entries) {
  renderTimeline($('timeline'), entries);
  const last4 = entries.map((entry) => entry.detail?.cardLast4).filter(Boolean).at(-1);
  if (last4) $('card-update-last4').textContent = `•••• ${last4}`;
  state.order.cancelRequest = entries.filter((entry) => entry.type === 'order.cancel-requested').at(-1) ?? state.order.cancelRequest;
  renderStatus();
}

function updateStatus({ status, cancellationReason }) {
  state.order = { ...state.order, status, cancellationReason };
  renderStatus();
  if (terminalStatuses.includes(status)) {
    state.follower?.close();
    $('order-connection').textContent = finalStatusText;
  }
}

function renderStatus() {
  const { status, cancellationReason, cancelRequest } = state.order;
  const badge = $('order-status');
  badge.dataset.status = status;
  badge.textContent = (statusLabels[status] ?? status) + (cancellationReason ? ` (${cancellationReasonLabels[cancellationReason] ?? cancellationReason})` : '');
  // Asked once is enough: the service would take the request again, but it would only repeat the first.
  $('cancel-order').hidden = !cancellableStatuses.includes(status) || Boolean(cancelRequest);
  $('card-update-form').hidden = status !== 'AWAITING_CARD_UPDATE' || Boolean(cancelRequest);
  $('new-order').hidden = !terminalStatuses.includes(status);
  renderCancelRequest(status, cancelRequest);
}

/** Says who asked to cancel until the status says how it ended; the status badge says it once cancelled. */
function renderCancelRequest(status, request) {
  const line = $('cancel-request');
  line.hidden = !request || status === 'CANCELLED';
  if (line.hidden) return;
  const who = request.detail?.requestedBy === 'operator' ? 'Customer service asked' : 'You asked';
  const at = new Date(request.at).toLocaleTimeString();
  // Goods handed to shipping cannot be called back: the process went on as if nobody had asked.
  line.textContent = ['SHIPPED', 'COMPLETED'].includes(status)
    ? `${who} to cancel this order at ${at}, but it had already gone to shipping.`
    : `${who} to cancel this order at ${at}; its status shows Cancelled once that is done.`;
}

async function cancelOrder(event) {
  clearNotice();
  const { orderId } = state.order;
  const { token } = state.session;
  try {
    await busy(event.currentTarget, 'Cancelling…', async () => {
      try {
        await orderApi.cancel(token, orderId);
      } catch (error) {
        // 409: the order moved on (shipping started, or it ended) before the page heard of it.
        if (!(error instanceof ApiError && error.problem.status === 409)) throw error;
        showNotice('This order can no longer be cancelled.', { kind: 'info' });
      }
      // The order's timeline now records the request (or its status says why there is none): shown
      // at once, also while the live stream is reconnecting.
      const order = await orderApi.order(token, orderId);
      if (state.order?.orderId === orderId) showLatest(order);
    });
  } catch (error) {
    showProblem(error);
  }
}

async function updateCard(event) {
  event.preventDefault();
  clearNotice();
  const fields = { expiry: $('update-expiry'), number: $('update-number'), cvc: $('update-cvc') };
  const changes = Object.fromEntries(Object.entries(fields).map(([key, input]) => [key, input.value.trim()]).filter(([, value]) => value !== ''));
  try {
    const card = await busy($('update-card'), 'Updating card…', () => state.payments.updateCard(state.session.token, state.order.card.cardToken, changes));
    Object.values(fields).forEach((input) => (input.value = ''));
    showNotice(`Card •••• ${card.last4} updated (expires ${card.expiry}); the order continues.`, { kind: 'info' });
  } catch (error) {
    showProblem(error, fields);
  }
}

function leaveOrder() {
  state.follower?.close();
  state.order = undefined;
  $('order-section').hidden = true;
}

function newOrder() {
  leaveOrder();
  putOrderInAddress(undefined);
  $('checkout-form').hidden = false;
  clearNotice();
}

// --- The order in the address ---------------------------------------------------------------

function orderIdInAddress() {
  return ORDER_IN_ADDRESS.exec(location.hash)?.[1];
}

/** Replaces the address instead of adding a history entry: Back still leaves the shop. */
function putOrderInAddress(orderId) {
  history.replaceState(null, '', orderId ? `#/orders/${orderId}` : `${location.pathname}${location.search}`);
}

/**
 * Shows the order the address names, read with the customer's token. The Order service answers 404
 * alike for an order that is gone and for another customer's (a shared link): either is dropped
 * from the address without a word, and the shop is offered.
 */
async function showOrderInAddress() {
  const orderId = orderIdInAddress();
  if (!orderId || !state.session || state.order?.orderId === orderId) return;
  try {
    const order = await orderApi.order(state.session.token, orderId);
    showOrder(order, { cardToken: order.cardToken });
  } catch (error) {
    if (error instanceof ApiError && error.problem.status === 404) return newOrder();
    showProblem(error);
  }
}

// --- Start -----------------------------------------------------------------------------------

async function start() {
  $('sign-in-form').addEventListener('submit', signIn);
  $('sign-out').addEventListener('click', () => {
    newOrder();
    forgetAttempt();
    setSession(undefined);
  });
  $('checkout-form').addEventListener('submit', placeOrder);
  $('cancel-order').addEventListener('click', cancelOrder);
  $('card-update-form').addEventListener('submit', updateCard);
  $('new-order').addEventListener('click', newOrder);
  window.addEventListener('hashchange', showOrderInAddress);
  for (const button of document.querySelectorAll('[data-test-card]')) {
    button.addEventListener('click', () => {
      $('card-number').value = button.dataset.testCard;
      $('card-expiry').value = button.dataset.expiry;
      $('card-cvc').value = '123';
    });
  }
  try {
    const config = await orderApi.config();
    state.payments = paymentApi(config.paymentUrl);
    $('dev-login-off').hidden = config.devLogin;
    $('sign-in-form').hidden = !config.devLogin;
  } catch (error) {
    showProblem(error);
  }
  const saved = sessionStorage.getItem(SESSION_KEY);
  setSession(saved ? JSON.parse(saved) : undefined);
  await Promise.all([showOrderInAddress(), loadProducts()]);
}

void start();
