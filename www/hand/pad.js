// The handwriting page's drawing pad: pointer strokes in font units (HandViewer::pad_point),
// drawn live as plain lines while the pointer is down, handed to the viewer on release.
import { H } from './state.js';

function canvasPoint(pad, ev) {
  const r = pad.getBoundingClientRect();
  const sx = pad.width / r.width;
  const sy = pad.height / r.height;
  return [(ev.clientX - r.left) * sx, (ev.clientY - r.top) * sy];
}

/** Wires the pad: `done(note)` runs after each stroke, with what the page should say
 * about it ('' when it was kept). */
export function wirePad(pad, done) {
  let stroke = null;
  let last = null;
  pad.addEventListener('pointerdown', (ev) => {
    if (!H.viewer) return;
    pad.setPointerCapture(ev.pointerId);
    stroke = [];
    last = canvasPoint(pad, ev);
    stroke.push(...H.viewer.pad_point(last[0], last[1], pad.width, pad.height));
    ev.preventDefault();
  });
  pad.addEventListener('pointermove', (ev) => {
    if (!stroke) return;
    const p = canvasPoint(pad, ev);
    const ctx = pad.getContext('2d');
    ctx.strokeStyle = H.dark ? '#e4e6eb' : '#555';
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.moveTo(last[0], last[1]);
    ctx.lineTo(p[0], p[1]);
    ctx.stroke();
    last = p;
    stroke.push(...H.viewer.pad_point(p[0], p[1], pad.width, pad.height));
  });
  const end = () => {
    if (!stroke) return;
    const note = stroke.length >= 4 ? H.viewer.add_stroke(new Float64Array(stroke)) : '';
    stroke = null;
    done(note);
  };
  pad.addEventListener('pointerup', end);
  pad.addEventListener('pointercancel', end);
}
