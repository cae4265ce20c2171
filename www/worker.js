// The training worker: owns the experiment that trains, so that the page never freezes.
// It posts a snapshot (both models' parameters, loss histories, metrics) after every
// slice of training; the page draws the latest one. Same wasm module as the page.
//
// All work runs in slices of about SLICE_MS: training, metrics and K sweeps alike. The
// engine checks the time after every block of 128 samples, so even a network whose
// single step takes seconds hands control back within a slice, and a message (pause,
// reset, cancel) is acted on at once.
//
// Messages from the page: spec, import, play, step, metrics, sweep, sweep-cancel (each
// with an id), and debug-trap for the tests. Replies: a 'snapshot' once the work asked for is done and the metrics
// are fresh (its `ids` are the messages it answers), 'sweep' for a sweep's progress or
// end, and 'error' (`fatal` when the engine itself failed: the page then starts a new
// worker).
import init, { Playground, SweepRun, debug_trap } from '../mdn-playground.js';

const SLICE_MS = 30; // work per slice: about 30 snapshots a second
const METRICS_MS = 1000; // validation metrics cost several milliseconds: not every slice

const w = {
  pg: null,
  gen: 0, // the page's generation of the spec this worker trains
  playing: false,
  stepsLeft: 0, // steps asked for with 'step', still to train
  metrics: null,
  metricsAt: 0,
  metricsDue: false, // fresh metrics wanted before the next answer
  waiting: [], // ids answered by the next snapshot with fresh metrics
  sweep: null,
  sweepGen: 0,
  scheduled: false,
};
const ready = init();

function snapshot(ids = []) {
  const { pg } = w;
  const mdn = pg.mdn_params();
  const base = pg.baseline_params();
  const train = pg.history(0);
  const val = pg.history(1);
  const bh = pg.history(2);
  postMessage(
    { type: 'snapshot', ids, gen: w.gen, step: pg.steps(), playing: w.playing, halted: pg.halted(), metrics: w.metrics, mdn, base, train, val, bh },
    [mdn.buffer, base.buffer, train.buffer, val.buffer, bh.buffer],
  );
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
    fail(err, w.waiting.splice(0));
  }
};

const training = () => w.playing || w.stepsLeft > 0;

function work() {
  if (w.sweep) return sweepSlice();
  if (!w.pg) return;
  if (w.metricsDue) {
    const m = w.pg.metrics_for(SLICE_MS);
    if (m === undefined) return schedule();
    w.metrics = m;
    w.metricsAt = performance.now();
    w.metricsDue = false;
    if (!training()) return snapshot(w.waiting.splice(0));
  }
  if (training()) trainSlice();
}

function trainSlice() {
  const { pg } = w;
  const max = w.playing ? pg.planned_steps() - pg.steps() : w.stepsLeft;
  const n = max > 0 ? pg.train_for(SLICE_MS, Math.min(max, 1_000_000)) : 0;
  if (!w.playing) w.stepsLeft -= n;
  if (pg.halted() || (w.playing && pg.steps() >= pg.planned_steps()) || (!w.playing && w.stepsLeft <= 0)) {
    // Done, or a step gave a number that is not finite (the engine rolled back): stop
    // and answer with fresh metrics.
    w.playing = false;
    w.stepsLeft = 0;
    w.metricsDue = true;
  } else if (performance.now() - w.metricsAt > METRICS_MS) {
    w.metricsDue = true;
  }
  snapshot();
  schedule();
}

function sweepSlice() {
  const s = w.sweep;
  const done = s.advance_for(SLICE_MS);
  postMessage({ type: 'sweep', gen: w.sweepGen, done, progress: Array.from(s.progress()), report: s.report_json() });
  if (done) {
    s.free();
    w.sweep = null;
    return;
  }
  schedule();
}

/** Stops a sweep under way; the page is told why (its promise settles). */
function stopSweep(reason) {
  if (!w.sweep) return;
  w.sweep.free();
  w.sweep = null;
  postMessage({ type: 'sweep', gen: w.sweepGen, done: true, cancelled: true, reason });
}

function fail(err, ids) {
  const fatal = err instanceof WebAssembly.RuntimeError;
  postMessage({ type: 'error', ids, fatal, message: String(err?.message ?? err) });
}

const handlers = {
  spec(m) {
    stopSweep('the experiment changed');
    const next = new Playground(m.hash);
    w.pg?.free();
    w.pg = next;
    Object.assign(w, { gen: m.generation, playing: false, stepsLeft: 0, metricsDue: true });
  },
  import(m) {
    const next = Playground.from_model(m.text); // throws with a message on a bad file
    stopSweep('a model was loaded');
    w.pg?.free();
    w.pg = next;
    Object.assign(w, { gen: m.generation, playing: false, stepsLeft: 0, metricsDue: true });
  },
  play(m) {
    if (m.on) stopSweep('training started');
    if (m.on && w.pg.halted()) w.pg.resume();
    w.stepsLeft = 0;
    w.playing = m.on && w.pg.steps() < w.pg.planned_steps();
    if (!w.playing) w.metricsDue = true;
  },
  step(m) {
    stopSweep('training started');
    if (w.pg.halted()) w.pg.resume();
    w.playing = false;
    w.stepsLeft = Math.max(0, Math.min(m.n | 0, 1_000_000));
    if (w.stepsLeft === 0) w.metricsDue = true;
  },
  metrics() {
    w.metricsDue = true;
  },
  sweep(m) {
    stopSweep('a new sweep started');
    Object.assign(w, { playing: false, stepsLeft: 0, sweepGen: m.sweepGen });
    try {
      w.sweep = new SweepRun(m.hash, m.kMax, m.seeds);
    } catch (err) {
      postMessage({ type: 'sweep', gen: m.sweepGen, done: true, cancelled: true, reason: String(err) });
    }
    w.metricsDue = true; // answered once the sweep is done or stopped
  },
  'sweep-cancel'() {
    stopSweep('cancelled');
  },
  /** For the tests: the engine traps, as a bug in it would (the page starts a new worker). */
  'debug-trap'() {
    debug_trap();
  },
};

onmessage = async (e) => {
  await ready;
  const m = e.data;
  const handle = handlers[m.type];
  if (!handle) return;
  try {
    handle(m);
    if (m.id) w.waiting.push(m.id);
  } catch (err) {
    fail(err, m.id ? [m.id] : []);
    return;
  }
  schedule();
};
