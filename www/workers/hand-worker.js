// The handwriting page's worker: owns the run that trains (a HandTrainer: the LSTM-MDN
// and both baselines). All its work runs in slices of about SLICE_MS — building a run,
// training (the time is checked after every word of a batch, so even a step of a large
// network hands control back within a slice) and validation alike — and it posts a
// snapshot after each, so a pause or a reset is acted on at once. Validation runs at
// the start, about once every METRICS_MS while training, and when training stops. The
// messages are in protocol.js.
import init, { HandTrainer } from '../../mdn-playground.js';
import { MSG, SLICE_MS, METRICS_MS, STEP_MAX } from '../protocol.js';

const w = { trainer: null, gen: 0, playing: false, stepsLeft: 0, valAt: 0, valDue: false, scheduled: false };
let ready;

const training = () => w.playing || w.stepsLeft > 0;

function post() {
  postMessage({ type: MSG.HAND_SNAPSHOT, gen: w.gen, playing: training(), validating: w.valDue, snap: w.trainer.snapshot() });
}

function schedule() {
  if (w.scheduled || !w.trainer || !(training() || w.valDue)) return;
  w.scheduled = true;
  setTimeout(tick, 0);
}

function tick() {
  w.scheduled = false;
  if (!w.trainer) return;
  if (w.valDue) {
    if (w.trainer.validate_for(SLICE_MS)) {
      w.valDue = false;
      w.valAt = performance.now();
      post();
    }
    return schedule();
  }
  if (!training()) return undefined;
  const max = w.stepsLeft > 0 ? w.stepsLeft : STEP_MAX;
  const n = w.trainer.train_for(SLICE_MS, max);
  if (w.stepsLeft > 0) w.stepsLeft = Math.max(0, w.stepsLeft - n);
  if (w.trainer.done()) w.playing = false;
  if (!training() || performance.now() - w.valAt > METRICS_MS) w.valDue = true;
  post();
  return schedule();
}

function take(m) {
  if (m.type === MSG.HAND_SPEC) {
    w.trainer?.free();
    w.trainer = new HandTrainer(m.link);
    Object.assign(w, { gen: m.gen, playing: false, stepsLeft: 0, valDue: true, valAt: performance.now() });
    post();
  } else if (m.type === MSG.PLAY) {
    w.playing = m.on && !w.trainer.done();
    if (!m.on) w.stepsLeft = 0;
    if (!training()) w.valDue = true; // a step cut short stays pending, with its bits
    post();
  } else if (m.type === MSG.HAND_START) {
    if (m.gen !== w.gen) return;
    const why = w.trainer.start_from(String(m.model));
    if (why) postMessage({ type: MSG.ERROR, message: why });
    w.valDue = true;
    post();
  } else if (m.type === MSG.STEP) {
    w.stepsLeft = Math.min(STEP_MAX, Math.max(1, Math.round(Number(m.n)) || 1));
  }
  schedule();
}

onmessage = async (e) => {
  const m = e.data;
  if (m.type === MSG.MODULE) {
    ready = init({ module_or_path: m.module });
    return;
  }
  try {
    await ready;
    take(m);
  } catch (err) {
    postMessage({ type: MSG.ERROR, message: String(err?.message ?? err) });
  }
};
