// The "Choosing K" panel: a K sweep in the worker, its progress, its plot, and why it
// stopped if it did.
import { S, $ } from './state.js';
import { E } from './engine.js';
import { MSG } from './protocol.js';
import { ask, tell } from './worker-client.js';
import { sizeCanvas } from './draw.js';

/** Starts a K sweep of the current spec (training pauses); a promise of its report. */
export function startSweep(kMax, seeds) {
  // The engine clamps both (to the spec's K and to the seeds a sweep takes); the fields
  // show what it used once the first report is in.
  kMax = Math.max(0, Math.round(Number(kMax)) || 8);
  seeds = Math.max(0, Math.round(Number(seeds)) || 3);
  S.sweep.gen++;
  $('sweep-cancel').hidden = false;
  $('sweep-run').disabled = true;
  $('sweep-status').textContent = 'Starting…';
  S.sweep.waiter?.reject(new Error('replaced by a new sweep'));
  const done = new Promise((resolve, reject) => { S.sweep.waiter = { resolve, reject }; });
  done.catch(() => {});
  ask({ type: MSG.SWEEP, hash: '#' + S.viewer.spec(), kMax, seeds, sweepGen: S.sweep.gen }).catch(() => {});
  return done;
}

export function cancelSweep() {
  tell({ type: MSG.SWEEP_CANCEL, sweepGen: S.sweep.gen });
}

export function drawSweep() {
  if (!S.sweep.report) return;
  const c = $('sweep-plot');
  c.hidden = false;
  const dpr = sizeCanvas(c);
  E().draw_sweep(c, dpr, S.sweep.report, S.dark);
  $('sweep-save').hidden = false;
}

/** The panel's line for a report: runs done, the chosen K, P; halted runs named. */
function sweepText(r, [doneRuns, total]) {
  const s = r.summary;
  let text = `${doneRuns} of ${total} runs trained.`;
  if (s.length && r.chosen_by_bic !== undefined) {
    const p1 = s[0].params;
    const dp = s.length > 1 ? (s[1].params - s[0].params) / (s[1].k - s[0].k) : null;
    text += ` Lowest BIC at K = ${r.chosen_by_bic}, lowest validation NLL at K = ${r.chosen_by_val_nll}.`;
    text += dp ? ` P (the MDN's weights and biases) = ${p1} at K = ${s[0].k}, ${dp} more per component.` : ` P = ${p1}.`;
  }
  const halted = r.rows.filter((row) => row.halted).length;
  if (halted) text += ` ${halted} run(s) halted on a number that was not finite; their figures are from the last finite state.`;
  return text;
}

function showProgress(m) {
  S.sweep.report = m.report;
  const r = JSON.parse(m.report);
  $('sweep-k').value = r.k_max;
  $('sweep-seeds').value = r.seeds;
  $('sweep-status').textContent = sweepText(r, m.progress);
  try {
    drawSweep();
  } catch (err) {
    if (err instanceof WebAssembly.RuntimeError) throw err;
    $('sweep-status').textContent += ` (The plot could not be drawn: ${err}.)`;
  }
}

/** A sweep message from the worker (protocol.js): progress, the end, or why it stopped. */
export function onSweep(m) {
  if (m.gen !== S.sweep.gen) return;
  if (m.cancelled) $('sweep-status').textContent = m.reason === 'cancelled' ? 'Cancelled.' : `Stopped: ${m.reason}.`;
  else showProgress(m);
  if (!m.done) return;
  $('sweep-cancel').hidden = true;
  $('sweep-run').disabled = false;
  const w = S.sweep.waiter;
  S.sweep.waiter = null;
  if (m.cancelled) w?.reject(new Error(m.reason ?? 'cancelled'));
  else w?.resolve(JSON.parse(m.report));
}
