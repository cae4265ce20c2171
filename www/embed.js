// The page as the link shapes it: the caption, locked fields, and in an embed the panels
// it shows, in order (`panels=`), and the spec fields a student may change (`controls=`).
// The link is read by the engine; this module only applies it. Captions are plain text.
import { S, $ } from './state.js';

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

/** In a shaped embed: the chosen panels moved into the embed's column, in the link's order,
 * then the chosen fields. */
function shape(v) {
  const column = $('embed-shape');
  for (const el of document.querySelectorAll('[data-panel]')) el.classList.remove('chosen');
  column.appendChild($('caption'));
  column.appendChild($('tour'));
  const dims = S.twoD ? '2' : '1';
  for (const name of v.panels()) {
    for (const el of document.querySelectorAll(`[data-panel="${name}"]`)) {
      // A panel for the other kind of data (the slice for the arm, a plane for a curve)
      // has nothing to show: left out.
      if (el.dataset.dims && el.dataset.dims !== dims) continue;
      el.classList.add('chosen');
      // Panels inside a chosen one (the two views inside the main plot) come with it.
      for (const inner of el.querySelectorAll('[data-panel]')) inner.classList.add('chosen');
      column.appendChild(el);
    }
  }
  const shown = new Set(v.controls());
  for (const key of S.keys) {
    const f = $('spec-' + key.name);
    if (f) f.closest('label').hidden = !shown.has(key.name);
  }
  if (shown.size) column.appendChild($('spec'));
}

export function applyShape() {
  const v = S.viewer;
  applyLocksAndCaption(v);
  // In an embed the toolbar's own controls, too, appear only where `controls=` names them.
  const shown = new Set(v.controls());
  document.querySelector('.intervals-toggle').hidden = v.embed() && !shown.has('intervals');
  document.querySelector('label.speed').hidden = v.embed() && !shown.has('speed');
  if (!v.embed()) return;
  document.body.classList.add('embed');
  document.body.classList.toggle('embed-shaped', v.shaped());
  if (v.shaped()) shape(v);
}
