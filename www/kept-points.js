// The user's own points kept in this browser: the set in use and the one it replaced.
import { S, $ } from './state.js';
import { t } from './lang.js';

const STORE = 'mdn-playground-points'; // the user's own set (CSV)
export const STORE_PREV = 'mdn-playground-points-previous'; // the set it replaced

export function storedCsv(key = STORE) {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

/** The points kept in this browser (CSV), if any: the engine reads them when a link
 * asks for data=custom without points of its own. */
export function storedPoints() {
  return storedCsv() ?? undefined;
}

/** Keeps the user's own points in this browser. A different set kept before is never
 * dropped silently: a new set (`kind` 'new': pasted, uploaded) or an edit of points that
 * came from a link moves it to the previous slot, offered back by `offerRestore`. */
export function rememberPoints(kind) {
  const csv = S.viewer.points_csv();
  if (!csv) return;
  try {
    const old = localStorage.getItem(STORE);
    if (old && old !== csv && (kind === 'new' || old !== S.ownPoints)) localStorage.setItem(STORE_PREV, old);
    localStorage.setItem(STORE, csv);
    S.ownPoints = csv;
  } catch {
    $('dataerror').textContent = t('This browser did not let the page keep the points (storage full or blocked); save them as CSV.');
  }
}
