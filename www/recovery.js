// A trapped engine never leaves the page dead: a fresh instance of it, the training
// worker started anew, and the experiment rebuilt from the link.
import { S } from './state.js';
import { reloadEngine } from './engine.js';
import { startWorker } from './worker-client.js';
import { stopSweep } from './sweep.js';
import { rebuild, showIssues } from './links.js';
import { t } from './lang.js';

/** True while the engine is being replaced (nothing is drawn meanwhile). */
export const recoveringNow = () => S.recovering !== null;

export function recoverEngine(err) {
  if (S.recovering) return S.recovering;
  S.recovering = (async () => {
    S.sweep.run = null; // its memory dies with the old instance
    stopSweep(t('the engine was restarted'));
    await reloadEngine();
    S.viewer = null; // the same
    S.sweep.report = null;
    startWorker();
    await rebuild(location.hash, { keepIssues: true });
    showIssues([t('The engine stopped ({0}) and was restarted from the link; the experiment starts again from step 0.', err.message)]);
  })().finally(() => {
    S.recovering = null;
  });
  return S.recovering;
}

/** Traps anywhere (an event handler, a promise) are recovered from too. */
export function watchForTraps() {
  window.addEventListener('error', (e) => {
    if (e.error instanceof WebAssembly.RuntimeError) recoverEngine(e.error);
  });
  window.addEventListener('unhandledrejection', (e) => {
    if (e.reason instanceof WebAssembly.RuntimeError) recoverEngine(e.reason);
  });
}
