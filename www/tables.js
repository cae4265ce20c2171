// Each figure's numbers as a table, in a <details> under it ("The numbers, as a table";
// the figures: main, compare, slice, loss, params, calibration, planes, sweep, split,
// difference): built with textContent from Viewer::figure_table (the sweep's:
// sweep_table, the ensemble's: split_table, the comparison's: difference_table) while it
// is open, at most every second while training, so that a screen reader's user can read
// the table through at their pace.
import { S } from './state.js';
import { E } from './engine.js';
import { second } from './compare.js';
import { renderTable } from './table-view.js';
import { pace } from './throttle.js';

const TABLE_MS = 1000;
let place; // where the user looks: x₀, or the 2-D views' target
// A table held back while training is filled when its second is over: the last state of
// a run that stops is shown.
const tables = pace(TABLE_MS, () => S.viewer && fillTables());

/** Fills the open tables (all of them at once with `force`, just opened, or when the user
 * has moved x₀ or the target). */
export function fillTables(force = false) {
  const here = S.twoD ? Array.from(S.viewer.target()).join() : S.sliceX;
  if (here !== place) {
    place = here;
    force = true;
  }
  for (const el of document.querySelectorAll('details.numbers')) {
    const which = el.dataset.figure;
    if (!el.open || !tables.due(which, { now: force, busy: S.training })) continue;
    renderTable(el.querySelector('table'), tableOf(which));
  }
}

/** Figure `which`'s numbers: the K sweep's from its report, the others from the Viewer. */
function tableOf(which) {
  if (which === 'sweep') return S.sweep.report ? E().sweep_table(S.sweep.report, S.lang) : undefined;
  if (which === 'difference') return second() ? S.viewer.difference_table(second()) : undefined;
  if (which === 'compare') return second()?.figure_table('main', Number.NaN); // B's branches
  if (which === 'split') return S.viewer.split_table(Number(document.getElementById('ens-member').value) || 1);
  return S.viewer.figure_table(which, S.sliceX ?? Number.NaN);
}

export function wireTables() {
  for (const el of document.querySelectorAll('details.numbers')) el.addEventListener('toggle', () => fillTables(true));
}
