// The checkout page: sign in (dev login), pick items, tokenize the card at the Payment service,
// place the order, then follow it live and react to what it needs (a card update) or allows (cancel).
import { ApiError, orderApi, paymentApi } from './api.js';
import { cancellationReasonLabels, followOrder, renderTimeline, statusLabels, terminalStatuses } from './timeline.js';

/** The cancel rules of the Order service: cancellable until shipping starts. */
const cancellableStatuses = ['PENDING', 'AWAITING_CARD_UPDATE', 'PAID'];
const SESSION_KEY = 'orderflow.session';

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

/** Shows a problem+json answer, marking the inputs it names. */
function showProblem(error, fieldInputs = {}) {
  if (!(error instanceof ApiError)) return showNotice(`Something went wrong: ${error.message}`);
  const { title, detail, errors = [], retryAfter } = error.problem;
  for (const { field } of errors) fieldInputs[field]?.setAttribute('aria-invalid', 'true');
  const wait = retryAfter ? ` Try again in ${retryAfter} s.` : '';
  showNotice(`${title}: ${detail}${wait}`, { fields: errors });
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
  state.session = session;
  if (session) sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
  else sessionStorage.removeItem(SESSION_KEY);
  $('session').hidden = !session;
  $('session-customer').textContent = session?.customerId ?? '';
  $('sign-in-section').hidden = Boolean(session);
  $('checkout-form').hidden = !session || Boolean(state.order);
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
    showProblem(error, { customerId: input });
  }
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
        state.card = await state.payments.tokenizeCard(state.session.token, { number: $('card-number').value, expiry: $('card-expiry').value.trim(), cvc: $('card-cvc').value.trim() });
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
      showOrder(placed.orderId, placed.status, card);
    } catch (error) {
      progress.textContent = '';
      // A definite refusal ends the attempt; only an unanswered request is retried with the same key.
      if (error instanceof ApiError && error.problem.status >= 400 && error.problem.status < 500) state.pendingKey = undefined;
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

function showOrder(orderId, status, card) {
  state.order = { orderId, status, cancellationReason: null, card };
  state.card = undefined;
  $('card-update-last4').textContent = `•••• ${card.last4}`;
  $('checkout-form').hidden = true;
  $('order-section').hidden = false;
  $('order-id').textContent = orderId;
  $('timeline').replaceChildren();
  renderStatus();
  state.follower?.close();
  state.follower = followOrder({
    orderId,
    streamToken: () => orderApi.streamToken(state.session.token, orderId),
    onSnapshot: (order) => {
      renderTimeline($('timeline'), order.timeline);
      updateStatus(order);
    },
    onEntry: (entry) => renderTimeline($('timeline'), [entry]),
    onStatus: updateStatus,
    onConnection: (connection) => {
      const text = { connecting: 'Connecting to live updates…', live: 'Live', reconnecting: 'Connection lost; reconnecting…', error: 'Live updates unavailable; retrying…' };
      $('order-connection').textContent = text[connection] ?? '';
    },
  });
}

function updateStatus({ status, cancellationReason }) {
  state.order = { ...state.order, status, cancellationReason };
  renderStatus();
  if (terminalStatuses.includes(status)) {
    state.follower?.close();
    $('order-connection').textContent = 'Final status reached.';
  }
}

function renderStatus() {
  const { status, cancellationReason } = state.order;
  const badge = $('order-status');
  badge.dataset.status = status;
  badge.textContent = (statusLabels[status] ?? status) + (cancellationReason ? ` (${cancellationReasonLabels[cancellationReason] ?? cancellationReason})` : '');
  $('cancel-order').hidden = !cancellableStatuses.includes(status);
  $('card-update-form').hidden = status !== 'AWAITING_CARD_UPDATE';
  $('new-order').hidden = !terminalStatuses.includes(status);
}

async function cancelOrder(event) {
  clearNotice();
  try {
    await busy(event.currentTarget, 'Cancelling…', () => orderApi.cancel(state.session.token, state.order.orderId));
    showNotice('Cancellation requested; the timeline shows when it is done.', { kind: 'info' });
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

function newOrder() {
  state.follower?.close();
  state.order = undefined;
  $('order-section').hidden = true;
  $('checkout-form').hidden = false;
  clearNotice();
}

// --- Start -----------------------------------------------------------------------------------

async function start() {
  $('sign-in-form').addEventListener('submit', signIn);
  $('sign-out').addEventListener('click', () => {
    newOrder();
    setSession(undefined);
  });
  $('checkout-form').addEventListener('submit', placeOrder);
  $('cancel-order').addEventListener('click', cancelOrder);
  $('card-update-form').addEventListener('submit', updateCard);
  $('new-order').addEventListener('click', newOrder);
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
  await loadProducts();
}

void start();
