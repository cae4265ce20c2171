// Offline use: registers the service worker (the build's sw.js, at the root of the
// playground) so that a page once opened works without a network, and tells the user when
// a newer build is waiting. The worker serves each page from one build only; a newer one
// takes over when every playground tab and frame is closed, or at once when the page that
// shows the notice is the only one open and the user asks for it.
import { t } from './lang.js';

const SCRIPT = new URL('../sw.js', import.meta.url);

let asked = false;

/** Registers the service worker once the page has loaded (its first fill of the cache
 * should not slow the engine's own download). `notice` is the element that offers a newer
 * build (the full page only: an embed hides it), or null (the handwriting page). */
export function workOffline(notice) {
  if (!('serviceWorker' in navigator) || !window.isSecureContext) return;
  const start = () => {
    navigator.serviceWorker.register(SCRIPT, { updateViaCache: 'none' })
      .then((registration) => { if (notice) watchUpdates(registration, notice); })
      .catch((e) => console.warn(`Offline use is not available here: ${e.message}`));
  };
  if (document.readyState === 'complete') start();
  else window.addEventListener('load', start, { once: true });
  navigator.serviceWorker.addEventListener('message', (event) => {
    if (event.data?.type === 'BUSY' && notice) busy(notice, event.data.windows);
  });
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    if (asked) location.reload();
  });
}

/** Shows the notice once a newer build has been cached and waits behind this one. */
function watchUpdates(registration, notice) {
  const waiting = () => {
    if (registration.waiting && navigator.serviceWorker.controller) offer(registration, notice);
  };
  waiting();
  registration.addEventListener('updatefound', () => {
    const worker = registration.installing;
    worker?.addEventListener('statechange', () => { if (worker.state === 'installed') waiting(); });
  });
}

function offer(registration, notice) {
  const text = notice.querySelector('.update-text');
  text.textContent = t('A newer version of the playground has been downloaded. It starts when every playground tab is closed, or now:');
  const button = notice.querySelector('button');
  button.onclick = () => {
    asked = true;
    registration.waiting?.postMessage({ type: 'UPDATE' });
  };
  notice.hidden = false;
}

function busy(notice, windows) {
  asked = false;
  notice.querySelector('.update-text').textContent =
    windows === 2
      ? t('The playground is open in 1 other tab or frame: close it first, so that none goes on running the old version, then update.')
      : t('The playground is open in {0} other tabs or frames: close them first, so that none goes on running the old version, then update.', windows - 1);
}
