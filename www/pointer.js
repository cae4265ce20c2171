// The plots under the pointer and the keyboard: the slice x0 on the main plot and on a
// second experiment's (move, tap, ← →), drawing points on it, and the 2-D views' target
// on the input plane (click, drag, arrow keys).
import { S, $, redraw } from './state.js';
import { editAt } from './points.js';
import { drawPanels, plotRectB } from './draw.js';
import { writeHash } from './links.js';

/** Sets the slice's x0 from a pointer position over the main plot (or over the second
 * experiment's, which shares it: its canvas `top` and plot area `rect`). */
function pointAt(ev, top = $('points'), rect = S.plotRect) {
  if (!rect) return;
  const r = top.getBoundingClientRect();
  const px = (ev.clientX - r.left) * (top.width / r.width);
  const [x0, , x1] = rect;
  const [vx0, vx1] = S.viewer.view_range();
  const t = Math.min(1, Math.max(0, (px - x0) / (x1 - x0)));
  S.sliceX = vx0 + t * (vx1 - vx0);
  drawPanels();
}

function moveSlice(ev) {
  if (ev.key !== 'ArrowLeft' && ev.key !== 'ArrowRight') return;
  ev.preventDefault();
  const [vx0, vx1] = S.viewer.view_range();
  const step = (vx1 - vx0) / 50;
  S.sliceX = Math.min(vx1, Math.max(vx0, (S.sliceX ?? 0.5) + (ev.key === 'ArrowLeft' ? -step : step)));
  drawPanels();
}

/** Moves the 2-D views' target; the link and the views follow. */
export function setTarget(t) {
  const at = Array.from(S.viewer.set_target(Float64Array.from(t, Number)));
  writeHash();
  redraw({ panels: true });
  return at;
}

/** The target at the pointer's position on the input plane. */
function targetAt(ev) {
  if (!S.inRect) return;
  const c = $('in-live');
  const r = c.getBoundingClientRect();
  const k = c.width / r.width;
  const [x0, y0, x1, y1, vx0, vx1, vy0, vy1] = S.inRect;
  const x = vx0 + (((ev.clientX - r.left) * k - x0) / (x1 - x0)) * (vx1 - vx0);
  const y = vy1 - (((ev.clientY - r.top) * k - y0) / (y1 - y0)) * (vy1 - vy0);
  setTarget(S.viewer.dims()[0] === 2 ? [x, y] : [x]);
}

function moveTarget(ev) {
  const moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };
  const m = moves[ev.key];
  if (!m || !S.inRect) return;
  ev.preventDefault();
  const [, , , , vx0, vx1, vy0, vy1] = S.inRect;
  const t = Array.from(S.viewer.target());
  t[0] += (m[0] * (vx1 - vx0)) / 50;
  if (t.length > 1) t[1] += (m[1] * (vy1 - vy0)) / 50;
  setTarget(t);
}

export function wirePointer() {
  const stack = $('stack');
  stack.addEventListener('pointermove', (ev) => {
    if (ev.buttons & 1 && $('draw-on').checked) editAt(ev);
    else pointAt(ev);
  });
  stack.addEventListener('pointerdown', (ev) => {
    if (!$('draw-on').checked) return pointAt(ev);
    stack.setPointerCapture(ev.pointerId);
    editAt(ev);
  });
  stack.addEventListener('keydown', moveSlice);
  const pointB = (ev) => pointAt(ev, $('points-b'), plotRectB());
  $('stack-b').addEventListener('pointermove', pointB);
  $('stack-b').addEventListener('pointerdown', pointB);
  const inputs = $('instack');
  inputs.addEventListener('pointerdown', (ev) => {
    inputs.setPointerCapture(ev.pointerId);
    targetAt(ev);
  });
  inputs.addEventListener('pointermove', (ev) => {
    if (ev.buttons & 1) targetAt(ev);
  });
  inputs.addEventListener('keydown', moveTarget);
}
