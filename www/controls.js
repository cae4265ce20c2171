// The controls: the spec's form (built from the engine's key table: each key's kind
// decides its widget), the pathology lab, play / step / reset, the sampling controls, and
// what the page says about training (the status line and the diagnostics).
import { second } from './compare.js';
import { S, $, redraw } from './state.js';
import { E } from './engine.js';
import { MSG } from './protocol.js';
import { ask, tell } from './worker-client.js';
import { rebuild, writeHash } from './links.js';
import { storedPoints } from './kept-points.js';
import { fixed } from './numbers.js';
import { t } from './lang.js';

/** A form field for one key: a list for a choice, a text field for the rest. */
function field(key) {
  let f;
  if (key.kind === 'choice') {
    f = document.createElement('select');
    for (const opt of key.options) {
      const o = document.createElement('option');
      o.value = o.textContent = opt;
      f.appendChild(o);
    }
  } else {
    f = document.createElement('input');
    f.type = 'text';
    f.inputMode = key.kind === 'int' || key.kind === 'float' ? 'decimal' : 'text';
  }
  f.name = key.name;
  f.id = 'spec-' + key.name;
  f.title = `${key.meaning} (${key.accepts})`;
  f.setAttribute('aria-describedby', 'spec-help-' + key.name);
  f.addEventListener('change', applyForm);
  return f;
}

/** The fields a student needs, in view; the others behind "All settings". */
const ESSENTIAL = ['data', 'k', 'hidden', 'lr', 'steps', 'seed'];

/** One labelled field: the key's plain name, and the key itself in small type. */
function labelled(key) {
  const label = document.createElement('label');
  const name = document.createElement('span');
  name.className = 'key-name';
  name.title = key.meaning;
  const code = document.createElement('code');
  code.textContent = key.name;
  name.append(key.label, code);
  const help = document.createElement('span');
  help.id = 'spec-help-' + key.name;
  help.hidden = true;
  help.textContent = t('{0}; accepts {1}', key.meaning, key.accepts);
  label.append(name, field(key), help);
  return label;
}

export function buildForm() {
  const form = $('spec');
  form.replaceChildren();
  const all = document.createElement('details');
  all.id = 'all-settings';
  const summary = document.createElement('summary');
  summary.textContent = t('All settings');
  all.appendChild(summary);
  const keys = S.keys.filter((k) => k.kind !== 'points'); // own points: the "Your data" panel
  for (const name of ESSENTIAL) form.appendChild(labelled(keys.find((k) => k.name === name)));
  for (const key of keys) if (!ESSENTIAL.includes(key.name)) all.appendChild(labelled(key));
  const seed = document.createElement('button');
  seed.type = 'button';
  seed.textContent = t('New seed');
  seed.addEventListener('click', () => rebuild('#' + S.viewer.link_with_new_seed()));
  form.append(seed, all);
}

/** The pathology lab: each failure and its fixes as share links (text set with textContent). */
export function buildLab() {
  const list = $('lab');
  list.replaceChildren();
  const link = (text, spec) => {
    const a = document.createElement('a');
    a.textContent = text;
    a.href = '#' + spec;
    return a;
  };
  for (const [id, title, spec, shows, fixes] of E().presets(S.lang)) {
    const li = document.createElement('li');
    li.dataset.preset = id;
    const what = document.createElement('span');
    what.textContent = t(' — {0}. Fix: ', shows);
    li.append(link(title, spec), what);
    fixes.forEach(([label, fix], i) => {
      if (i) li.append('; ');
      li.append(link(label, fix));
    });
    li.append('.');
    list.appendChild(li);
  }
}

/** The form shows the experiment's values, and the network's output count. */
export function syncForm() {
  for (const [key, value] of S.viewer.form()) {
    const f = $('spec-' + key);
    if (f) f.value = value;
  }
  const [k, means, scales, off, total] = S.viewer.outputs();
  $('outputs').textContent = off > 0
    ? t('The network outputs {0} numbers: {1} mixing logits + {2} means + {3} Cholesky entries ({4} on the diagonal, the scales; {5} below it, the correlations).', total, k, means, scales + off, scales, off)
    : t('The network outputs {0} numbers: {1} mixing logits + {2} means + {3} scales.', total, k, means, scales);
}

/** A changed field: the engine reads the form as a link (own points stay with data=custom). */
function applyForm() {
  const parts = S.keys.filter((k) => k.kind !== 'points').map((k) => `${k.name}=${encodeURIComponent($('spec-' + k.name).value.trim())}`);
  rebuild('#' + S.viewer.link_from_form(parts.join('&'), storedPoints()));
}

export function setPlaying(on) {
  S.playing = on && !S.viewer.done();
  showPlaying();
  tell({ type: MSG.PLAY, on: S.playing });
}

export function showPlaying() {
  $('play').setAttribute('aria-pressed', String(S.playing));
  $('play').textContent = S.playing ? t('❚❚ Pause') : t('▶ Play');
}

export const step = (n) => ask({ type: MSG.STEP, n });

/** Play's pace from the link: the selector shows it, the worker keeps to it. */
export function showSpeed() {
  $('speed').value = S.viewer.speed();
  tell({ type: MSG.SPEED, rate: S.viewer.steps_per_second() });
}

/** The pace chosen on the page: the link follows. */
export function applySpeed() {
  S.viewer.set_speed($('speed').value);
  writeHash();
  showSpeed();
}

/** The views that fit the experiment's dimensions. */
export function showViews() {
  const [din, dout] = S.viewer.dims();
  S.twoD = dout === 2;
  document.querySelector('.main-plot').hidden = S.twoD;
  document.querySelector('.params-plot').hidden = S.twoD;
  document.querySelector('.slice-plot').hidden = S.twoD;
  document.querySelector('.plane-plot').hidden = !S.twoD;
  document.querySelector('.calibration').hidden = S.twoD || din !== 1;
  for (const e of document.querySelectorAll('.arm-only')) e.hidden = !S.viewer.is_arm();
  for (const e of document.querySelectorAll('.plane-only')) e.hidden = S.viewer.is_arm();
  $('instack').setAttribute('aria-label', din === 2
    ? t('Input plane: click or drag to choose the target input; arrow keys move it')
    : t('Inputs: click or drag to choose the input x; arrow keys move it'));
  $('truth-on').disabled = !S.viewer.has_truth();
  $('truth-on').closest('label').title = S.viewer.has_truth()
    ? t('The true p(y | x) the data were drawn from: dashed on the slice, its 90% region outlined on the heatmap (the arm: its two exact poses)')
    : t('This data set has no known true density');
  $('datanote').textContent = S.viewer.data_note();
  $('familynote').textContent = S.viewer.family_note();
  $('loss-level').textContent = S.viewer.loss_level_note();
}

/** The sampling controls show the Viewer's settings. */
export function showSampling() {
  const [tpi, ts, n, mode] = S.viewer.sampling();
  $('samp-tpi').value = String(tpi);
  $('samp-ts').value = String(ts);
  $('samp-n').value = String(n);
  $('samp-mode').checked = mode === 1;
  $('intervals-on').checked = S.viewer.intervals();
  $('truth-on').checked = S.viewer.truth() && S.viewer.has_truth();
  showIntervalsText();
  $('samp-tpi-out').textContent = fixed(tpi, 2);
  $('samp-ts-out').textContent = fixed(ts, 2);
}

/** The sampling controls moved: the Viewer takes them (clamped), the link follows. */
export function applySampling() {
  S.viewer.set_sampling(Number($('samp-tpi').value), Number($('samp-ts').value), Number($('samp-n').value), $('samp-mode').checked);
  showSampling();
  writeHash();
  redraw({ panels: true });
}

/** The diagnostics: each component's average π, the smallest σ, the alarms (text only). */
function showDiagnostics() {
  const d = S.viewer.diagnostics();
  if (!d) return;
  // Snapshots come 30 times a second but the diagnostics change once a second: touching
  // the DOM only then keeps layout work (and CPU taken from the training worker) down.
  const key = [d.summary, d.components, ...d.alarms].join('\n');
  if (key === S.shownDiag) return;
  S.shownDiag = key;
  $('diag-summary').textContent = d.summary;
  $('diag-pi').textContent = d.components;
  const ul = $('alarms');
  ul.replaceChildren();
  for (const a of d.alarms) {
    const li = document.createElement('li');
    li.textContent = a;
    ul.appendChild(li);
  }
}

const fmt = (v) => fixed(v, 3);

function rate() {
  if (!S.playing || S.stepsWindow.length < 2) return '';
  const [t0, s0] = S.stepsWindow[0];
  const [t1, s1] = S.stepsWindow[S.stepsWindow.length - 1];
  return t1 > t0 ? t(' · {0} steps/s', Math.round(((s1 - s0) * 1000) / (t1 - t0))) : '';
}

/** The status line: step, speed, validation NLLs (and the arm's miss distances). */
export function updateStatus() {
  const m = S.viewer.metrics();
  if (!m) return;
  showDiagnostics();
  const done = S.viewer.done() ? t(' (planned steps done)') : '';
  const fk = m.mdn_fk_error !== undefined
    ? t(' · end effector misses by: MDN {0}, MSE {1}', fmt(m.mdn_fk_error), fmt(m.baseline_fk_error))
    : '';
  const pm = m.point_mass;
  const same = pm
    ? t(" · on one measure (log loss of P(dry) + wet days' density): MDN {0} = {1} + {2}×{3}, MSE {4}, Bayes {5}",
      fmt(pm.mdn.nll), fmt(pm.mdn.dry_log_loss), fmt(pm.wet_fraction), fmt(pm.mdn.wet_nll), fmt(pm.baseline.nll), fmt(pm.bayes.nll))
    : '';
  const kernel = S.viewer.kernel_nll();
  const others = kernel === undefined ? '' : t(', kernel estimate {0}', fmt(kernel));
  const b = second()?.metrics();
  const bStopped = second()?.halted_reason() ? t(' (stopped)') : '';
  const withB = b ? t(' · B ({0}): MDN {1} at step {2}{3}', S.viewer.compare_labels()[1], fmt(b.val_nll), second().steps(), bStopped) : '';
  $('status').textContent = t('step {0} of {1}{2}{3} · validation NLL: MDN {4}, MSE regressor {5}{6} nats{7}{8}{9}',
    S.viewer.steps(), S.viewer.planned_steps(), done, rate(), fmt(m.val_nll), fmt(m.baseline_val_nll), others, withB, fk, same);
  $('status').dataset.ready = '1';
}

/** The intervals toggle: the Viewer draws them (main plot, slice, 2-D contour); the link follows. */
export function applyIntervals() {
  S.viewer.set_intervals($('intervals-on').checked);
  showIntervalsText();
  writeHash();
  redraw({ panels: true });
}

/** The truth toggle: the slice draws the true density dashed, the heatmap the true region's outline; the link follows. */
export function applyTruth() {
  S.viewer.set_truth($('truth-on').checked);
  writeHash();
  redraw({ panels: true });
}

function showIntervalsText() {
  $('intervals-text').hidden = !S.viewer.intervals();
  document.querySelector('.intervals-note').hidden = !S.viewer.intervals();
}
