import { errorBox, h, replace } from '../dom.js';

/** A write action: its button disabled while it runs, its outcome (or the API's problem) next to it. */
export async function runAction({ button, status, busy, done, failed }, action, refreshNow) {
  button.disabled = true;
  replace(status, busy);
  try {
    await action();
    replace(status, done);
    await refreshNow();
  } catch (error) {
    button.disabled = false;
    replace(status, errorBox(error, failed));
  }
}

/** A secondary button running `onClick(button, status)`, with the status of what it did beside it. */
export function actionButton(label, testId, onClick) {
  const status = h('span', { class: 'action-status' });
  const button = h('button', { type: 'button', class: 'secondary', 'data-testid': testId }, label);
  button.onclick = () => onClick(button, status);
  return [button, status];
}
