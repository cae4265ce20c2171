// The handwriting page's worker: owns the run that trains (a HandTrainer: the LSTM-MDN
// and both baselines), in slices of about SLICE_MS, and posts a snapshot after each.
// Validation runs about once every METRICS_MS. The messages are in protocol.js.
import init, { HandTrainer } from '../mdn-playground.js';
import { MSG, SLICE_MS, METRICS_MS, STEP_MAX } from './protocol.js';

const w = { trainer: null, gen: 0, playing: false, stepsLeft: 0, valAt: 0, scheduled: false };
let ready;

function post() {
  postMessage({ type: MSG.HAND_SNAPSHOT, gen: w.gen, playing: w.playing || w.stepsLeft > 0, snap: w.trainer.snapshot() });
}

function schedule() {
  if (w.scheduled || !(w.playing || w.stepsLeft > 0)) return;
  w.scheduled = true;
  setTimeout(tick, 0);
}

function tick() {
  w.scheduled = false;
  if (!w.trainer) return;
  const max = w.stepsLeft > 0 ? w.stepsLeft : STEP_MAX;
  const n = w.trainer.train_for(SLICE_MS, max);
  if (w.stepsLeft > 0) w.stepsLeft = Math.max(0, w.stepsLeft - n);
  const finished = w.trainer.done() || (!w.playing && w.stepsLeft === 0);
  if (finished || performance.now() - w.valAt > METRICS_MS) {
    w.trainer.validate();
    w.valAt = performance.now();
  }
  if (w.trainer.done()) w.playing = false;
  post();
  schedule();
}

function take(m) {
  if (m.type === MSG.HAND_SPEC) {
    w.trainer?.free();
    w.trainer = new HandTrainer(m.link);
    Object.assign(w, { gen: m.gen, playing: false, stepsLeft: 0, valAt: performance.now() });
    post();
  } else if (m.type === MSG.PLAY) {
    w.playing = m.on;
    if (!m.on) w.stepsLeft = 0;
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
