// A second experiment beside the first (compare=): its own Viewer and training worker
// (worker.js, as the first one's). It follows the first: at each of the first one's
// snapshots it is told to train up to that step (STEP {to}), so one Play (or Step) trains
// both, and the two stand at the same step whenever training pauses. The link holds the
// changes; Rust reads them (src/share/compare.rs).
import { S, $, redraw } from './state.js';
import { MSG } from './protocol.js';
import { E, wasmModule } from './engine.js';
import { EVENT, announce } from './events.js';
import { fixed } from './numbers.js';
import { t } from './lang.js';

const B = { viewer: null, worker: null, sent: -1 };

/** The second experiment's Viewer (none without compare=). */
export const second = () => B.viewer;

/** A new experiment: the second one follows the link (or goes). */
export function syncCompare() {
  const link = S.viewer.compare_link();
  B.viewer?.free();
  B.viewer = null;
  // For two outputs (the arm) the pair is compared by its numbers: the status line.
  $('compare').hidden = !link || S.twoD;
  $('main-title').hidden = !link || S.twoD;
  $('difference').hidden = !link || S.twoD;
  for (const el of document.querySelectorAll('.compare-only')) el.hidden = !link;
  if (!link) {
    B.worker?.terminate();
    B.worker = null;
    return;
  }
  B.viewer = new (E().Viewer)(link, undefined);
  B.viewer.set_system_dark(window.matchMedia('(prefers-color-scheme: dark)').matches);
  B.viewer.set_lang(S.lang);
  const [a, b] = S.viewer.compare_labels();
  $('main-title').textContent = `A: ${a}`;
  $('compare-title').textContent = `B: ${b}`;
  if (!B.worker) start();
  B.sent = -1;
  B.worker.postMessage({ type: MSG.SPEC, hash: '#' + B.viewer.spec(), generation: S.generation });
}

/** The first experiment has a new snapshot: the second trains up to its step. */
export function follow() {
  if (!B.worker || !B.viewer) return;
  const step = S.viewer.steps();
  if (step === B.sent) return;
  B.sent = step;
  B.worker.postMessage({ type: MSG.STEP, to: step, generation: S.generation });
}

function start() {
  B.worker = new Worker(new URL('./workers/worker.js', import.meta.url), { type: 'module' });
  B.worker.onmessage = (e) => take(e.data);
  B.worker.postMessage({ type: MSG.MODULE, module: wasmModule(), helper: false });
}

function take(m) {
  if (m.type === MSG.ERROR) {
    $('compare-status').textContent = t('B stopped: {0}', m.message);
    return;
  }
  if (m.type !== MSG.SNAPSHOT || m.gen !== S.generation || !B.viewer) return;
  B.viewer.apply(m.bytes);
  S.snapshots++;
  const b = B.viewer.metrics();
  const halted = B.viewer.halted_reason();
  if (halted) $('compare-status').textContent = t('B stopped at step {0}: {1}', B.viewer.steps(), halted);
  else if (b) $('compare-status').textContent = t('B at step {0}: validation NLL MDN {1}, MSE regressor {2} nats', B.viewer.steps(), fixed(b.val_nll, 3), fixed(b.baseline_val_nll, 3));
  redraw({ panels: false });
  announce(EVENT.SECOND_SNAPSHOT);
}
