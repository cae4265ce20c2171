// The embed builder ("Copy embed code"): checkboxes for the panels and the controls, a
// caption, the size, a live preview of the iframe, and the snippet. The engine writes the
// link and the HTML (Viewer::embed_snippet) and checks every value as a link's; this
// module only reads the form. Names and captions are set with textContent.
import { S, $ } from './state.js';
import { E } from './engine.js';
import { embedHeight } from './embed.js';
import { t } from './lang.js';

let previewTimer = 0;

function checkbox(name, checked, group) {
  const label = document.createElement('label');
  const box = document.createElement('input');
  box.type = 'checkbox';
  box.value = name;
  box.checked = checked;
  box.dataset.group = group;
  box.addEventListener('change', choiceChanged);
  label.append(box, ` ${name}`);
  return label;
}

/** A panel's row: its box, and buttons that move it up or down the order. */
function panelRow(name, checked) {
  const row = document.createElement('div');
  row.className = 'builder-panel';
  const move = (dir, text) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = text;
    b.setAttribute('aria-label', dir === 'up' ? t('Move {0} up', name) : t('Move {0} down', name));
    b.addEventListener('click', () => {
      if (dir === 'up' && row.previousElementSibling) row.previousElementSibling.before(row);
      if (dir === 'down' && row.nextElementSibling) row.nextElementSibling.after(row);
      choiceChanged();
    });
    return b;
  };
  row.append(checkbox(name, checked, 'panel'), move('up', '↑'), move('down', '↓'));
  return row;
}

/** The boxes, ticked as the current link shapes the embed; the chosen panels first, in
 * the link's order. */
function fill() {
  const panels = S.viewer.panels();
  const controls = new Set(S.viewer.controls());
  const all = E().embed_panels();
  const order = panels.concat(all.filter((p) => !panels.includes(p)));
  $('builder-panels').replaceChildren(...order.map((p) => panelRow(p, panels.includes(p))));
  $('builder-controls').replaceChildren(...E().embed_controls().map((k) => checkbox(k, controls.has(k), 'control')));
  $('builder-caption').value = S.viewer.caption();
  $('builder-goal').value = S.viewer.goal();
}

const ticked = (group) => Array.from(document.querySelectorAll(`#builder input[data-group="${group}"]:checked`), (b) => b.value);

/** A new choice of panels, controls, caption or width: the height it needs, then the
 * snippet. */
function choiceChanged() {
  const need = embedHeight(Number($('builder-w').value) || 640, ticked('panel'), ticked('control'), $('builder-caption').value, $('builder-goal').value.trim());
  $('builder-h').value = String(need);
  $('builder-need').textContent = t('This choice needs about {0} px of height at this width; the height is set to it.', need);
  return update();
}

/** The snippet for the form as it is; the preview follows half a second later. */
function update() {
  const page = location.href.split('#')[0];
  const s = S.viewer.embed_snippet(page, ticked('panel'), ticked('control'), $('builder-caption').value, $('builder-goal').value,
    Number($('builder-w').value), Number($('builder-h').value), $('builder-tour').checked);
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
  // A clean embed, unless the lecturer asks for the tour step's box.
  $('builder-tour').checked = false;
  $('builder-tour-row').hidden = !S.viewer.tour();
  const s = choiceChanged();
  clearTimeout(previewTimer);
  preview(s.src);
  $('builder').showModal();
}

/** The current snippet (for window.mdn and the copy button). */
export const snippet = () => $('builder-code').value;

export function wireBuilder(copyText) {
  for (const id of ['builder-caption', 'builder-w', 'builder-goal']) $(id).addEventListener('input', choiceChanged);
  $('builder-h').addEventListener('input', update);
  $('builder-tour').addEventListener('change', update);
  // On leaving a size field, it shows the size used (clamped to 240…2000 pixels).
  for (const [id, key] of [['builder-w', 'width'], ['builder-h', 'height']]) {
    $(id).addEventListener('change', () => { $(id).value = String(update()[key]); });
  }
  $('builder-copy').addEventListener('click', () => copyText($('builder-copy'), update().html, t('Copy embed code')));
  $('builder-close').addEventListener('click', () => $('builder').close());
  $('builder').addEventListener('close', () => {
    clearTimeout(previewTimer);
    const f = $('builder-frame');
    f.removeAttribute('src'); // the preview stops training
    delete f.dataset.src;
  });
}
