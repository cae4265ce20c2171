// The "Choosing K" panel: a K sweep on the pool of sweep workers (sweep-pool.js) while
// training pauses, its progress and time left, its plot, and why it stopped if it did.
import { S, $ } from './state.js';
import { E } from './engine.js';
import { MSG } from './protocol.js';
import { tell } from './worker-client.js';
import { sizeCanvas } from './canvas.js';
import { runPool } from './sweep-pool.js';
import { fillTables } from './tables.js';
import { t } from './lang.js';

/** Starts a K sweep of the current spec (training pauses); a promise of its report. */
export function startSweep(kMax, seeds) {
  // The engine clamps both (to the spec's K and to the seeds a sweep takes); the fields
  // show what it used.
  kMax = Math.max(0, Math.round(Number(kMax)) || 8);
  seeds = Math.max(0, Math.round(Number(seeds)) || 3);
  stopSweep(t('a new sweep started'));
  const sw = S.sweep;
  const done = new Promise((resolve, reject) => { sw.waiter = { resolve, reject }; });
  done.catch(() => {});
  tell({ type: MSG.PLAY, on: false });
  let run;
  try {
    run = new (E().SweepRun)('#' + S.viewer.spec(), kMax, seeds);
  } catch (err) {
    finish(t('Stopped: {0}.', err?.message ?? err), new Error(String(err?.message ?? err)));
    return done;
  }
  const links = run.job_links();
  Object.assign(sw, { run, started: performance.now(), left: '' });
  sw.pool = runPool(links, { onRow: (_, row) => takeRow(row), onProgress: showFractions });
  const pool = sw.pool;
  pool.done.then(() => pool === sw.pool && finish(null), (err) => pool === sw.pool && finish(t('Stopped: {0}.', err.message), err));
  showRunning(true);
  showReport();
  return done;
}

/** Stops a sweep under way, saying why (its promise is rejected with the reason). */
export function stopSweep(reason) {
  if (!S.sweep.pool) return;
  S.sweep.pool.stop();
  finish(reason === 'cancelled' ? t('Cancelled.') : t('Stopped: {0}.', reason), new Error(reason));
}

export const cancelSweep = () => stopSweep('cancelled');

/** Messages to the training worker that end a sweep (training pauses while one runs). */
export function interruptSweep(m) {
  const why = {
    [MSG.PLAY]: m.on ? t('training started') : null,
    [MSG.STEP]: t('training started'),
    [MSG.SPEC]: t('the experiment changed'),
    [MSG.IMPORT]: t('a model was loaded'),
  }[m.type];
  if (why) stopSweep(why);
}

function takeRow(row) {
  S.sweep.run.add_row(row);
  showReport();
}

/** The sweep ended: every row in (`message` null), stopped, or refused. */
function finish(message, err) {
  const sw = S.sweep;
  const report = sw.run ? JSON.parse(sw.run.report_json()) : null;
  sw.run?.free();
  Object.assign(sw, { run: null, pool: null });
  showRunning(false);
  if (message) $('sweep-status').textContent = message;
  const w = sw.waiter;
  sw.waiter = null;
  if (err) w?.reject(err);
  else w?.resolve(report);
}

function showRunning(on) {
  $('sweep-cancel').hidden = !on;
  $('sweep-run').disabled = on;
  $('sweep-progress').hidden = !on;
  $('sweep-left').hidden = !on;
  if (on) {
    $('sweep-progress').value = 0;
    $('sweep-left').textContent = t('Starting…');
  }
}

/** The bar and the time left, from how far each run is. */
function showFractions(fractions) {
  const sw = S.sweep;
  const f = fractions.reduce((a, b) => a + b, 0) / fractions.length;
  $('sweep-progress').value = f;
  const seconds = (performance.now() - sw.started) / 1000;
  if (f < 0.02 || seconds < 1) return;
  $('sweep-left').textContent = t('about {0} left', duration((seconds * (1 - f)) / f));
}

/** "12 s", "3 min 5 s". */
function duration(s) {
  s = Math.max(1, Math.round(s));
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

export function drawSweep() {
  if (!S.sweep.report) return;
  const c = $('sweep-plot');
  c.hidden = false;
  const dpr = sizeCanvas(c);
  E().draw_sweep(c, dpr, S.sweep.report, S.dark, S.lang);
  $('sweep-save').hidden = false;
  $('sweep-numbers').hidden = false;
  fillTables(true);
}

/** The panel's line for a report: runs done, the chosen K, P; halted runs named. */
function sweepText(r, [doneRuns, total], workers) {
  const s = r.summary;
  let text = workers > 1 ? t('{0} of {1} runs trained ({2} workers).', doneRuns, total, workers) : t('{0} of {1} runs trained ({2} worker).', doneRuns, total, workers);
  if (s.length && r.chosen_by_bic !== undefined) {
    const p1 = s[0].params;
    const dp = s.length > 1 ? (s[1].params - s[0].params) / (s[1].k - s[0].k) : null;
    text += doneRuns < total
      ? t(' So far, lowest BIC at K = {0}, lowest validation NLL at K = {1}.', r.chosen_by_bic, r.chosen_by_val_nll)
      : t(' Lowest BIC at K = {0}, lowest validation NLL at K = {1}.', r.chosen_by_bic, r.chosen_by_val_nll);
    text += dp ? t(" P (the MDN's weights and biases) = {0} at K = {1}, {2} more per component.", p1, s[0].k, dp) : ` P = ${p1}.`;
  }
  const halted = r.rows.filter((row) => row.halted).length;
  if (halted) text += t(' {0} run(s) halted on a number that was not finite; their figures are from the last finite state.', halted);
  return text;
}

/** The rows so far: the line, the plot, the fields as the engine clamped them. */
function showReport() {
  const sw = S.sweep;
  sw.report = sw.run.report_json();
  const r = JSON.parse(sw.report);
  $('sweep-k').value = r.k_max;
  $('sweep-seeds').value = r.seeds;
  $('sweep-status').textContent = sweepText(r, sw.run.progress(), sw.pool.workers);
  try {
    drawSweep();
  } catch (err) {
    if (err instanceof WebAssembly.RuntimeError) throw err;
    $('sweep-status').textContent += t(' (The plot could not be drawn: {0}.)', err);
  }
}
