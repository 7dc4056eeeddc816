/**
 * Runs `refresh` every `intervalMs` while the view is shown: never two at once, not while the tab
 * is hidden, and stops for good on `stop()` (the view was left).
 */
export function poll(refresh, intervalMs = 5_000) {
  let timer;
  let stopped = false;
  const tick = async () => {
    if (stopped) return;
    if (document.visibilityState !== 'hidden') {
      try {
        await refresh();
      } catch {
        // The view shows its own error; the next tick tries again.
      }
    }
    if (!stopped) timer = setTimeout(tick, intervalMs);
  };
  timer = setTimeout(tick, intervalMs);
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

/** "updated 12:03:04" under a view's title, so the user sees the refresh happen. */
export function refreshedAt(element) {
  element.textContent = `updated ${new Date().toLocaleTimeString()}`;
}

/** `run` such that calls queue behind each other: a refresh started by an action waits for the timer's. */
export function oneAtATime(run) {
  let chain = Promise.resolve();
  return () => {
    const next = chain.then(run);
    chain = next.catch(() => undefined);
    return next;
  };
}

/**
 * A view's life: `refresh` now and then every 5 s; the returned handle's `dispose` stops it (and
 * runs `onDispose`). `extra` is merged into the handle, e.g. `onQueryChange`.
 */
export function keepRefreshed(refresh, { onDispose, ...extra } = {}) {
  void refresh().catch(() => undefined);
  const poller = poll(refresh);
  return {
    ...extra,
    dispose: () => {
      poller.stop();
      onDispose?.();
    },
  };
}
