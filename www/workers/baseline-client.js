// The training worker's side of its helper (baseline-worker.js): a worker of its own that
// trains the MSE regressor while this one trains the MDN, on machines with 3 cores or more
// (src/train/helper.rs says why the bits stay those of one worker). If the helper fails, the
// training worker goes on alone.
import { MSG } from '../protocol.js';

const H = { module: null, handle: null, failed: false, tag: 0, onReport: null };

/** Lets a helper train beside this worker: it starts when training first starts (an embed
 * never played costs no second engine). `onReport(bytes)` hears each order's report,
 * `onReport(null)` that the helper failed (it is then gone for good). */
export function allowHelper(module, onReport) {
  Object.assign(H, { module, onReport });
}

/** Whether a helper trains beside this worker, starting it when allowed. */
export function hasHelper() {
  if (!H.handle && H.module && !H.failed) start();
  return H.handle !== null;
}

function start() {
  H.handle = new Worker(new URL('./baseline-worker.js', import.meta.url), { type: 'module' });
  H.handle.onmessage = (e) => {
    const m = e.data;
    if (m.type === MSG.BASELINE_DONE && m.tag === H.tag) H.onReport(m.report instanceof Uint8Array ? m.report : null);
    else if (m.type === MSG.ERROR) fail();
  };
  H.handle.onerror = fail;
  H.handle.postMessage({ type: MSG.MODULE, module: H.module });
}

function fail() {
  H.handle?.terminate();
  H.handle = null;
  H.failed = true;
  H.onReport?.(null);
}

/** For the tests: the helper's engine traps on its next order (this worker then trains
 * that slice, and the rest, alone). */
export function trapHelper() {
  H.handle?.postMessage({ type: MSG.DEBUG_TRAP });
}

/** Sends the helper an order (Trainer::lead_begin) for the experiment of `link`. */
export function order(link, bytes) {
  H.tag += 1;
  H.handle.postMessage({ type: MSG.BASELINE, link, order: bytes, tag: H.tag }, [bytes.buffer]);
}
