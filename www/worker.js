// The training worker: owns the experiment that trains, so that the page never freezes.
// It posts a snapshot (both models' parameters, loss histories, metrics) after every
// slice of training; the page draws the latest one. Same wasm module as the page.
import init, { Playground, SweepRun } from '../mdn-playground.js';

const SLICE_MS = 30; // training per slice: about 30 snapshots a second
const METRICS_MS = 1000; // validation metrics cost several milliseconds: not every slice

let pg = null;
let gen = 0; // the page's generation of the spec this worker trains
let playing = false;
let metrics = null;
let metricsAt = 0;
const ready = init();

function snapshot(id) {
  const mdn = pg.mdn_params();
  const base = pg.baseline_params();
  const train = pg.history(0);
  const val = pg.history(1);
  const bh = pg.history(2);
  postMessage(
    { type: 'snapshot', id, gen, step: pg.steps(), planned: pg.planned_steps(), playing, metrics, mdn, base, train, val, bh },
    [mdn.buffer, base.buffer, train.buffer, val.buffer, bh.buffer],
  );
}

function freshMetrics() {
  metrics = pg.metrics();
  metricsAt = performance.now();
}

function loop() {
  if (!playing) return;
  const left = pg.planned_steps() - pg.steps();
  if (left <= 0) {
    playing = false;
    freshMetrics();
    snapshot();
    return;
  }
  pg.train_for(SLICE_MS, left);
  if (pg.halted()) {
    // A step gave a number that is not finite: the engine rolled back; pause and say why.
    playing = false;
    freshMetrics();
    snapshot();
    return;
  }
  if (performance.now() - metricsAt > METRICS_MS) freshMetrics();
  snapshot();
  // Yield (so that pause and step messages get through), then go on at once:
  // setTimeout(0) would be clamped to 4 ms after a few rounds, 12% of a 30 ms slice.
  tick.port2.postMessage(0);
}

const tick = new MessageChannel();
tick.port1.onmessage = loop;

// A K sweep runs in the same slices, between messages, while training is paused.
let sweep = null;
let sweepGen = 0;

function sweepLoop() {
  if (!sweep) return;
  const done = sweep.advance_for(SLICE_MS);
  postMessage({ type: 'sweep', gen: sweepGen, done, progress: Array.from(sweep.progress()), report: sweep.report_json() });
  if (done) {
    sweep.free();
    sweep = null;
    return;
  }
  sweepTick.port2.postMessage(0);
}

const sweepTick = new MessageChannel();
sweepTick.port1.onmessage = sweepLoop;

function stopSweep() {
  if (sweep) sweep.free();
  sweep = null;
}

onmessage = async (e) => {
  await ready;
  const m = e.data;
  try {
    if (m.type === 'sweep') {
      playing = false;
      stopSweep();
      sweepGen = m.sweepGen;
      sweep = new SweepRun(m.hash, m.kMax, m.seeds);
      snapshot(m.id);
      sweepLoop();
    } else if (m.type === 'sweep-cancel') {
      stopSweep();
      postMessage({ type: 'sweep', gen: m.sweepGen, done: true, cancelled: true });
    } else if (m.type === 'spec') {
      stopSweep();
      playing = false;
      gen = m.generation;
      if (pg) pg.free();
      pg = new Playground(m.hash);
      freshMetrics();
      snapshot(m.id);
    } else if (m.type === 'import') {
      playing = false;
      gen = m.generation;
      const next = Playground.from_model(m.text); // throws with a message on a bad file
      if (pg) pg.free();
      pg = next;
      freshMetrics();
      snapshot(m.id);
    } else if (m.type === 'play') {
      if (m.on) stopSweep();
      if (m.on && pg.halted()) pg.resume();
      const was = playing;
      playing = m.on && pg.steps() < pg.planned_steps();
      if (playing && !was) loop();
      if (!playing) snapshot(m.id);
    } else if (m.type === 'step') {
      playing = false;
      if (pg.halted()) pg.resume();
      pg.step(Math.max(0, Math.min(m.n | 0, 1_000_000)));
      freshMetrics();
      snapshot(m.id);
    } else if (m.type === 'metrics') {
      freshMetrics();
      snapshot(m.id);
    }
  } catch (err) {
    postMessage({ type: 'error', id: m.id, message: String(err) });
  }
};
