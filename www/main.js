// The page: controls, the animation loop, and calls into the wasm engine.
// All maths and drawing live in Rust (src/web.rs, src/plot.rs); this file only wires
// them to the DOM. User text is only ever set with textContent.
import init, { version, spec_keys, Playground } from '../mdn-playground.js';

const $ = (id) => document.getElementById(id);
const PAGE_KEYS = ['play', 'embed'];
const HEAT_CELL = 4; // CSS pixels per heatmap cell

let pg = null;
let keys = [];
let playing = false;
let lastMetrics = null;
let lastMetricsAt = 0;
let lastLossAt = 0;
let stepsWindow = []; // [time, steps] samples for steps/s

function hashParams() {
  const raw = location.hash.replace(/^#/, '');
  const page = {};
  for (const part of raw.split('&')) {
    const [k, v = ''] = part.split('=');
    if (PAGE_KEYS.includes(k)) page[k] = v;
  }
  return page;
}

function writeHash() {
  const page = hashParams();
  const extra = PAGE_KEYS.filter((k) => k in page).map((k) => `&${k}=${encodeURIComponent(page[k])}`).join('');
  history.replaceState(null, '', '#' + pg.spec() + extra);
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
    $('spec-seed').value = String(Math.floor(Math.random() * 2 ** 32));
    applyForm();
  });
  form.appendChild(seed);
}

function syncForm() {
  const values = Object.fromEntries(pg.spec().split('&').map((kv) => kv.split('=')));
  for (const [key] of keys) {
    const f = $('spec-' + key);
    if (f) f.value = decodeURIComponent(values[key] ?? '');
  }
  const [k, means, scales, total] = pg.outputs();
  $('outputs').textContent = `The network outputs ${total} numbers: ${k} mixing logits + ${means} means + ${scales} scales.`;
}

function applyForm() {
  const parts = keys.map(([key]) => `${key}=${encodeURIComponent($('spec-' + key).value.trim())}`);
  rebuild('#' + parts.join('&'));
}

function rebuild(hash) {
  setPlaying(false);
  if (pg) pg.free();
  pg = new Playground(hash);
  showIssues(pg.issues());
  writeHash();
  syncForm();
  lastMetrics = null;
  stepsWindow = [];
  refreshMetrics(true);
  drawAll(true);
}

function setPlaying(on) {
  playing = on && pg && pg.steps() < pg.planned_steps();
  $('play').setAttribute('aria-pressed', String(playing));
  $('play').textContent = playing ? '❚❚ Pause' : '▶ Play';
}

function fmt(v) {
  return Number.isFinite(v) ? v.toFixed(3) : '—';
}

function refreshMetrics(force) {
  const now = performance.now();
  if (!force && now - lastMetricsAt < 400) return;
  lastMetricsAt = now;
  lastMetrics = pg.metrics();
  updateStatus();
}

function updateStatus() {
  const m = lastMetrics;
  if (!m) return;
  let rate = '';
  if (stepsWindow.length > 1) {
    const [t0, s0] = stepsWindow[0];
    const [t1, s1] = stepsWindow[stepsWindow.length - 1];
    if (t1 > t0) rate = ` · ${Math.round(((s1 - s0) * 1000) / (t1 - t0))} steps/s`;
  }
  const done = pg.steps() >= pg.planned_steps() ? ' (planned steps done)' : '';
  $('status').textContent = `step ${pg.steps()} of ${pg.planned_steps()}${done}${rate} · validation NLL: MDN ${fmt(m.val_nll)}, MSE regressor ${fmt(m.baseline_val_nll)} nats`;
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

function drawMain() {
  const overlay = $('overlay');
  const heat = $('heat');
  const dpr = sizeCanvas(overlay);
  sizeCanvas(heat);
  // The overlay first: it tells where the plot area is.
  overlay.getContext('2d').clearRect(0, 0, overlay.width, overlay.height);
  const rect = plotRect ?? [0, 0, overlay.width, overlay.height];
  const cw = Math.max(1, Math.round((rect[2] - rect[0]) / (HEAT_CELL * dpr)));
  const ch = Math.max(1, Math.round((rect[3] - rect[1]) / (HEAT_CELL * dpr)));
  const rgba = pg.heatmap(cw, ch);
  plotRect = pg.draw_main(overlay, dpr, overlay.clientWidth >= 560);
  heatSource.width = cw;
  heatSource.height = ch;
  heatSource.getContext('2d').putImageData(new ImageData(new Uint8ClampedArray(rgba.buffer, rgba.byteOffset, rgba.length), cw, ch), 0, 0);
  const ctx = heat.getContext('2d');
  ctx.clearRect(0, 0, heat.width, heat.height);
  ctx.imageSmoothingEnabled = true;
  const [x0, y0, x1, y1] = plotRect;
  ctx.drawImage(heatSource, x0, y0, x1 - x0, y1 - y0);
}

function drawLoss() {
  const c = $('loss');
  const dpr = sizeCanvas(c);
  pg.draw_loss(c, dpr);
}

function drawAll(force) {
  drawMain();
  const now = performance.now();
  if (force || now - lastLossAt > 250) {
    lastLossAt = now;
    drawLoss();
  }
}

function frame() {
  if (playing) {
    const left = pg.planned_steps() - pg.steps();
    pg.train_for(12, Math.max(1, Math.min(left, 100000)));
    const now = performance.now();
    stepsWindow.push([now, pg.steps()]);
    while (stepsWindow.length > 2 && now - stepsWindow[0][0] > 2000) stepsWindow.shift();
    if (pg.steps() >= pg.planned_steps()) {
      setPlaying(false);
      refreshMetrics(true);
    } else {
      refreshMetrics(false);
    }
    drawAll(false);
  }
  requestAnimationFrame(frame);
}

async function main() {
  await init();
  $('version').textContent = version();
  keys = spec_keys();
  buildForm();
  rebuild(location.hash);
  $('play').addEventListener('click', () => setPlaying(!playing));
  $('stepbtn').addEventListener('click', () => {
    setPlaying(false);
    pg.step(1);
    refreshMetrics(true);
    drawAll(true);
  });
  $('reset').addEventListener('click', () => rebuild('#' + pg.spec()));
  $('copy').addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(location.href);
      $('copy').textContent = 'Copied';
    } catch {
      $('copy').textContent = 'Copy failed: use the address bar';
    }
    setTimeout(() => ($('copy').textContent = 'Copy link'), 1500);
  });
  window.addEventListener('resize', () => drawAll(true));
  window.addEventListener('hashchange', () => {
    if ('#' + pg.spec() !== location.hash.split('&').filter((p) => !PAGE_KEYS.includes(p.split('=')[0].replace('#', ''))).join('&')) rebuild(location.hash);
  });
  window.mdn = {
    version: version(),
    ready: Promise.resolve(),
    spec: () => pg.spec(),
    metrics: () => pg.metrics(),
    step: (n) => {
      pg.step(n);
      refreshMetrics(true);
      drawAll(true);
      return pg.metrics();
    },
  };
  if (hashParams().play === '1') setPlaying(true);
  requestAnimationFrame(frame);
}

main().catch((e) => {
  $('status').textContent = `The engine failed to load: ${e}`;
  $('status').dataset.ready = 'error';
});
