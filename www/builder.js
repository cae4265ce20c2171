// The embed builder ("Copy embed code"): checkboxes for the panels and the controls, a
// caption, the size, a live preview of the iframe, and the snippet. The engine writes the
// link and the HTML (Viewer::embed_snippet) and checks every value as a link's; this
// module only reads the form. Names and captions are set with textContent.
import { S, $ } from './state.js';
import { E } from './engine.js';

let previewTimer = 0;

function checkbox(name, checked, group) {
  const label = document.createElement('label');
  const box = document.createElement('input');
  box.type = 'checkbox';
  box.value = name;
  box.checked = checked;
  box.dataset.group = group;
  box.addEventListener('change', update);
  label.append(box, ` ${name}`);
  return label;
}

/** The boxes, ticked as the current link shapes the embed. */
function fill() {
  const panels = new Set(S.viewer.panels());
  const controls = new Set(S.viewer.controls());
  $('builder-panels').replaceChildren(...E().embed_panels().map((p) => checkbox(p, panels.has(p), 'panel')));
  $('builder-controls').replaceChildren(...E().embed_controls().map((k) => checkbox(k, controls.has(k), 'control')));
  $('builder-caption').value = S.viewer.caption();
}

const ticked = (group) => Array.from(document.querySelectorAll(`#builder input[data-group="${group}"]:checked`), (b) => b.value);

/** The snippet for the form as it is; the preview follows half a second later. */
function update() {
  const page = location.href.split('#')[0];
  const s = S.viewer.embed_snippet(page, ticked('panel'), ticked('control'), $('builder-caption').value,
    Number($('builder-w').value), Number($('builder-h').value));
  $('builder-code').value = s.html;
  const issues = $('builder-issues');
  issues.replaceChildren(...s.issues.map((msg) => {
    const li = document.createElement('li');
    li.textContent = msg;
    return li;
  }));
  clearTimeout(previewTimer);
  previewTimer = setTimeout(() => preview(s.src), 500);
  return s;
}

/** The preview shows `src`: a new iframe each time (a new document, as a course page
 * loading the snippet would have; a change of hash alone would not reshape the embed). */
function preview(src) {
  let f = $('builder-frame');
  if (f.dataset.src !== src) {
    const fresh = f.cloneNode(false);
    fresh.dataset.src = src;
    fresh.src = src;
    f.replaceWith(fresh);
    f = fresh;
  }
  f.style.width = `${Math.min(Number($('builder-w').value) || 640, 2000)}px`;
  f.style.height = `${Math.min(Number($('builder-h').value) || 400, 2000)}px`;
}

export function openBuilder() {
  fill();
  const s = update();
  clearTimeout(previewTimer);
  preview(s.src);
  $('builder').showModal();
}

/** The current snippet (for window.mdn and the copy button). */
export const snippet = () => $('builder-code').value;

export function wireBuilder(copyText) {
  for (const id of ['builder-caption', 'builder-w', 'builder-h']) $(id).addEventListener('input', update);
  // On leaving a size field, it shows the size used (clamped to 240…2000 pixels).
  for (const [id, key] of [['builder-w', 'width'], ['builder-h', 'height']]) {
    $(id).addEventListener('change', () => { $(id).value = String(update()[key]); });
  }
  $('builder-copy').addEventListener('click', () => copyText($('builder-copy'), update().html, 'Copy embed code'));
  $('builder-close').addEventListener('click', () => $('builder').close());
  $('builder').addEventListener('close', () => {
    clearTimeout(previewTimer);
    const f = $('builder-frame');
    f.removeAttribute('src'); // the preview stops training
    delete f.dataset.src;
  });
}
