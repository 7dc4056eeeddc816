import { checkSession, session } from '../api.js';
import { errorBox, h, replace } from '../dom.js';

/**
 * Asks once for the ops token (printed by `npm start`, or the cluster's access token); the API
 * decides what it may do, and the answer is kept for this tab only.
 */
export function renderSignIn(view, { problem, onSignedIn }) {
  const input = h('input', { type: 'password', name: 'token', id: 'token', autocomplete: 'off', required: true, 'aria-describedby': 'token-help' });
  const errors = h('div', {}, problem ? errorBox(problem, 'Not signed in') : null);
  const button = h('button', { type: 'submit', class: 'primary' }, 'Sign in');
  const submit = async (event) => {
    event.preventDefault();
    button.disabled = true;
    replace(errors);
    session.token = input.value.trim();
    try {
      await checkSession();
      onSignedIn();
    } catch (error) {
      session.token = null;
      replace(errors, errorBox(error, 'Not signed in'));
    } finally {
      button.disabled = false;
    }
  };
  replace(
    view,
    h(
      'form',
      { class: 'card sign-in', onsubmit: submit },
      h('h1', {}, 'Sign in'),
      h('label', { for: 'token' }, 'Ops token'),
      input,
      h('p', { id: 'token-help', class: 'hint' }, 'npm start prints it as ORDERFLOW_OPS_TOKEN. A read-only token shows everything but cannot retry, move or cancel.'),
      errors,
      button,
    ),
  );
  input.focus();
  return {};
}
