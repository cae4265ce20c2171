// Each figure's numbers as a table, in a <details> under it ("The numbers"): built with
// textContent from Viewer::figure_table while it is open, at most every second while
// training, so that a screen reader's user can read the table through at their pace.
import { S } from './state.js';

const TABLE_MS = 1000;
const filledAt = {};

/** Fills the open tables (all of them at once with `force`: just opened, x₀ moved). */
export function fillTables(force = false) {
  const now = performance.now();
  for (const el of document.querySelectorAll('details.numbers')) {
    const which = el.dataset.figure;
    if (!el.open || (!force && S.training && now - (filledAt[which] ?? -Infinity) < TABLE_MS)) continue;
    filledAt[which] = now;
    render(el.querySelector('table'), S.viewer.figure_table(which, S.sliceX ?? Number.NaN));
  }
}

function cell(tag, text, scope) {
  const c = document.createElement(tag);
  if (scope) c.scope = scope;
  c.textContent = text;
  return c;
}

function render(table, t) {
  table.replaceChildren();
  if (!t) return;
  table.createCaption().textContent = t.caption;
  table.createTHead().insertRow().append(...t.columns.map((c) => cell('th', c, 'col')));
  const body = table.createTBody();
  for (const row of t.rows) {
    body.insertRow().append(...row.map((text, i) => (i === 0 ? cell('th', text, 'row') : cell('td', text))));
  }
}

export function wireTables() {
  for (const el of document.querySelectorAll('details.numbers')) el.addEventListener('toggle', () => fillTables(true));
}
