// The training worker: owns the experiment that trains (a Trainer), so that the page never
// freezes. The protocol is in protocol.js.
//
// All work runs in slices of about SLICE_MS: training and metrics alike. The engine checks
// the time after every block of 128 samples, so even a network whose single step takes
// seconds hands control back within a slice, and a message (pause, reset) is acted on at
// once. K sweeps run on workers of their own (sweep-pool.js).
import init, { Trainer, debug_trap } from '../mdn-playground.js';
import { MSG, SLICE_MS, METRICS_MS, METRICS_FIRST_MS, STEP_MAX } from './protocol.js';

const w = {
  trainer: null,
  gen: 0, // the page's generation of the experiment this worker trains
  playing: false,
  stepsLeft: 0, // steps asked for with STEP, still to train
  metricsAt: 0,
  metricsEvery: METRICS_FIRST_MS, // doubles up to METRICS_MS
  metricsDue: false, // fresh metrics wanted before the next answer
  waiting: [], // ids answered once the work asked for is done and the metrics are fresh
  metricsWaiting: [], // ids answered by the next fresh metrics, even while training
  scheduled: false,
};
// The engine: the module the page compiled (MSG.MODULE, the first message), instantiated
// here; nothing is fetched twice.
let engineModule;
const ready = new Promise((resolve) => {
  engineModule = (module) => resolve(init({ module_or_path: module }));
});

function snapshot(ids = []) {
  const bytes = w.trainer.snapshot();
  postMessage({ type: MSG.SNAPSHOT, ids, gen: w.gen, playing: w.playing, bytes }, [bytes.buffer]);
}

/** Runs the next slice soon: after the messages already queued (a MessageChannel is not
 * clamped to 4 ms like setTimeout(0), 12% of a 30 ms slice). */
function schedule() {
  if (w.scheduled) return;
  w.scheduled = true;
  tick.port2.postMessage(0);
}

const tick = new MessageChannel();
tick.port1.onmessage = () => {
  w.scheduled = false;
  try {
    work();
  } catch (err) {
    fail(err, w.waiting.splice(0).concat(w.metricsWaiting.splice(0)));
  }
};

const training = () => w.playing || w.stepsLeft > 0;

function work() {
  if (!w.trainer) return;
  if (w.metricsDue) {
    if (!w.trainer.metrics_for(SLICE_MS)) return schedule();
    w.metricsAt = performance.now();
    w.metricsDue = false;
    const answered = w.metricsWaiting.splice(0);
    if (!training()) return snapshot(answered.concat(w.waiting.splice(0)));
    if (answered.length) snapshot(answered);
  }
  if (training()) trainSlice();
}

function trainSlice() {
  const t = w.trainer;
  const max = w.playing ? t.steps_left() : w.stepsLeft;
  const n = max > 0 ? t.train_for(SLICE_MS, Math.min(max, STEP_MAX)) : 0;
  if (!w.playing) w.stepsLeft -= n;
  if (t.halted() || (w.playing && t.done()) || (!w.playing && w.stepsLeft <= 0)) {
    // Done, or a step gave a number that is not finite (the engine rolled back): stop
    // and answer with fresh metrics.
    w.playing = false;
    w.stepsLeft = 0;
    w.metricsDue = true;
  } else if (performance.now() - w.metricsAt > w.metricsEvery) {
    w.metricsDue = true;
    w.metricsEvery = Math.min(METRICS_MS, 2 * w.metricsEvery);
  }
  snapshot();
  schedule();
}

function fail(err, ids) {
  const fatal = err instanceof WebAssembly.RuntimeError;
  postMessage({ type: MSG.ERROR, ids, fatal, message: String(err?.message ?? err) });
}

/** A new experiment to train (from a link or a model file). */
function take(trainer, m) {
  w.trainer?.free();
  w.trainer = trainer;
  Object.assign(w, { gen: m.generation, playing: false, stepsLeft: 0, metricsDue: true, metricsEvery: METRICS_FIRST_MS });
}

const handlers = {
  [MSG.SPEC]: (m) => take(new Trainer(m.hash), m),
  // Throws with a message on a bad file, before anything changes.
  [MSG.IMPORT]: (m) => take(Trainer.from_model(m.text), m),
  [MSG.PLAY](m) {
    if (m.on && w.trainer.halted()) w.trainer.resume();
    w.stepsLeft = 0;
    w.playing = m.on && !w.trainer.done();
    if (!w.playing) w.metricsDue = true;
  },
  [MSG.STEP](m) {
    if (w.trainer.halted()) w.trainer.resume();
    w.playing = false;
    w.stepsLeft = Math.max(0, Math.min(m.n | 0, STEP_MAX));
    if (w.stepsLeft === 0) w.metricsDue = true;
  },
  [MSG.METRICS]() {
    w.metricsDue = true;
  },
  [MSG.EXPORT](m) {
    w.playing = false;
    const bytes = w.trainer.export_zip(String(m.to), m.band instanceof Float64Array ? m.band : undefined);
    postMessage({ type: MSG.EXPORTED, ids: [m.id], bytes }, [bytes.buffer]);
  },
  [MSG.DEBUG_TRAP]() {
    debug_trap();
  },
};

onmessage = async (e) => {
  if (e.data.type === MSG.MODULE) return engineModule(e.data.module);
  await ready;
  const m = e.data;
  const handle = handlers[m.type];
  if (!handle) return;
  try {
    handle(m);
    if (m.id) (m.type === MSG.METRICS ? w.metricsWaiting : w.waiting).push(m.id);
  } catch (err) {
    fail(err, m.id ? [m.id] : []);
    return;
  }
  schedule();
};
