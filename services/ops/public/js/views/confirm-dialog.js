import { h, replace } from '../dom.js';

/**
 * A modal question, with `content` (a field to choose with, say) under its text; resolves true only
 * when the user picks the confirming button. `validate()`, when given, is asked first: a message it
 * returns is shown in the dialog, which stays open for the user to correct the fields.
 */
export function confirmDialog({ title, text, confirm, dismiss, content, validate }) {
  return new Promise((resolve) => {
    const problem = h('p', { class: 'error', role: 'alert', 'data-testid': 'dialog-problem', hidden: true });
    // Not a submit button: Enter in a text field submits with the form's first one, which must be the confirming one.
    const dismissButton = h('button', { type: 'button', value: 'dismiss', class: 'secondary', autofocus: true }, dismiss);
    const form = h(
      'form',
      { method: 'dialog' },
      h('h2', {}, title),
      h('p', {}, text),
      content ?? null,
      problem,
      h('div', { class: 'actions' }, dismissButton, h('button', { value: 'confirm', class: 'danger' }, confirm)),
    );
    const dialog = h('dialog', { class: 'confirm', 'data-testid': 'confirm-dialog' }, form);
    dismissButton.onclick = () => dialog.close('dismiss');
    form.addEventListener('submit', (event) => {
      const refusal = validate?.();
      if (!refusal) return;
      event.preventDefault();
      problem.hidden = false;
      replace(problem, refusal);
    });
    // The refusal speaks of what was typed before; once the user types again it no longer holds.
    form.addEventListener('input', () => {
      problem.hidden = true;
    });
    dialog.addEventListener('close', () => {
      resolve(dialog.returnValue === 'confirm');
      dialog.remove();
    });
    document.body.append(dialog);
    dialog.showModal();
  });
}
