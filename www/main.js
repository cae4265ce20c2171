// The page: controls, the animation loop, and calls into the wasm engine.
// All maths and drawing live in Rust (src/web.rs, src/plot/); this file only wires
// them to the DOM. User text is only ever set with textContent.
import * as firstEngine from '../mdn-playground.js';

// The engine module. If its WebAssembly instance ever traps (its memory is then in an
// unknown state and every later call fails), `recoverEngine` loads a fresh instance and
// rebuilds the experiment from the link: the page never stays dead.
let E = firstEngine;

const $ = (id) => document.getElementById(id);
// Keys of the hash that belong to the page, not to the experiment: how it opens, and the
// view (the 2-D views' target, the sampling settings), so that a link shows what you saw.
let PAGE_KEYS = []; // from the engine (spec::PAGE_KEYS)
const SAMPLE_COUNTS = [0, 50, 300, 1000];
const HEAT_CELL = 5; // CSS pixels per heatmap cell (smoothed when scaled up)

let pg = null; // the page's copy of the experiment: draws the worker's snapshots
let keys = [];
let playing = false;
let lastMetrics = null;
let lastLossAt = 0;
let dirty = true;
let stepsWindow = []; // [time, steps] samples for steps/s
let generation = 0; // which spec the worker's snapshots belong to
let twoD = false; // two output dimensions: the input and output planes instead of the main plot

let worker = null;
let workerRestart = null; // the rebuild after the worker's engine failed
let nextId = 1;
const pending = new Map();

/** Starts the training worker (again, after its engine failed: the experiment is sent anew). */
function startWorker() {
  worker?.terminate();
  worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  worker.onmessage = onWorkerMessage;
}

/** Sends a message to the worker; resolves with its snapshot's metrics. */
function ask(msg) {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    worker.postMessage({ ...msg, id, generation });
  });
}

/** The waiters for the worker's answer to messages `ids`. */
function waitersOf(ids = []) {
  const out = [];
  for (const id of ids) {
    const w = pending.get(id);
    pending.delete(id);
    if (w) out.push(w);
  }
  return out;
}

let sweepGen = 0;
let sweepReport = null; // the last sweep report (JSON text), drawn in the sweep panel
let sweepWaiter = null;

/** Starts a K sweep of the current spec in the worker (training pauses). */
function startSweep(kMax, seeds) {
  kMax = Math.min(30, Math.max(1, Math.round(Number(kMax)) || 8));
  seeds = Math.min(10, Math.max(1, Math.round(Number(seeds)) || 3));
  $('sweep-k').value = kMax;
  $('sweep-seeds').value = seeds;
  sweepGen++;
  $('sweep-cancel').hidden = false;
  $('sweep-run').disabled = true;
  $('sweep-status').textContent = 'Starting…';
  sweepWaiter?.reject(new Error('replaced by a new sweep'));
  const done = new Promise((resolve, reject) => { sweepWaiter = { resolve, reject }; });
  done.catch(() => {});
  ask({ type: 'sweep', hash: '#' + pg.spec(), kMax, seeds, sweepGen });
  return done;
}

function drawSweep() {
  if (!sweepReport) return;
  const c = $('sweep-plot');
  c.hidden = false;
  const dpr = sizeCanvas(c);
  E.draw_sweep(c, dpr, sweepReport);
}

/** The sweep panel's line for a report: runs done, the chosen K, P; halted runs named. */
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

function onSweep(m) {
  if (m.gen !== sweepGen) return;
  if (m.cancelled) {
    $('sweep-status').textContent = m.reason === 'cancelled' ? 'Cancelled.' : `Stopped: ${m.reason}.`;
  } else {
    sweepReport = m.report;
    $('sweep-status').textContent = sweepText(JSON.parse(m.report), m.progress);
    try {
      drawSweep();
    } catch (err) {
      if (err instanceof WebAssembly.RuntimeError) throw err;
      $('sweep-status').textContent += ` (The plot could not be drawn: ${err}.)`;
    }
  }
  if (m.done) {
    $('sweep-cancel').hidden = true;
    $('sweep-run').disabled = false;
    const w = sweepWaiter;
    sweepWaiter = null;
    if (m.cancelled) w?.reject(new Error(m.reason ?? 'cancelled'));
    else w?.resolve(JSON.parse(m.report));
  }
}

function onWorkerMessage(e) {
  const m = e.data;
  if (m.type === 'sweep') {
    onSweep(m);
    return;
  }
  const waiters = waitersOf(m.ids);
  if (m.type === 'error') {
    for (const w of waiters) w.reject(new Error(m.message));
    if (m.fatal) {
      // The worker's engine trapped: start a new one on the same experiment.
      showIssues([`The training engine stopped (${m.message}) and was restarted; training starts again from step 0.`]);
      startWorker();
      if (sweepWaiter) onSweep({ gen: sweepGen, done: true, cancelled: true, reason: 'the training engine was restarted' });
      workerRestart = rebuild('#' + pg.spec(), { keepIssues: true });
    } else {
      showIssues([`Training stopped: ${m.message}`]);
    }
    return;
  }
  if (m.gen !== generation) {
    for (const w of waiters) w.resolve(m.metrics); // a snapshot of a spec the page has left
    return;
  }
  pg.set_snapshot(m.mdn, m.base, m.step, m.train, m.val, m.bh);
  lastMetrics = m.metrics;
  playing = m.playing;
  showPlaying();
  const now = performance.now();
  stepsWindow.push([now, m.step]);
  while (stepsWindow.length > 2 && now - stepsWindow[0][0] > 2000) stepsWindow.shift();
  dirty = true;
  panelsDue = panelsDue || !playing;
  updateStatus();
  for (const w of waiters) w.resolve(m.metrics);
}

/** The keys of a hash and their decoded values (the page reads its own keys from it). */
function hashParams(hash = location.hash) {
  const raw = hash.replace(/^#/, '');
  const page = Object.create(null);
  for (const part of raw.split('&')) {
    const [k, v = ''] = part.split('=');
    try {
      page[k] = decodeURIComponent(v);
    } catch {
      page[k] = '';
    }
  }
  return page;
}

let targetMoved = false; // the 2-D views' target was set by the user or a link

/** The view keys for the hash: only what differs from the defaults. */
function viewParams() {
  const v = [];
  if (targetMoved && twoD) v.push(['target', Array.from(pg.target(), (t) => Number(t.toPrecision(6))).join(',')]);
  if (Number($('samp-tpi').value) !== 1) v.push(['tpi', $('samp-tpi').value]);
  if (Number($('samp-ts').value) !== 1) v.push(['tsigma', $('samp-ts').value]);
  if ($('samp-n').value !== '0') v.push(['samples', $('samp-n').value]);
  if ($('samp-mode').checked) v.push(['mode', '1']);
  return v;
}

/** Sets the view from a hash's view keys; every value is checked, clamped or ignored. */
function applyView(hash) {
  const page = hashParams(hash);
  const temp = (v) => {
    const t = Number(v);
    return Number.isFinite(t) ? Math.min(3, Math.max(0, t)) : 1;
  };
  if ('tpi' in page) $('samp-tpi').value = String(temp(page.tpi));
  if ('tsigma' in page) $('samp-ts').value = String(temp(page.tsigma));
  if ('samples' in page) {
    const n = Number(page.samples);
    const ok = Number.isFinite(n) ? n : 0;
    $('samp-n').value = String(SAMPLE_COUNTS.reduce((a, b) => (Math.abs(b - ok) < Math.abs(a - ok) ? b : a)));
  }
  if ('mode' in page) $('samp-mode').checked = page.mode === '1';
  if ('target' in page) {
    const t = page.target.split(',').slice(0, 2).map(Number);
    pg.set_target(Float64Array.from(t)); // not-a-number values keep the old target
    targetMoved = true;
  }
}

function writeHash() {
  const page = hashParams();
  const keep = ['play', 'embed'].filter((k) => k in page).map((k) => [k, page[k]]);
  const extra = [...keep, ...viewParams()].map(([k, v]) => `&${k}=${encodeURIComponent(v)}`).join('');
  history.replaceState(null, '', '#' + pg.spec() + extra);
  // The full playground for this experiment, without the page keys.
  const full = new URL(location.href);
  full.hash = '#' + pg.spec() + viewParams().map(([k, v]) => `&${k}=${encodeURIComponent(v)}`).join('');
  $('openfull').href = full.href;
}

/** The iframe snippet that embeds this experiment. */
function embedCode() {
  const u = new URL(location.href);
  u.hash = '#' + pg.spec() + '&embed=1';
  const src = u.href.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
  return `<iframe src="${src}" width="640" height="400" style="border:0" title="MDN Playground" loading="lazy"></iframe>`;
}

async function copyText(button, text, label) {
  try {
    await navigator.clipboard.writeText(text);
    button.textContent = 'Copied';
  } catch {
    button.textContent = 'Copy failed';
    window.prompt('Copy this:', text);
  }
  setTimeout(() => (button.textContent = label), 1500);
}

function showIssues(list) {
  const ul = $('issues');
  ul.replaceChildren();
  for (const msg of list) {
    const li = document.createElement('li');
    li.textContent = msg;
    ul.appendChild(li);
  }
}

function buildForm() {
  const form = $('spec');
  form.replaceChildren();
  for (const [key, accepts, , meaning] of keys) {
    if (key === 'pts') continue; // own points: the "Your data" panel
    const label = document.createElement('label');
    const name = document.createElement('span');
    name.textContent = key;
    name.title = meaning;
    let field;
    if (accepts.includes('|') && !/\d/.test(accepts)) {
      field = document.createElement('select');
      for (const opt of accepts.split('|').map((s) => s.trim())) {
        const o = document.createElement('option');
        o.value = o.textContent = opt;
        field.appendChild(o);
      }
    } else {
      field = document.createElement('input');
      field.type = 'text';
      field.inputMode = key === 'hidden' || key === 'batch' ? 'text' : 'decimal';
    }
    field.name = key;
    field.id = 'spec-' + key;
    field.title = `${meaning} (${accepts})`;
    field.setAttribute('aria-describedby', 'spec-help-' + key);
    const help = document.createElement('span');
    help.id = 'spec-help-' + key;
    help.hidden = true;
    help.textContent = `${meaning}; accepts ${accepts}`;
    label.append(name, field, help);
    form.appendChild(label);
    field.addEventListener('change', applyForm);
  }
  const seed = document.createElement('button');
  seed.type = 'button';
  seed.textContent = 'New seed';
  seed.addEventListener('click', () => {
    $('spec-seed').value = String(E.new_seed());
    applyForm();
  });
  form.appendChild(seed);
}

/** The pathology lab: each failure and its fixes as share links (text set with textContent). */
function buildLab() {
  const list = $('lab');
  list.replaceChildren();
  const link = (text, spec) => {
    const a = document.createElement('a');
    a.textContent = text;
    a.href = '#' + spec;
    return a;
  };
  for (const [id, title, spec, shows, fixes] of E.presets()) {
    const li = document.createElement('li');
    li.dataset.preset = id;
    const head = link(title, spec);
    const what = document.createElement('span');
    what.textContent = ` — ${shows}. Fix: `;
    li.append(head, what);
    fixes.forEach(([label, fix], i) => {
      if (i) li.append('; ');
      li.append(link(label, fix));
    });
    li.append('.');
    list.appendChild(li);
  }
}

function syncForm() {
  const values = Object.fromEntries(pg.spec().split('&').map((kv) => kv.split('=')));
  for (const [key] of keys) {
    const f = $('spec-' + key);
    if (f) f.value = decodeURIComponent(values[key] ?? '');
  }
  const [k, means, scales, off, total] = pg.outputs();
  $('outputs').textContent = off > 0
    ? `The network outputs ${total} numbers: ${k} mixing logits + ${means} means + ${scales + off} Cholesky entries (${scales} on the diagonal, the scales; ${off} below it, the correlations).`
    : `The network outputs ${total} numbers: ${k} mixing logits + ${means} means + ${scales} scales.`;
}

function applyForm() {
  const parts = keys.filter(([key]) => key !== 'pts').map(([key]) => `${key}=${encodeURIComponent($('spec-' + key).value.trim())}`);
  // Own points stay with data=custom (from this experiment, or from the browser's storage).
  if ($('spec-data').value === 'custom') {
    const pts = currentPts() ?? storedPts();
    if (pts) parts.push('pts=' + pts);
  }
  rebuild('#' + parts.join('&'));
}

// ---- Your own data: CSV, drawing on the plot, localStorage, links ----

const STORE = 'mdn-playground-points'; // the user's own set (CSV)
const STORE_PREV = 'mdn-playground-points-previous'; // the set it replaced
let ownPoints = null; // the CSV of the set this page last kept or took from storage

/** The pts= value of the current experiment, if it has own points. */
function currentPts() {
  const m = /(?:^|&)pts=([^&]*)/.exec(pg?.spec() ?? '');
  return m ? m[1] : null;
}

function storedCsv(key = STORE) {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

/** The link form of the points kept in this browser, if any. */
function storedPts() {
  try {
    const csv = storedCsv();
    return csv ? E.parse_points(csv).pts : null;
  } catch {
    return null;
  }
}

/** A hash asking for data=custom without points gets the stored ones (nothing is lost on reload). */
function withStoredPoints(hash) {
  if (/(?:^#?|&)data=custom(?:&|$)/i.test(hash) && !/(?:^#?|&)pts=/i.test(hash)) {
    const pts = storedPts();
    if (pts) return hash + '&pts=' + pts;
  }
  return hash;
}

/** Keeps the user's own points in this browser. A different set kept before is never
 * dropped silently: a new set (`kind` 'new': pasted, uploaded) or an edit of points that
 * came from a link moves it to the previous slot, offered back by `offerRestore`. */
function rememberPoints(kind) {
  const csv = pg.points_csv();
  if (!csv) return;
  try {
    const old = localStorage.getItem(STORE);
    if (old && old !== csv && (kind === 'new' || old !== ownPoints)) localStorage.setItem(STORE_PREV, old);
    localStorage.setItem(STORE, csv);
    ownPoints = csv;
  } catch {
    $('dataerror').textContent = 'This browser did not let the page keep the points (storage full or blocked); save them as CSV.';
  }
}

/** Offers the kept set (or the one it replaced) when the experiment shows other points. */
function offerRestore() {
  const current = pg.points_csv();
  const saved = storedCsv();
  const prev = storedCsv(STORE_PREV);
  if (current && current === saved) ownPoints = saved;
  const [csv, which] = !current ? [null] : saved && saved !== current ? [saved, 'saved'] : prev && prev !== current ? [prev, 'previous'] : [null];
  let count = 0;
  try {
    count = csv ? E.parse_points(csv).count : 0;
  } catch {
    count = 0;
  }
  $('restorepts').hidden = !count;
  if (!count) return;
  $('restorepts-text').textContent = `Your ${which} set of ${count} points is kept in this browser. `;
  $('restorepts-use').onclick = () => usePoints(csv, `Your ${which} points`, 'new');
}

/** Uses CSV text as the data: reports skipped lines and limits, never inserts text as HTML. */
function usePoints(text, source, kind = 'new') {
  let p;
  try {
    p = E.parse_points(text);
  } catch (err) {
    $('dataerror').textContent = `${source}: not used: ${err}`;
    $('dataerror').classList.remove('ok');
    return false;
  }
  const msgs = [`${source}: ${p.count} points with ${p.cols} columns${p.cols === 3 ? ' (x, y1, y2)' : ' (x, y)'}.`];
  if (p.skipped_count) msgs.push(`${p.dropped}. ${p.skipped.join('; ')}${p.skipped_count > p.skipped.length ? '; …' : ''}`);
  $('dataerror').textContent = msgs.join(' ');
  $('dataerror').classList.toggle('ok', !p.skipped_count);
  const spec = pg.spec().replace(/(^|&)data=[^&]*/, '$1data=custom').replace(/&pts=[^&]*/, '');
  const done = rebuild('#' + spec + '&pts=' + p.pts);
  rememberPoints(kind);
  offerRestore();
  return done.then(() => true);
}

let userPoints = null; // [[x, y], ...] while drawing on the plot
let lastEdit = 0;

/** Adds or erases a point at the pointer on the main plot (one input and one output).
 * Editing starts from every one of the user's points (the held-out ones too). */
function editAt(ev) {
  if (!plotRect || !$('draw-on').checked || twoD) return false;
  const now = performance.now();
  if (ev.type === 'pointermove' && now - lastEdit < 60) return true;
  lastEdit = now;
  const top = $('points');
  const r = top.getBoundingClientRect();
  const k = top.width / r.width;
  const [x0, y0, x1, y1] = plotRect;
  const [vx0, vx1, vy0, vy1] = pg.view_range();
  const tx = ((ev.clientX - r.left) * k - x0) / (x1 - x0);
  const ty = ((ev.clientY - r.top) * k - y0) / (y1 - y0);
  if (tx < 0 || tx > 1 || ty < 0 || ty > 1) return true;
  const x = vx0 + tx * (vx1 - vx0);
  const y = vy1 - ty * (vy1 - vy0);
  let pts = userPoints;
  if (!pts) {
    const flat = pg.edit_points(300);
    pts = [];
    for (let i = 0; i + 1 < flat.length; i += 2) pts.push([flat[i], flat[i + 1]]);
  }
  if ($('draw-mode').value === 'erase') {
    const rx = 0.03 * (vx1 - vx0);
    const ry = 0.03 * (vy1 - vy0);
    const before = pts.length;
    pts = pts.filter(([px, py]) => ((px - x) / rx) ** 2 + ((py - y) / ry) ** 2 > 1);
    if (pts.length === before) return true;
  } else {
    pts.push([x, y]);
  }
  // String(x) is the shortest text that reads back to the same number: nothing is rounded.
  const csv = 'x,y\n' + pts.map((p) => p.join(',')).join('\n');
  usePoints(csv, 'Drawn points', 'edit');
  userPoints = pts;
  return true;
}

/** Copy link / embed code: refused, with the reason, when the points are too many for a link. */
function linkTooLong() {
  const n = pg.pts_length();
  if (n <= E.link_limit()) return false;
  $('dataerror').textContent = `These points are too many for a link (${n} characters compressed; the limit is ${E.link_limit()}): a shorter link would be a different experiment. Save them as CSV and share the file; this browser keeps them for the page.`;
  return true;
}

/** Shows the views that fit the experiment's dimensions and applies the sampling controls. */
function showViews() {
  const [din, dout] = pg.dims();
  twoD = dout === 2;
  document.querySelector('.main-plot').hidden = twoD;
  document.querySelector('.panels').hidden = twoD;
  document.querySelector('.plane-plot').hidden = !twoD;
  for (const e of document.querySelectorAll('.arm-only')) e.hidden = !pg.spec().startsWith('data=arm&');
  for (const e of document.querySelectorAll('.plane-only')) e.hidden = pg.spec().startsWith('data=arm&');
  $('instack').setAttribute('aria-label', din === 2
    ? 'Input plane: click or drag to choose the target input; arrow keys move it'
    : 'Inputs: click or drag to choose the input x; arrow keys move it');
  applySampling();
}

function applySampling() {
  $('datanote').textContent = pg.data_note();
  const tpi = Number($('samp-tpi').value);
  const ts = Number($('samp-ts').value);
  $('samp-tpi-out').textContent = tpi.toFixed(2);
  $('samp-ts-out').textContent = ts.toFixed(2);
  pg.set_sampling(tpi, ts, Number($('samp-n').value), $('samp-mode').checked);
  dirty = true;
  panelsDue = true;
  if (keys.length) writeHash();
}

function rebuild(hash, { keepIssues = false } = {}) {
  if (pg) pg.free();
  pg = new E.Playground(withStoredPoints(hash));
  userPoints = null; // an edit in progress goes on from the new points (editAt sets it back)
  offerRestore();
  generation++;
  targetMoved = false;
  applyView(hash);
  showViews();
  if (!keepIssues) showIssues(pg.issues());
  writeHash();
  syncForm();
  lastMetrics = null;
  stepsWindow = [];
  playing = false;
  showPlaying();
  dirty = true;
  return ask({ type: 'spec', hash: '#' + pg.spec() });
}

/** Loads a model file: the page shows it, the worker takes it on (training can go on). */
async function importModel(text) {
  let next;
  try {
    next = E.Playground.from_model(text);
  } catch (err) {
    $('fileerror').textContent = `Not loaded: ${err}`;
    return;
  }
  $('fileerror').textContent = '';
  if (pg) pg.free();
  pg = next;
  generation++;
  showViews();
  showIssues(pg.issues());
  writeHash();
  syncForm();
  lastMetrics = null;
  playing = false;
  showPlaying();
  dirty = true;
  await ask({ type: 'import', text });
}

function download(name, type, data) {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The main plot's three layers composed into one canvas. */
function composedPlot() {
  const out = document.createElement('canvas');
  const ctx = out.getContext('2d');
  if (twoD) {
    const a = $('in-live');
    const b = $('out-static');
    out.width = a.width + b.width;
    out.height = Math.max(a.height, b.height);
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, out.width, out.height);
    for (const id of ['in-static', 'in-live']) ctx.drawImage($(id), 0, 0);
    for (const id of ['out-heat', 'out-static']) ctx.drawImage($(id), a.width, 0);
    return out;
  }
  const top = $('points');
  out.width = top.width;
  out.height = top.height;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, out.width, out.height);
  for (const id of ['heat', 'points']) ctx.drawImage($(id), 0, 0);
  return out;
}

function setPlaying(on) {
  playing = on && pg.steps() < pg.planned_steps();
  showPlaying();
  worker.postMessage({ type: 'play', on: playing });
}

function showPlaying() {
  $('play').setAttribute('aria-pressed', String(playing));
  $('play').textContent = playing ? '❚❚ Pause' : '▶ Play';
}

function fmt(v) {
  return Number.isFinite(v) ? v.toFixed(3) : '—';
}

/** The diagnostics: each component's average π, the smallest σ, and the alarms (text only). */
let shownDiag = '';

function showDiagnostics(m) {
  const dead = m.dead_components;
  const k = m.component_pi.length;
  // Dead: average π below 0.001 beyond the π floor's ε/K (as the engine counts them).
  const eps = Number(/(?:^|&)pi_floor=([^&]*)/.exec(pg.spec())?.[1] ?? 0) || 0;
  const pis = Array.from(m.component_pi, (p, i) => `${i + 1}: ${p.toFixed(3)}${p < 0.001 + eps / k ? ' dead' : ''}`).join(', ');
  const summary = `Components: ${k - dead} of ${k} alive · smallest σ in use ${Number.isFinite(m.min_sigma) ? m.min_sigma.toPrecision(3) : '—'}${m.reinitialised ? ` · ${m.reinitialised} dead components moved so far` : ''}`;
  const text = `${summary}\n${pis}`;
  // Snapshots come 30 times a second but the diagnostics change once a second: touching
  // the DOM only then keeps layout work (and CPU taken from the training worker) down.
  const key = text + '\n' + m.alarms.join('\n');
  if (key === shownDiag) return;
  shownDiag = key;
  $('diag-summary').textContent = summary;
  $('diag-pi').textContent = `Average π per component: ${pis}`;
  const ul = $('alarms');
  ul.replaceChildren();
  for (const a of m.alarms) {
    const li = document.createElement('li');
    li.textContent = a;
    ul.appendChild(li);
  }
}

function updateStatus() {
  const m = lastMetrics;
  if (!m) return;
  showDiagnostics(m);
  let rate = '';
  if (playing && stepsWindow.length > 1) {
    const [t0, s0] = stepsWindow[0];
    const [t1, s1] = stepsWindow[stepsWindow.length - 1];
    if (t1 > t0) rate = ` · ${Math.round(((s1 - s0) * 1000) / (t1 - t0))} steps/s`;
  }
  const done = pg.steps() >= pg.planned_steps() ? ' (planned steps done)' : '';
  const fk = m.mdn_fk_error !== undefined
    ? ` · end effector misses by: MDN ${fmt(m.mdn_fk_error)}, MSE ${fmt(m.baseline_fk_error)}`
    : '';
  $('status').textContent = `step ${pg.steps()} of ${pg.planned_steps()}${done}${rate} · validation NLL: MDN ${fmt(m.val_nll)}, MSE regressor ${fmt(m.baseline_val_nll)} nats${fk}`;
  $('status').dataset.ready = '1';
}

function sizeCanvas(c) {
  const dpr = window.devicePixelRatio || 1;
  const w = Math.max(1, Math.round(c.clientWidth * dpr));
  const h = Math.max(1, Math.round(c.clientHeight * dpr));
  if (c.width !== w || c.height !== h) {
    c.width = w;
    c.height = h;
  }
  return dpr;
}

const heatSource = document.createElement('canvas');
let plotRect = null;
let staticKey = ''; // what the static layer was drawn for

// Two layers: the live one (the heatmap with the curves over it) changes with every
// snapshot; the static one on top (axes, labels, legend, data, colour bar) only with the
// data and the size. One changing canvas keeps the browser's compositing cheap.
function drawMain() {
  if (twoD) {
    drawPlanes();
    return;
  }
  const live = $('heat');
  const base = $('points');
  const dpr = sizeCanvas(live);
  sizeCanvas(base);
  const legend = live.clientWidth >= 560;
  const key = `${generation}:${base.width}x${base.height}:${legend}`;
  if (key !== staticKey || !plotRect) {
    staticKey = key;
    base.getContext('2d').clearRect(0, 0, base.width, base.height);
    plotRect = pg.draw_main(base, dpr, legend, false);
  }
  const [x0, y0, x1, y1] = plotRect;
  const cw = Math.max(1, Math.round((x1 - x0) / (HEAT_CELL * dpr)));
  const ch = Math.max(1, Math.round((y1 - y0) / (HEAT_CELL * dpr)));
  const ta = performance.now();
  const rgba = pg.heatmap(cw, ch);
  const tb = performance.now();
  heatSource.width = cw;
  heatSource.height = ch;
  heatSource.getContext('2d').putImageData(new ImageData(new Uint8ClampedArray(rgba.buffer, rgba.byteOffset, rgba.length), cw, ch), 0, 0);
  const ctx = live.getContext('2d');
  ctx.clearRect(0, 0, live.width, live.height);
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(heatSource, x0, y0, x1 - x0, y1 - y0);
  pg.draw_main(live, dpr, legend, true);
  const tc = performance.now();
  stats.maxHeatMs = Math.max(stats.maxHeatMs ?? 0, tb - ta);
  stats.maxOverlayMs = Math.max(stats.maxOverlayMs ?? 0, tc - tb);
}

let planeKey = '';
let inRect = null; // input plane: [x0, y0, x1, y1] in canvas pixels and [vx0, vx1, vy0, vy1]
let outRect = null;
const planeSource = document.createElement('canvas');

/** The 2-D views: the input plane (static data below, live target and arms above) and the
 * output plane (live heatmap with ellipses below, static axes above). */
function drawPlanes() {
  const ids = ['in-static', 'in-live', 'out-heat', 'out-static'];
  let dpr = 1;
  for (const id of ids) dpr = sizeCanvas($(id));
  const legend = $('instack').clientWidth >= 420;
  const key = `${generation}:${$('in-static').width}x${$('in-static').height}:${$('out-static').width}:${legend}`;
  if (key !== planeKey || !inRect || !outRect) {
    planeKey = key;
    for (const id of ['in-static', 'out-static']) $(id).getContext('2d').clearRect(0, 0, $(id).width, $(id).height);
    inRect = pg.draw_inputs($('in-static'), dpr, legend, false);
    outRect = pg.draw_outputs($('out-static'), dpr, legend, false);
  }
  const live = $('in-live');
  live.getContext('2d').clearRect(0, 0, live.width, live.height);
  pg.draw_inputs(live, dpr, legend, true);
  const [x0, y0, x1, y1] = outRect;
  const cw = Math.max(1, Math.round((x1 - x0) / (3 * dpr)));
  const ch = Math.max(1, Math.round((y1 - y0) / (3 * dpr)));
  const rgba = pg.plane_heatmap(cw, ch);
  planeSource.width = cw;
  planeSource.height = ch;
  planeSource.getContext('2d').putImageData(new ImageData(new Uint8ClampedArray(rgba.buffer, rgba.byteOffset, rgba.length), cw, ch), 0, 0);
  const heat = $('out-heat');
  const ctx = heat.getContext('2d');
  ctx.clearRect(0, 0, heat.width, heat.height);
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(planeSource, x0, y0, x1 - x0, y1 - y0);
  pg.draw_outputs(heat, dpr, legend, true);
}

/** The numbers behind the 2-D views, as a list with the drawing's colours (textContent only). */
function showTargetReport() {
  const r = pg.target_report();
  const f = (v) => Array.from(v, (x) => x.toFixed(3)).join(', ');
  const list = $('targetreport');
  list.replaceChildren();
  const item = (colour, text) => {
    const li = document.createElement('li');
    if (colour) {
      const sw = document.createElement('span');
      sw.className = 'swatch';
      sw.style.background = colour; // a #rrggbb from the engine, never user text
      li.appendChild(sw);
    }
    li.append(text);
    list.appendChild(li);
  };
  item(null, `Target input (${f(r.target)})`);
  if (r.arms.length) {
    for (const a of r.arms) {
      const who = a.component == null ? 'MSE regressor' : `Component ${a.component + 1} (π ${a.pi.toFixed(2)})`;
      item(a.colour, `${who}: θ = (${f(a.theta)}) — the hand misses the target by ${a.miss.toFixed(3)}`);
    }
  } else {
    item('#141414', `MSE prediction (${f(r.baseline)})`);
    for (const c of r.components) item(c.colour, `Component ${c.k + 1}: π ${c.pi.toFixed(2)}, mean (${f(c.mean)})`);
  }
  if (r.mode) item('#ffd700', `Most probable point (${f(r.mode)})`);
}

/** Moves the 2-D views' input to the pointer's position on the input plane. */
function targetAt(ev) {
  if (!inRect) return;
  const c = $('in-live');
  const r = c.getBoundingClientRect();
  const k = c.width / r.width;
  const [x0, y0, x1, y1, vx0, vx1, vy0, vy1] = inRect;
  const tx = ((ev.clientX - r.left) * k - x0) / (x1 - x0);
  const ty = ((ev.clientY - r.top) * k - y0) / (y1 - y0);
  const x = vx0 + tx * (vx1 - vx0);
  const y = vy1 - ty * (vy1 - vy0);
  pg.set_target(pg.dims()[0] === 2 ? [x, y] : [x]);
  targetMoved = true;
  writeHash();
  dirty = true;
  panelsDue = true;
}

function drawLoss() {
  const c = $('loss');
  const dpr = sizeCanvas(c);
  pg.draw_loss(c, dpr);
}

let sliceX = null; // x0 of the slice panel, in data units (null: the middle)

function drawPanels() {
  if (twoD) {
    showTargetReport();
    return;
  }
  const s = $('slice');
  const dpr = sizeCanvas(s);
  const [vx0, vx1] = pg.view_range();
  if (sliceX === null) sliceX = 0.5 * (vx0 + vx1);
  pg.draw_slice(s, dpr, sliceX);
  const c = $('components');
  sizeCanvas(c);
  pg.draw_components(c, dpr);
}

/** Sets the slice's x0 from a pointer position over the main plot. */
function pointAt(ev) {
  if (!plotRect) return;
  const top = $('points');
  const r = top.getBoundingClientRect();
  const dpr = top.width / r.width;
  const px = (ev.clientX - r.left) * dpr;
  const [x0, , x1] = plotRect;
  const [vx0, vx1] = pg.view_range();
  const t = Math.min(1, Math.max(0, (px - x0) / (x1 - x0)));
  sliceX = vx0 + t * (vx1 - vx0);
  drawPanels();
}

const stats = { draws: 0, maxMainMs: 0, maxLossMs: 0, totalMainMs: 0 };

// The main plot is drawn for every snapshot; the panels (loss, slice, parameters) four
// times a second, in frames of their own, so that no single task grows long.
let panelsDue = true;

function drawMainTimed() {
  const t0 = performance.now();
  drawMain();
  const dt = performance.now() - t0;
  stats.draws++;
  stats.maxMainMs = Math.max(stats.maxMainMs, dt);
  stats.totalMainMs += dt;
}

function drawPanelsTimed() {
  const t0 = performance.now();
  lastLossAt = t0;
  drawLoss();
  const t1 = performance.now();
  drawPanels();
  const t2 = performance.now();
  stats.maxLossMs = Math.max(stats.maxLossMs, t1 - t0);
  stats.maxPanelsMs = Math.max(stats.maxPanelsMs ?? 0, t2 - t1);
  panelsDue = false;
}

// While training, the main plot is redrawn at most about 30 times a second: more would not be
// seen, and every millisecond the page spends drawing is one the training worker may lose
// on a two-core machine.
const MIN_FRAME_MS = 30;
let lastMainAt = 0;

function frame() {
  try {
    if (pg && !recovering) drawFrame();
  } catch (err) {
    if (!(err instanceof WebAssembly.RuntimeError)) throw err;
    recoverEngine(err);
  } finally {
    requestAnimationFrame(frame);
  }
}

function drawFrame() {
  const now = performance.now();
  if (dirty && now - lastLossAt > 250) panelsDue = true;
  if (panelsDue && (!playing || now - lastLossAt > 250)) {
    drawPanelsTimed();
  } else if (dirty && (!playing || now - lastMainAt >= MIN_FRAME_MS)) {
    dirty = false;
    lastMainAt = now;
    drawMainTimed();
  }
}

let engineLoads = 0;
let recovering = null;

/** After a trap: a fresh engine instance (a new copy of the module, with memory of its
 * own), the training worker started anew, and the experiment rebuilt from the link. */
function recoverEngine(err) {
  if (recovering) return recovering;
  engineLoads++;
  recovering = (async () => {
    const fresh = await import(`../mdn-playground.js?engine=${engineLoads}`);
    await fresh.default();
    E = fresh;
    pg = null; // its memory died with the old instance
    sweepReport = null;
    startWorker();
    if (sweepWaiter) onSweep({ gen: sweepGen, done: true, cancelled: true, reason: 'the engine was restarted' });
    await rebuild(location.hash, { keepIssues: true });
    showIssues([`The engine stopped (${err.message}) and was restarted from the link; the experiment starts again from step 0.`]);
  })().finally(() => {
    recovering = null;
  });
  return recovering;
}

// A trap in an event handler (not only in drawing) is recovered from too.
window.addEventListener('error', (e) => {
  if (e.error instanceof WebAssembly.RuntimeError) recoverEngine(e.error);
});
window.addEventListener('unhandledrejection', (e) => {
  if (e.reason instanceof WebAssembly.RuntimeError) recoverEngine(e.reason);
});

async function main() {
  if (hashParams().embed === '1') document.body.classList.add('embed');
  // The per-component list is open where there is room; on a phone it would push the plot down.
  $('diag').open = window.innerWidth >= 820;
  await E.default();
  startWorker();
  PAGE_KEYS = E.page_keys();
  $('version').textContent = E.version();
  keys = E.spec_keys();
  buildForm();
  buildLab();
  const first = rebuild(location.hash);
  $('play').addEventListener('click', () => setPlaying(!playing));
  $('stepbtn').addEventListener('click', () => ask({ type: 'step', n: 1 }));
  $('reset').addEventListener('click', () => rebuild('#' + pg.spec()));
  $('copy').addEventListener('click', () => {
    if (!linkTooLong()) copyText($('copy'), location.href, 'Copy link');
  });
  $('usecsv').addEventListener('click', () => usePoints($('csvtext').value, 'Pasted text'));
  $('loadcsv').addEventListener('change', async (ev) => {
    const file = ev.target.files?.[0];
    ev.target.value = '';
    if (!file) return;
    if (file.size > 2 * 1024 * 1024) {
      $('dataerror').textContent = `${file.name}: not used: larger than 2 MB (at most 20000 points are accepted).`;
      return;
    }
    usePoints(await file.text(), file.name);
  });
  $('savecsvpts').addEventListener('click', () => {
    const csv = pg.points_csv() || (() => {
      const f = pg.train_points(100000);
      let out = 'x,y\n';
      for (let i = 0; i + 1 < f.length; i += 2) out += `${f[i]},${f[i + 1]}\n`;
      return out;
    })();
    download('mdn-points.csv', 'text/csv', csv);
  });
  $('savepng').addEventListener('click', () => composedPlot().toBlob((b) => download('mdn-playground.png', 'image/png', b)));
  $('savemodel').addEventListener('click', () => download('mdn-model.json', 'application/json', pg.model_json()));
  $('savecsv').addEventListener('click', () => download('mdn-loss.csv', 'text/csv', pg.history_csv()));
  $('loadmodel').addEventListener('change', async (ev) => {
    const file = ev.target.files?.[0];
    ev.target.value = '';
    if (!file) return;
    if (file.size > 20 * 1024 * 1024) {
      $('fileerror').textContent = `Not loaded: ${file.name} is larger than 20 MB.`;
      return;
    }
    await importModel(await file.text());
  });
  $('sweep-run').addEventListener('click', () => startSweep($('sweep-k').value, $('sweep-seeds').value));
  $('sweep-cancel').addEventListener('click', () => worker.postMessage({ type: 'sweep-cancel', sweepGen }));
  $('embedcode').addEventListener('click', () => {
    if (!linkTooLong()) copyText($('embedcode'), embedCode(), 'Copy embed code');
  });
  window.addEventListener('resize', () => {
    dirty = true;
    drawSweep();
  });
  $('stack').addEventListener('pointermove', (ev) => {
    if (ev.buttons & 1 && $('draw-on').checked) editAt(ev);
    else pointAt(ev);
  });
  $('stack').addEventListener('pointerdown', (ev) => {
    if ($('draw-on').checked) {
      $('stack').setPointerCapture(ev.pointerId);
      editAt(ev);
    } else pointAt(ev);
  });
  $('stack').addEventListener('keydown', (ev) => {
    if (ev.key !== 'ArrowLeft' && ev.key !== 'ArrowRight') return;
    ev.preventDefault();
    const [vx0, vx1] = pg.view_range();
    const step = (vx1 - vx0) / 50;
    sliceX = Math.min(vx1, Math.max(vx0, (sliceX ?? 0.5) + (ev.key === 'ArrowLeft' ? -step : step)));
    drawPanels();
  });
  $('instack').addEventListener('pointerdown', (ev) => {
    $('instack').setPointerCapture(ev.pointerId);
    targetAt(ev);
  });
  $('instack').addEventListener('pointermove', (ev) => {
    if (ev.buttons & 1) targetAt(ev);
  });
  $('instack').addEventListener('keydown', (ev) => {
    const moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };
    const m = moves[ev.key];
    if (!m || !inRect) return;
    ev.preventDefault();
    const [, , , , vx0, vx1, vy0, vy1] = inRect;
    const t = pg.target();
    t[0] += (m[0] * (vx1 - vx0)) / 50;
    if (t.length > 1) t[1] += (m[1] * (vy1 - vy0)) / 50;
    pg.set_target(t);
    targetMoved = true;
    writeHash();
    dirty = true;
    panelsDue = true;
  });
  for (const id of ['samp-n', 'samp-tpi', 'samp-ts', 'samp-mode']) $(id).addEventListener('input', applySampling);
  window.addEventListener('hashchange', () => {
    const spec = location.hash.replace(/^#/, '').split('&').filter((p) => !PAGE_KEYS.includes(p.split('=')[0])).join('&');
    if (spec !== pg.spec()) rebuild(location.hash);
    else {
      // Only the view changed (target, sampling): apply it, checked like everything else.
      applyView(location.hash);
      applySampling();
    }
  });
  // The documented API for embedding pages and automation (see README).
  window.mdn = {
    version: E.version(),
    ready: first.then(() => undefined),
    spec: () => pg.spec(),
    metrics: () => ask({ type: 'metrics' }),
    step: (n) => ask({ type: 'step', n }),
    /** Loads a model file's text (the CLI's format). */
    loadModel: (text) => importModel(text),
    /** The model in the CLI's JSON format. */
    modelJson: () => pg.model_json(),
    /** Runs a K sweep (K = 1…kMax, `seeds` seeds) in the background; a promise of its report. */
    sweep: ({ kMax = 8, seeds = 3 } = {}) => startSweep(kMax, seeds),
    /** The 2-D views' input: get it, or move it (clamped to the data's range). */
    target: (x) => {
      if (x === undefined) return Array.from(pg.target());
      const t = Array.from(pg.set_target(Float64Array.from(x, Number)));
      targetMoved = true;
      writeHash();
      dirty = true;
      panelsDue = true;
      return t;
    },
    /** What the 2-D views show at the target (components, poses and miss distances). */
    targetReport: () => pg.target_report(),
    /** Sampling settings of the views: temperatures, number of samples, mode. */
    setSampling: ({ tempPi = 1, tempSigma = 1, n = 0, mode = false } = {}) => {
      $('samp-tpi').value = tempPi;
      $('samp-ts').value = tempSigma;
      $('samp-n').value = String(n);
      $('samp-mode').checked = mode;
      applySampling();
    },
    /** Uses CSV text (2 or 3 columns) as the data; false with a message if it cannot. */
    usePoints: (text) => usePoints(text, 'Points'),
    /** The iframe snippet for this experiment. */
    embedCode: () => embedCode(),
    /** Drawing statistics: plot updates so far and the slowest ones, in ms. */
    stats: () => ({ ...stats }),
    /** For the tests: make the engine trap, as a bug in it would (the page recovers). */
    trapForTest: ({ worker: inWorker = false } = {}) => {
      if (inWorker) return ask({ type: 'debug-trap' }).catch(() => workerRestart);
      try {
        E.debug_trap();
      } catch (err) {
        return recoverEngine(err);
      }
    },
    resetStats: () => Object.assign(stats, { draws: 0, maxMainMs: 0, maxLossMs: 0, totalMainMs: 0, maxPanelsMs: 0, maxHeatMs: 0, maxOverlayMs: 0 }),
  };
  await first;
  // Warm up: WebAssembly code starts in a quick baseline compiler and is optimised once
  // it has run a few times; drawing a few times now, one task each, keeps those slow
  // first frames out of the training that follows.
  for (let i = 0; i < 4; i++) {
    await new Promise((r) => setTimeout(r, 0));
    drawMain();
    drawPanels();
  }
  if (hashParams().play === '1') setPlaying(true);
  requestAnimationFrame(frame);
}

main().catch((e) => {
  $('status').textContent = `The engine failed to load: ${e}`;
  $('status').dataset.ready = 'error';
});
