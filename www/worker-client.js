// The page's side of the training worker: starting it, asking it, and taking its answers
// (protocol.js). Snapshots go to the Viewer, which draws them.
import { S, $, redraw } from './state.js';
import { MSG } from './protocol.js';
import { wasmModule } from './engine.js';
import { EVENT, announce } from './events.js';

const W = S.worker; // the worker, its next message id, the pending answers

/** With this many cores, a helper worker trains the MSE regressor beside the training
 * worker's MDN (baseline-worker.js): one core each for the page's drawing, the MDN and the
 * regressor. On two cores the helper took the core the page draws on (README, Speed). */
const HELPER_CORES = 3;

/** Starts the training worker (again, after its engine failed). */
export function startWorker() {
  W.handle?.terminate();
  W.handle = new Worker(new URL('./workers/worker.js', import.meta.url), { type: 'module' });
  W.handle.onmessage = (e) => onMessage(e.data);
  W.handle.postMessage({ type: MSG.MODULE, module: wasmModule(), helper: HELPER_CORES <= navigator.hardwareConcurrency });
  if (W.helperStepMs) W.handle.postMessage({ type: MSG.HELPER_LIMIT, ms: W.helperStepMs });
}

/** Sends a message; a promise of the metrics of the snapshot that answers it. */
export function ask(msg) {
  announce(EVENT.SENDING, msg);
  const id = W.nextId++;
  return new Promise((resolve, reject) => {
    W.pending.set(id, { resolve, reject });
    W.handle.postMessage({ ...msg, id, generation: S.generation });
  });
}

/** Sends a message that needs no answer. */
export function tell(msg) {
  announce(EVENT.SENDING, msg);
  W.handle.postMessage({ ...msg, generation: S.generation });
}

/** After a trap in the worker's engine: the promise of the restarted experiment. */
export const workerRestart = () => W.restarting;

function waitersOf(ids = []) {
  const out = [];
  for (const id of ids) {
    const w = W.pending.get(id);
    W.pending.delete(id);
    if (w) out.push(w);
  }
  return out;
}

function onMessage(m) {
  const waiters = waitersOf(m.ids);
  if (m.type === MSG.ERROR) return onError(m, waiters);
  if (m.type === MSG.EXPORTED) {
    for (const w of waiters) w.resolve(m.bytes);
    return undefined;
  }
  const metrics = () => (m.gen === S.generation ? S.viewer.metrics() : undefined);
  if (m.gen === S.generation) onSnapshot(m);
  for (const w of waiters) w.resolve(metrics());
}

function onSnapshot(m) {
  S.viewer.apply(m.bytes);
  S.snapshots++;
  S.playing = m.playing;
  S.training = m.training;
  S.worker.helper = m.helper;
  const now = performance.now();
  S.stepsWindow.push([now, S.viewer.steps()]);
  while (S.stepsWindow.length > 2 && now - S.stepsWindow[0][0] > 2000) S.stepsWindow.shift();
  redraw({ panels: !S.training }); // while training, the panels four times a second
  announce(EVENT.SNAPSHOT);
}

function onError(m, waiters) {
  for (const w of waiters) w.reject(new Error(m.message));
  // A trap in the worker's engine: a new worker, which main.js gives the same experiment.
  if (m.fatal) startWorker();
  announce(EVENT.WORKER_ERROR, { message: m.message, fatal: m.fatal });
  if (m.fatal) $('status').dataset.ready = '1';
}
