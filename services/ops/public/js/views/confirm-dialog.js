import { h } from '../dom.js';

/** A modal question, with `content` (a field to choose with, say) under its text; resolves true only when the user picks the confirming button. */
export function confirmDialog({ title, text, confirm, dismiss, content }) {
  return new Promise((resolve) => {
    const dialog = h(
      'dialog',
      { class: 'confirm', 'data-testid': 'confirm-dialog' },
      h(
        'form',
        { method: 'dialog' },
        h('h2', {}, title),
        h('p', {}, text),
        content ?? null,
        h('div', { class: 'actions' }, h('button', { value: 'dismiss', class: 'secondary', autofocus: true }, dismiss), h('button', { value: 'confirm', class: 'danger' }, confirm)),
      ),
    );
    dialog.addEventListener('close', () => {
      resolve(dialog.returnValue === 'confirm');
      dialog.remove();
    });
    document.body.append(dialog);
    dialog.showModal();
  });
}
