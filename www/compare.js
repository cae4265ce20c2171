// A second experiment beside the first (compare=): its own Viewer and training worker
// (worker.js, as the first one's), told what the page asks of the first (a new experiment,
// play and pause, the pace, steps), so that one Play trains both and their numbers stand
// side by side. The link holds the changes; Rust reads them (src/share/compare.rs).
import { S, $, redraw } from './state.js';
import { MSG } from './protocol.js';
import { E, wasmModule } from './engine.js';
import { EVENT, announce } from './events.js';
import { fixed } from './numbers.js';

const B = { viewer: null, worker: null };

/** The second experiment's Viewer (none without compare=). */
export const second = () => B.viewer;

/** A new experiment: the second one follows the link (or goes). */
export function syncCompare() {
  const link = S.viewer.compare_link();
  B.viewer?.free();
  B.viewer = null;
  $('compare').hidden = !link;
  if (!link) {
    B.worker?.terminate();
    B.worker = null;
    return;
  }
  B.viewer = new (E().Viewer)(link, undefined);
  B.viewer.set_system_dark(window.matchMedia('(prefers-color-scheme: dark)').matches);
  $('compare-title').textContent = `B: ${S.viewer.compare_changes().replaceAll('&', ', ')}`;
  if (!B.worker) start();
  B.worker.postMessage({ type: MSG.SPEC, hash: '#' + B.viewer.spec(), generation: S.generation });
}

/** What the page sends the first worker that the second must hear too. */
export function mirror(msg) {
  if (!B.worker || ![MSG.PLAY, MSG.SPEED, MSG.STEP].includes(msg.type)) return;
  const { id, ...rest } = msg;
  B.worker.postMessage({ ...rest, generation: S.generation });
}

function start() {
  B.worker = new Worker(new URL('./workers/worker.js', import.meta.url), { type: 'module' });
  B.worker.onmessage = (e) => take(e.data);
  B.worker.postMessage({ type: MSG.MODULE, module: wasmModule(), helper: false });
}

function take(m) {
  if (m.type === MSG.ERROR) {
    $('compare-status').textContent = `B stopped: ${m.message}`;
    return;
  }
  if (m.type !== MSG.SNAPSHOT || m.gen !== S.generation || !B.viewer) return;
  B.viewer.apply(m.bytes);
  const b = B.viewer.metrics();
  if (b) $('compare-status').textContent = `B at step ${B.viewer.steps()}: validation NLL MDN ${fixed(b.val_nll, 3)}, MSE regressor ${fixed(b.baseline_val_nll, 3)} nats`;
  redraw({ panels: false });
  announce(EVENT.SECOND_SNAPSHOT);
}
