// The page as the link shapes it: the caption, locked fields, and in an embed the panels
// it shows, in order (`panels=`), and the spec fields a student may change (`controls=`).
// An embed fits its frame: its panels share what the toolbar, caption and fields leave, in
// a grid whose columns suit the frame's shape; it never scrolls. The link is read by the
// engine; this module only applies it. Captions are plain text.
import { S, $, redraw } from './state.js';

/** Below this frame the embed shows the main plot alone, with a note. */
export const EMBED_MIN = { width: 480, height: 320 };
/** Panels of text and controls: a row of their own at the bottom, as tall as they need. */
const TEXT_PANELS = new Set(['diagnostics', 'sampling']);
/** The part of the frame's height text panels may take together. */
const TEXT_SHARE = 0.3;
/** The width / height a plot reads best at. */
const PLOT_ASPECT = 1.4;

/** Greys out the fields of the keys the link locks, and shows its caption. */
function applyLocksAndCaption(v) {
  const locked = new Set(v.locked());
  for (const key of S.keys) {
    const f = $('spec-' + key.name);
    if (!f) continue;
    f.disabled = locked.has(key.name);
    f.closest('label').classList.toggle('locked', locked.has(key.name));
  }
  $('caption').textContent = v.caption();
  $('caption').hidden = !v.caption();
}

/** The chosen panels moved into the embed's grid, in the link's order; the caption, the
 * exercise and the tour above it, the chosen fields below. */
function shape(v) {
  const grid = $('embed-shape');
  for (const el of document.querySelectorAll('[data-panel]')) el.classList.remove('chosen');
  grid.before($('caption'), $('goal'), $('tour'));
  const dims = S.twoD ? '2' : '1';
  for (const name of v.panels()) {
    for (const el of document.querySelectorAll(`[data-panel="${name}"]`)) {
      // A panel for the other kind of data (the slice for the arm, a plane for a curve)
      // has nothing to show: left out.
      if (el.dataset.dims && el.dataset.dims !== dims) continue;
      el.classList.add('chosen');
      // Panels inside a chosen one (the two views inside the main plot) come with it.
      for (const inner of el.querySelectorAll('[data-panel]')) inner.classList.add('chosen');
      grid.appendChild(el);
    }
  }
  const shown = new Set(v.controls());
  for (const key of S.keys) {
    const f = $('spec-' + key.name);
    if (f) f.closest('label').hidden = !shown.has(key.name);
  }
  $('all-settings').open = true;
  $('spec').hidden = !S.keys.some((k) => shown.has(k.name));
  grid.after($('spec'));
}

/** The columns a grid `w × h` gives `n` plots: as many as bring each plot's width / height
 * nearest to PLOT_ASPECT. The one rule of the embed's layout and of the builder's height. */
export function columnsFor(w, h, n) {
  let best = 1;
  let bestScore = Infinity;
  for (let c = 1; c <= n; c++) {
    const r = Math.ceil(n / c);
    const score = Math.abs(Math.log(((w / c) / (h / r)) / PLOT_ASPECT));
    if (score < bestScore) [best, bestScore] = [c, score];
  }
  return best;
}

/** Lays the embed's panels out for the frame: as many columns as bring each plot nearest
 * to PLOT_ASPECT; text panels in rows of their own below. Too small a frame: the main plot
 * alone. Called again when the frame or the shown views change. */
export function layoutEmbed() {
  if (!document.body.classList.contains('embed')) return;
  const tiny = innerWidth < EMBED_MIN.width || innerHeight < EMBED_MIN.height;
  document.body.classList.toggle('embed-tiny', tiny);
  const grid = $('embed-shape');
  const cells = [...grid.children].filter((e) => !e.hidden && (!tiny || e.dataset.panel === 'main'));
  const plots = cells.filter((e) => !TEXT_PANELS.has(e.dataset.panel));
  const texts = cells.length - plots.length;
  grid.style.gridTemplateColumns = '';
  grid.style.gridTemplateRows = '';
  const n = Math.max(1, plots.length);
  const w = grid.clientWidth || innerWidth;
  const h = Math.max(1, grid.clientHeight || innerHeight);
  const best = columnsFor(w, h, n);
  const rows = Math.ceil(n / best);
  grid.style.gridTemplateColumns = `repeat(${best}, minmax(0, 1fr))`;
  grid.style.gridTemplateRows = `repeat(${rows}, minmax(0, 1fr))` + ' auto'.repeat(texts);
  for (const el of cells) {
    const text = TEXT_PANELS.has(el.dataset.panel);
    el.classList.toggle('embed-text', text);
    // Text panels share at most TEXT_SHARE of the frame; they scroll inside it.
    el.style.maxHeight = text ? `${Math.round((TEXT_SHARE * innerHeight) / texts)}px` : '';
  }
  S.calDue = true;
  redraw({ panels: true });
}

export function applyShape() {
  const v = S.viewer;
  applyLocksAndCaption(v);
  // In an embed the toolbar's own controls, too, appear only where `controls=` names them.
  const shown = new Set(v.controls());
  document.querySelector('.intervals-toggle').hidden = v.embed() && !shown.has('intervals');
  document.querySelector('label.speed').hidden = v.embed() && !shown.has('speed');
  document.querySelector('.truth-toggle').hidden = v.embed() && !shown.has('truth');
  if (!v.embed()) return;
  document.body.classList.add('embed');
  shape(v);
  layoutEmbed();
  if (!S.embedObserved) {
    S.embedObserved = true;
    new ResizeObserver(() => layoutEmbed()).observe($('embed-shape'));
  }
}

/** The height an embed of `width` needs to show `panels` comfortably (each plot about
 * PLOT_ASPECT, from 200 to 420 px tall), with the toolbar, the caption, an exercise's box
 * (`goal`: its task takes a few lines) and the fields of `controls`: what the builder
 * proposes. Its columns are those the embed's layout
 * (columnsFor) gives the grid at that height: of the column counts whose grid the layout
 * would lay out with as many columns, the one whose plots come nearest PLOT_ASPECT.
 * Any frame down to EMBED_MIN still fits. */
export function embedHeight(width, panels, controls, caption, goal = '') {
  const plots = Math.max(1, panels.filter((p) => !TEXT_PANELS.has(p)).length);
  const texts = panels.length - panels.filter((p) => !TEXT_PANELS.has(p)).length;
  const cell = (cols) => Math.min(420, Math.max(200, width / cols / PLOT_ASPECT));
  const grid = (cols) => Math.ceil(plots / cols) * cell(cols);
  const off = (cols) => Math.abs(Math.log(width / cols / cell(cols) / PLOT_ASPECT));
  let cols = 0;
  for (let c = 1; c <= plots; c++) {
    if (columnsFor(width, grid(c), plots) === c && (!cols || off(c) < off(cols))) cols = c;
  }
  cols ||= Math.max(1, Math.min(plots, Math.floor(width / 300)));
  const line = (chars) => Math.ceil((chars * 7.5) / Math.max(1, width - 12));
  const toolbar = 34 + 20 * line(90); // the buttons, and the status line under them
  const captionH = caption ? 8 + 20 * line(caption.length) : 0;
  const fields = controls.length ? 34 * line(controls.length * 30) : 0;
  const goalH = goal ? 90 : 0;
  const need = toolbar + captionH + goalH + grid(cols) + texts * 90 + fields + 16;
  return Math.min(2000, Math.max(EMBED_MIN.height, Math.round(need / 10) * 10));
}
