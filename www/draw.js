// Drawing, and the frame scheduler. The main plot has three layers: the heatmap at the
// bottom and the curves on top change with every snapshot; the static one between them
// (axes, labels, data, colour bar) only with the data, the size and the theme, so that
// the component means are drawn over the data points, not under them. The panels
// (loss, slice, parameters) are drawn four times a second, in frames of their own, so
// that no single task grows long. Everything is drawn by the Viewer (plotters in Rust).
import { S, $ } from './state.js';
import { fixed } from './numbers.js';
import { sizeCanvas } from './canvas.js';
import { drawSplit } from './ensemble.js';
import { second } from './compare.js';
import { fillTables } from './tables.js';
import { sayThePlots } from './words.js';
import { t } from './lang.js';

const HEAT_CELL = 5; // CSS pixels per heatmap cell (smoothed when scaled up)
const MIN_FRAME_MS = 30; // the main plot at most about 30 times a second while training
const PANELS_MS = 250;


/** RGBA bytes from the engine, scaled into `rect` of a canvas (smoothed). */
function blit(source, rgba, w, h, target, [x0, y0, x1, y1]) {
  source.width = w;
  source.height = h;
  source.getContext('2d').putImageData(new ImageData(new Uint8ClampedArray(rgba.buffer, rgba.byteOffset, rgba.length), w, h), 0, 0);
  const ctx = target.getContext('2d');
  ctx.clearRect(0, 0, target.width, target.height);
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(source, x0, y0, x1 - x0, y1 - y0);
}

const heatSource = document.createElement('canvas');
const planeSource = document.createElement('canvas');

function drawMain() {
  if (S.twoD) return drawPlanes();
  paintMain(S.viewer, ['heat', 'points', 'curves'], S, heatSource);
  const b = second();
  if (b && !$('compare').hidden) paintMain(b, ['heat-b', 'points-b', 'curves-b'], sideB, heatSourceB);
  return undefined;
}

const heatSourceB = document.createElement('canvas');
const sideB = { staticKey: '', plotRect: null };
/** The second experiment's plot area on its canvas (null before it is drawn). */
export const plotRectB = () => sideB.plotRect;

/** One main plot, from Viewer `v`, on its three canvases; `st` keeps its static layer's key
 * and plot area. */
function paintMain(v, [heatId, baseId, topId], st, source) {
  const live = $(heatId);
  const base = $(baseId);
  const top = $(topId);
  const dpr = sizeCanvas(live);
  sizeCanvas(base);
  sizeCanvas(top);
  const legend = live.clientWidth >= 560;
  const key = `${S.generation}:${base.width}x${base.height}:${legend}:${S.dark}:${v.truth()}`;
  if (key !== st.staticKey || !st.plotRect) {
    st.staticKey = key;
    base.getContext('2d').clearRect(0, 0, base.width, base.height);
    st.plotRect = v.draw_main(base, dpr, legend, false);
  }
  const [x0, y0, x1, y1] = st.plotRect;
  // Each cell costs a density of K components: many components get larger cells, so
  // that a frame's heatmap costs about what the default K = 12 costs.
  const cell = HEAT_CELL * Math.max(1, Math.sqrt(v.outputs()[0] / 12));
  const cw = Math.max(1, Math.round((x1 - x0) / (cell * dpr)));
  const ch = Math.max(1, Math.round((y1 - y0) / (cell * dpr)));
  const ta = performance.now();
  const rgba = v.heatmap(cw, ch);
  const tb = performance.now();
  blit(source, rgba, cw, ch, live, st.plotRect);
  top.getContext('2d').clearRect(0, 0, top.width, top.height);
  v.draw_main(top, dpr, legend, true);
  if (v.intervals_pending()) S.dirty = true; // the rest of the intervals in the next frame
  S.stats.maxHeatMs = Math.max(S.stats.maxHeatMs ?? 0, tb - ta);
  S.stats.maxOverlayMs = Math.max(S.stats.maxOverlayMs ?? 0, performance.now() - tb);
}

/** The 2-D views: the input plane (static data below, live target and arms above) and the
 * output plane (live heatmap with ellipses below, static axes above). */
function drawPlanes() {
  const v = S.viewer;
  let dpr = 1;
  for (const id of ['in-static', 'in-live', 'out-heat', 'out-static']) dpr = sizeCanvas($(id));
  const legend = $('instack').clientWidth >= 420;
  const key = `${S.generation}:${$('in-static').width}x${$('in-static').height}:${$('out-static').width}:${legend}:${S.dark}`;
  if (key !== S.planeKey || !S.inRect || !S.outRect) {
    S.planeKey = key;
    for (const id of ['in-static', 'out-static']) $(id).getContext('2d').clearRect(0, 0, $(id).width, $(id).height);
    S.inRect = v.draw_inputs($('in-static'), dpr, legend, false);
    S.outRect = v.draw_outputs($('out-static'), dpr, legend, false);
  }
  const live = $('in-live');
  live.getContext('2d').clearRect(0, 0, live.width, live.height);
  v.draw_inputs(live, dpr, legend, true);
  const [x0, y0, x1, y1] = S.outRect;
  const cw = Math.max(1, Math.round((x1 - x0) / (3 * dpr)));
  const ch = Math.max(1, Math.round((y1 - y0) / (3 * dpr)));
  blit(planeSource, v.plane_heatmap(cw, ch), cw, ch, $('out-heat'), S.outRect);
  v.draw_outputs($('out-heat'), dpr, legend, true);
}

/** One line of the list beside the 2-D views, with the drawing's colour. */
function reportItem(list, colour, text) {
  const li = document.createElement('li');
  if (colour) {
    const sw = document.createElement('span');
    sw.className = 'swatch';
    sw.style.background = colour; // a #rrggbb from the engine, never user text
    li.appendChild(sw);
  }
  li.append(text);
  list.appendChild(li);
}

/** The numbers behind the 2-D views, as a list with the drawing's colours (textContent only). */
function showTargetReport() {
  const r = S.viewer.target_report();
  const f = (v) => Array.from(v, (x) => fixed(x, 3)).join(', ');
  const list = $('targetreport');
  list.replaceChildren();
  reportItem(list, null, t('Target input ({0})', f(r.target)));
  const note = S.viewer.target_note();
  if (note) reportItem(list, null, note);
  if (r.arms.length) {
    for (const a of r.arms) {
      const who = a.component == null ? t('MSE regressor') : t('Component {0} (π {1})', a.component + 1, fixed(a.pi, 2));
      reportItem(list, a.colour, t('{0}: θ = ({1}) — the hand misses the target by {2}', who, f(a.theta), fixed(a.miss, 3)));
    }
  } else {
    reportItem(list, '#141414', t('MSE prediction ({0})', f(r.baseline)));
    for (const c of r.components) reportItem(list, c.colour, t('Component {0}: π {1}, mean ({2})', c.k + 1, fixed(c.pi, 2), f(c.mean)));
  }
  if (r.mode) reportItem(list, '#ffd700', t('Most probable point ({0})', f(r.mode)));
}

/** The slice's x₀ as a line on the main plot (and on the second experiment's, which
 * shares it), where the slice is shown (an overlay: the pointer moves it at once, without
 * redrawing the plot). */
function placeX0(x) {
  const shown = !S.twoD && $('slice').offsetParent !== null;
  markX0($('x0-line'), $('points'), shown && S.plotRect, x);
  markX0($('x0-line-b'), $('points-b'), shown && second() && sideB.plotRect, x);
}

function markX0(line, canvas, rect, x) {
  line.hidden = !rect || canvas.width === 0;
  if (line.hidden) return;
  const k = canvas.clientWidth / canvas.width;
  const [x0, y0, x1, y1] = rect;
  const [vx0, vx1] = S.viewer.view_range();
  const px = x0 + ((x - vx0) / (vx1 - vx0)) * (x1 - x0);
  Object.assign(line.style, { left: `${px * k}px`, top: `${y0 * k}px`, height: `${(y1 - y0) * k}px` });
}

export function drawPanels() {
  if (S.twoD) {
    placeX0(0);
    sayThePlots();
    fillTables();
    return showTargetReport();
  }
  const v = S.viewer;
  const s = $('slice');
  const dpr = sizeCanvas(s);
  const [vx0, vx1] = v.view_range();
  // None yet, or outside this data set's range of x (another set): the middle.
  if (S.sliceX === null || !(S.sliceX >= vx0 && S.sliceX <= vx1)) S.sliceX = 0.5 * (vx0 + vx1);
  const b = second();
  if (b) v.draw_slice_with(s, dpr, S.sliceX, b);
  else v.draw_slice(s, dpr, S.sliceX);
  placeX0(S.sliceX);
  sayThePlots();
  fillTables();
  const said = v.intervals() ? v.slice_intervals(S.sliceX) : '';
  if ($('slice-intervals').textContent !== said) $('slice-intervals').textContent = said;
  const c = $('components');
  sizeCanvas(c);
  v.draw_components(c, dpr);
  drawSplit();
  drawDifference(v, b);
}

const DIFF_MS = 1000; // the difference view while training: about once a second (its grid
// costs two densities a cell, more than the other panels together)
let diffAt = -Infinity;

function drawDifference(v, b) {
  const d = $('diff');
  const now = performance.now();
  if (!b || d.offsetParent === null || (S.training && now - diffAt < DIFF_MS)) return;
  diffAt = now;
  v.draw_difference(d, sizeCanvas(d), b);
}

function drawMainTimed() {
  const t0 = performance.now();
  drawMain();
  const dt = performance.now() - t0;
  S.stats.draws++;
  S.stats.maxMainMs = Math.max(S.stats.maxMainMs, dt);
  S.stats.totalMainMs += dt;
}

function drawPanelsTimed() {
  const t0 = performance.now();
  S.lastLossAt = t0;
  const c = $('loss');
  const b = second();
  if (b) S.viewer.draw_loss_with(c, sizeCanvas(c), b);
  else S.viewer.draw_loss(c, sizeCanvas(c));
  const t1 = performance.now();
  drawPanels();
  if (S.calDue) drawCalibration();
  S.stats.maxLossMs = Math.max(S.stats.maxLossMs, t1 - t0);
  S.stats.maxPanelsMs = Math.max(S.stats.maxPanelsMs ?? 0, performance.now() - t1);
  S.panelsDue = false;
}

/** The calibration panel: its plot and its numbers in words (textContent). */
function drawCalibration() {
  S.calDue = false;
  const c = $('cal-plot');
  if (c.offsetParent === null) return;
  const t0 = performance.now();
  S.viewer.draw_calibration(c, sizeCanvas(c));
  $('cal-text').textContent = S.viewer.calibration_text();
  S.stats.maxCalDrawMs = Math.max(S.stats.maxCalDrawMs ?? 0, performance.now() - t0);
}

const CAL_MS = 6; // calibration work per frame, in the time the frame has left
const FRAME_MS = 30; // a frame's drawing and calibration together, at most about

/** A few milliseconds of the calibration pass, while its panel is shown, in what is left
 * of the frame after `drawnMs` of drawing. */
export function calibrateSome(drawnMs = 0) {
  if ($('cal-plot').offsetParent === null && !S.calWanted) return;
  const budget = Math.min(CAL_MS, FRAME_MS - drawnMs);
  if (budget <= 0) return;
  const t0 = performance.now();
  if (S.viewer.calibrate_for(budget)) {
    S.calDue = true;
    S.panelsDue = true;
  }
  S.stats.maxCalMs = Math.max(S.stats.maxCalMs ?? 0, performance.now() - t0);
  if (S.viewer.calibration_step() < 0) {
    // Before the first report: how far the first pass is (the panel is empty until then).
    const [done, all] = S.viewer.calibration_progress();
    const said = t('Scoring the {0} validation points… {1}%', all, Math.floor((100 * done) / Math.max(1, all)));
    if ($('cal-text').textContent !== said) {
      $('cal-text').textContent = said;
      // The panel says it too (an embed shows the panel without its text).
      S.viewer.draw_calibration($('cal-plot'), sizeCanvas($('cal-plot')));
    }
  }
}

/** One frame: the panels if they are due, else the main plot if it is. */
export function drawFrame() {
  const now = performance.now();
  if (S.dirty && now - S.lastLossAt > PANELS_MS) S.panelsDue = true;
  if (S.panelsDue && (!S.training || now - S.lastLossAt > PANELS_MS)) {
    drawPanelsTimed();
  } else if (S.dirty && (!S.training || now - S.lastMainAt >= MIN_FRAME_MS)) {
    S.dirty = false;
    S.lastMainAt = now;
    drawMainTimed();
  }
}

/** Everything at once, without waiting for frames (the warm-up after loading). */
export function drawAll() {
  drawMain();
  drawPanelsTimed();
}

export function resetStats() {
  Object.assign(S.stats, { draws: 0, maxMainMs: 0, maxLossMs: 0, totalMainMs: 0, maxPanelsMs: 0, maxHeatMs: 0, maxOverlayMs: 0, maxCalMs: 0, maxCalDrawMs: 0 });
}
