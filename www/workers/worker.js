// The training worker: owns the experiment that trains (a Trainer), so that the page never
// freezes. The protocol is in protocol.js.
//
// All work runs in slices of about SLICE_MS: training and metrics alike. The engine checks
// the time after every block of 128 samples, so even a network whose single step takes
// seconds hands control back within a slice, and a message (pause, reset) is acted on at
// once. K sweeps run on workers of their own (sweep-pool.js).
//
// With a helper (3 cores or more), a slice is a number of whole steps, sized to take about
// SLICE_MS: this worker trains the MDN while the helper trains the regressor, and the
// slice ends when both are done (lead_finish: the bits of one worker). Messages that
// arrive meanwhile wait for its end; a new experiment ends it at once. A network whose
// step takes longer than HELPED_STEP_MS trains here alone, so that a pause still lands
// within a slice.
import init, { Trainer, debug_trap } from '../../mdn-playground.js';
import { MSG, SLICE_MS, HELPED_STEP_MS, STEP_MAX } from '../protocol.js';
import { allowHelper, hasHelper, order, trapHelper } from './baseline-client.js';

const w = {
  trainer: null,
  gen: 0, // the page's generation of the experiment this worker trains
  playing: false,
  stepsLeft: 0, // steps asked for with STEP, still to train
  metricsDue: false, // fresh metrics wanted before the next answer
  waiting: [], // ids answered once the work asked for is done and the metrics are fresh
  metricsWaiting: [], // ids answered by the next fresh metrics, even while training
  scheduled: false,
  slice: null, // a slice on two workers under way: {trainer, steps, t0, mdnDone, report}
  deferred: [], // messages that arrived during it
  stepMs: 0, // the time a step took lately (0: not known yet: train alone first)
  helperStepMs: HELPED_STEP_MS, // the longest step trained on two workers
  aloneMs: 0, // time on the step under way when training alone
  rate: 0, // Play's pace in steps a second (0: as fast as the engine goes)
  pace: null, // {t0, steps}: steps played since t0, against the pace
  paceTimer: 0, // a slice that waits for the pace
};

/** Steps Play may train now at its pace (Infinity unpaced). Time that could not be used
 * (a slow step, a tab in the background) is not made up in a burst: at most a quarter of
 * a second's steps are owed at once. */
function paceAllows() {
  if (!w.playing || !(w.rate > 0)) return Infinity;
  const now = performance.now();
  if (!w.pace) w.pace = { t0: now, steps: 0 };
  let owed = Math.floor(((now - w.pace.t0) * w.rate) / 1000) - w.pace.steps;
  const most = Math.max(1, Math.round(w.rate / 4));
  if (owed > most) {
    w.pace.t0 += ((owed - most) * 1000) / w.rate;
    owed = most;
  }
  return owed;
}

/** Paced steps go in batches of about a slice's worth, not one snapshot a step. */
const paceBatch = () => Math.max(1, Math.round((w.rate * SLICE_MS) / 1000));

/** Runs the next slice when the pace allows a batch of steps. */
function waitForPace() {
  if (w.paceTimer) return;
  const due = w.pace.t0 + ((w.pace.steps + paceBatch()) * 1000) / w.rate - performance.now();
  w.paceTimer = setTimeout(() => {
    w.paceTimer = 0;
    schedule();
  }, Math.max(1, due));
}
// The engine: the module the page compiled (MSG.MODULE, the first message), instantiated
// here; nothing is fetched twice.
let engineModule;
const ready = new Promise((resolve) => {
  engineModule = (module) => resolve(init({ module_or_path: module }));
});

function snapshot(ids = []) {
  const bytes = w.trainer.snapshot();
  const [slices, replays] = w.trainer.lead_counts();
  const helper = slices > 0 ? { slices, replays } : null;
  postMessage({ type: MSG.SNAPSHOT, ids, gen: w.gen, playing: w.playing, training: training(), bytes, helper }, [bytes.buffer]);
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
    if (w.slice) {
      w.slice = null; // the engine finishes it, without the helper, at the next one
      for (const m of w.deferred.splice(0)) receive(m);
    }
  }
};

const training = () => w.playing || w.stepsLeft > 0;

function work() {
  if (!w.trainer) return;
  if (w.slice) return continueHelped();
  if (w.metricsDue) {
    if (!w.trainer.metrics_for(SLICE_MS)) return schedule();
    w.metricsDue = false;
    const answered = w.metricsWaiting.splice(0);
    if (!training()) return snapshot(answered.concat(w.waiting.splice(0)));
    if (answered.length) snapshot(answered);
  }
  if (training()) trainSlice();
}

function trainSlice() {
  const t = w.trainer;
  // Up to the next scheduled measurement at most (Trainer::steps_to_due): the page's
  // curves and alarms depend on steps, never on time.
  const paced = paceAllows();
  if (paced < Math.min(paceBatch(), t.steps_left())) return waitForPace();
  const max = Math.min(w.playing ? t.steps_left() : w.stepsLeft, STEP_MAX, t.steps_to_due(), paced);
  if (max > 0 && w.stepMs > 0 && w.stepMs <= w.helperStepMs && hasHelper()) return beginHelped(max);
  const t0 = performance.now();
  const n = max > 0 ? t.train_for(SLICE_MS, max) : 0;
  w.aloneMs += performance.now() - t0;
  if (n > 0) [w.stepMs, w.aloneMs] = [w.aloneMs / n, 0];
  afterSlice(n);
}

/** After `n` steps: stop when done or halted, fresh metrics at each scheduled step and
 * when training stops, a snapshot. */
function afterSlice(n) {
  const t = w.trainer;
  if (!w.playing) w.stepsLeft -= n;
  else if (w.pace) w.pace.steps += n;
  if (t.halted() || (w.playing && t.done()) || (!w.playing && w.stepsLeft <= 0)) {
    // Done, or a step gave a number that is not finite (the engine rolled back): stop
    // and answer with fresh metrics.
    w.playing = false;
    w.stepsLeft = 0;
    w.metricsDue = true;
  } else if (n > 0 && t.at_due()) {
    w.metricsDue = true;
  }
  snapshot();
  schedule();
}

/** A slice on two workers: as many steps as the last slices' pace fits in SLICE_MS. */
function beginHelped(max) {
  const t = w.trainer;
  const steps = Math.max(1, Math.min(max, Math.round(SLICE_MS / w.stepMs)));
  w.slice = { trainer: t, steps, t0: performance.now(), mdnDone: false, report: undefined };
  order(t.spec_link(), t.lead_begin(steps));
  continueHelped();
}

function continueHelped() {
  const s = w.slice;
  if (!s.mdnDone) s.mdnDone = s.trainer.lead_train_for(SLICE_MS);
  if (!s.mdnDone) return schedule();
  if (s.report !== undefined) endHelped(); // else the helper's report comes back to here
}

/** The helper's report (null: it failed; the slice is then trained here alone). */
function onReport(bytes) {
  if (!w.slice) return;
  w.slice.report = bytes;
  schedule();
}

function endHelped() {
  const s = w.slice;
  w.slice = null;
  const n = s.trainer.lead_finish(s.report ?? undefined);
  w.stepMs = (performance.now() - s.t0) / s.steps;
  afterSlice(n);
  for (const m of w.deferred.splice(0)) receive(m);
}

function fail(err, ids) {
  const fatal = err instanceof WebAssembly.RuntimeError;
  postMessage({ type: MSG.ERROR, ids, fatal, message: String(err?.message ?? err) });
}

/** A new experiment to train (from a link or a model file). */
function take(trainer, m) {
  w.trainer?.free();
  w.trainer = trainer;
  Object.assign(w, { gen: m.generation, playing: false, stepsLeft: 0, metricsDue: true, stepMs: 0, aloneMs: 0, pace: null });
}

const handlers = {
  [MSG.SPEC]: (m) => take(new Trainer(m.hash), m),
  // Throws with a message on a bad file, before anything changes.
  [MSG.IMPORT]: (m) => take(Trainer.from_model(m.text), m),
  [MSG.PLAY](m) {
    if (m.on && w.trainer.halted()) w.trainer.resume();
    w.stepsLeft = 0;
    w.playing = m.on && !w.trainer.done();
    w.pace = null; // the pace counts from now
    if (!w.playing) w.metricsDue = true;
  },
  [MSG.SPEED](m) {
    const rate = Number(m.rate);
    w.rate = Number.isFinite(rate) && rate > 0 ? Math.min(rate, 1e6) : 0;
    w.pace = null;
  },
  [MSG.STEP](m) {
    // Up to step `to` (a second experiment following the first): a halted run stays halted.
    const to = Number(m.to);
    const follow = m.to !== undefined && Number.isFinite(to);
    if (!follow && w.trainer.halted()) w.trainer.resume();
    w.playing = false;
    w.pace = null;
    const n = follow ? to - w.trainer.steps_done() : m.n | 0;
    w.stepsLeft = Math.max(0, Math.min(n, STEP_MAX));
    if (w.stepsLeft === 0) w.metricsDue = true;
  },
  [MSG.METRICS]() {
    w.metricsDue = true;
  },
  [MSG.EXPORT](m) {
    w.playing = false;
    const bytes = w.trainer.export_zip(String(m.to), m.band instanceof Float64Array ? m.band : undefined, typeof m.spec === 'string' ? m.spec : undefined);
    postMessage({ type: MSG.EXPORTED, ids: [m.id], bytes }, [bytes.buffer]);
  },
  [MSG.HELPER_LIMIT](m) {
    w.helperStepMs = Number(m.ms) > 0 ? Number(m.ms) : HELPED_STEP_MS;
    w.metricsDue = true; // answered by the next snapshot
  },
  [MSG.DEBUG_TRAP](m) {
    if (m.helper !== true) debug_trap();
    trapHelper();
    w.metricsDue = true; // answered by the next snapshot
  },
};

onmessage = async (e) => {
  const m = e.data;
  if (m.type === MSG.MODULE) {
    if (m.helper === true) allowHelper(m.module, onReport);
    return engineModule(m.module);
  }
  await ready;
  if (w.slice && (m.type === MSG.SPEC || m.type === MSG.IMPORT)) {
    w.slice.report = null; // the old experiment's slice ends now, trained here
    try {
      endHelped();
    } catch (err) {
      w.slice = null;
      fail(err, w.waiting.splice(0).concat(w.metricsWaiting.splice(0)));
    }
  }
  if (w.slice) w.deferred.push(m);
  else receive(m);
};

function receive(m) {
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
}
