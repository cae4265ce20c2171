// The helper worker: trains the MSE regressor of the training worker's experiment
// (BaselineTrainer) while that worker trains the MDN, a slice of steps at a time, and
// reports where the regressor stands (src/train/helper.rs). The training worker starts it
// (baseline-client.js); the messages are in protocol.js.
import init, { BaselineTrainer, debug_trap } from '../../mdn-playground.js';
import { MSG, SLICE_MS } from '../protocol.js';

let ready;
let trainer = null;
let tag = 0; // the order under way (0: none)
let scheduled = false;
let trapNext = false; // for the tests: trap on the next order (DEBUG_TRAP)

// Trains in slices, so that a newer order (after a new experiment) is taken in between.
const tick = new MessageChannel();
tick.port1.onmessage = () => {
  scheduled = false;
  if (!tag) return;
  try {
    if (!trainer.train_for(SLICE_MS)) return schedule();
    const report = trainer.report();
    postMessage({ type: MSG.BASELINE_DONE, tag, report }, [report.buffer]);
  } catch (err) {
    fail(err);
  }
  tag = 0;
};

function schedule() {
  if (scheduled) return;
  scheduled = true;
  tick.port2.postMessage(0);
}

const fail = (err) => postMessage({ type: MSG.ERROR, message: String(err?.message ?? err) });

onmessage = async (e) => {
  const m = e.data;
  if (m.type === MSG.MODULE) {
    ready = init({ module_or_path: m.module });
    return;
  }
  try {
    await ready;
    trapNext ||= m.type === MSG.DEBUG_TRAP;
    if (m.type !== MSG.BASELINE) return;
    if (trapNext) debug_trap(); // as a bug in the engine would, with a slice under way
    trainer ??= new BaselineTrainer();
    trainer.order(String(m.link), m.order instanceof Uint8Array ? m.order : new Uint8Array(0));
    tag = m.tag;
    schedule();
  } catch (err) {
    tag = 0;
    fail(err);
  }
};
