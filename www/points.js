// Your own data: CSV pasted or uploaded, points drawn on the plot, the set kept in this
// browser (and never dropped without your say), and the refusal to share a link that
// cannot carry the points.
import { S, $ } from './state.js';
import { E } from './engine.js';
import { rebuild } from './links.js';
import { storedCsv, rememberPoints, STORE_PREV } from './kept-points.js';
import { t } from './lang.js';

/** Offers the kept set (or the one it replaced) when the experiment shows other points. */
export function offerRestore() {
  const current = S.viewer.points_csv();
  const saved = storedCsv();
  const prev = storedCsv(STORE_PREV);
  if (current && current === saved) S.ownPoints = saved;
  let csv = null;
  let which = '';
  if (current && saved && saved !== current) [csv, which] = [saved, 'saved'];
  else if (current && prev && prev !== current) [csv, which] = [prev, 'previous'];
  let count = 0;
  try {
    count = csv ? E().parse_points(csv, S.lang).count : 0;
  } catch {
    count = 0;
  }
  $('restorepts').hidden = !count;
  if (!count) return;
  $('restorepts-text').textContent = which === 'saved' ? t('Your saved set of {0} points is kept in this browser. ', count) : t('Your previous set of {0} points is kept in this browser. ', count);
  $('restorepts-use').onclick = () => usePoints(csv, which === 'saved' ? t('Your saved points') : t('Your previous points'), 'new');
}

/** Uses CSV text as the data: reports skipped lines and limits, never inserts text as HTML. */
export function usePoints(text, source, kind = 'new') {
  let p;
  try {
    p = E().parse_points(text, S.lang);
  } catch (err) {
    $('dataerror').textContent = t('{0}: not used: {1}', source, err);
    $('dataerror').classList.remove('ok');
    return false;
  }
  const msgs = [p.cols === 3 ? t('{0}: {1} points with 3 columns (x, y1, y2).', source, p.count) : t('{0}: {1} points with 2 columns (x, y).', source, p.count)];
  if (p.skipped_count) msgs.push(`${p.dropped}. ${p.skipped.join('; ')}${p.skipped_count > p.skipped.length ? '; …' : ''}`);
  $('dataerror').textContent = msgs.join(' ');
  $('dataerror').classList.toggle('ok', !p.skipped_count);
  const done = rebuild('#' + S.viewer.link_with_points(p.pts));
  rememberPoints(kind);
  offerRestore();
  return done.then(() => {
    // Few points start with settings that suit them: said where the user is looking.
    const small = S.viewer.small_data_note();
    if (small && !$('dataerror').textContent.includes(small)) $('dataerror').textContent += ' ' + small;
    return true;
  });
}

/** The point under the pointer, in data units; null outside the plot. */
function dataAt(ev) {
  const top = $('points');
  const r = top.getBoundingClientRect();
  const k = top.width / r.width;
  const [x0, y0, x1, y1] = S.plotRect;
  const [vx0, vx1, vy0, vy1] = S.viewer.view_range();
  const tx = ((ev.clientX - r.left) * k - x0) / (x1 - x0);
  const ty = ((ev.clientY - r.top) * k - y0) / (y1 - y0);
  if (tx < 0 || tx > 1 || ty < 0 || ty > 1) return null;
  return { x: vx0 + tx * (vx1 - vx0), y: vy1 - ty * (vy1 - vy0), rx: 0.03 * (vx1 - vx0), ry: 0.03 * (vy1 - vy0) };
}

/** Adds or erases a point at the pointer on the main plot (one input and one output).
 * Editing starts from every one of the user's points (the held-out ones too). */
export function editAt(ev) {
  if (!S.plotRect || !$('draw-on').checked || S.twoD) return false;
  const now = performance.now();
  if (ev.type === 'pointermove' && now - S.lastEdit < 60) return true;
  S.lastEdit = now;
  const at = dataAt(ev);
  if (!at) return true;
  let pts = S.userPoints;
  if (!pts) {
    const flat = S.viewer.edit_points();
    pts = [];
    for (let i = 0; i + 1 < flat.length; i += 2) pts.push([flat[i], flat[i + 1]]);
  }
  if ($('draw-mode').value === 'erase') {
    const before = pts.length;
    pts = pts.filter(([px, py]) => ((px - at.x) / at.rx) ** 2 + ((py - at.y) / at.ry) ** 2 > 1);
    if (pts.length === before) return true;
  } else {
    pts.push([at.x, at.y]);
  }
  // String(x) is the shortest text that reads back to the same number: nothing is rounded.
  usePoints('x,y\n' + pts.map((p) => p.join(',')).join('\n'), t('Drawn points'), 'edit');
  S.userPoints = pts;
  return true;
}

/** Copy link / embed code: refused, with the reason, when the points are too many for a link. */
export function linkTooLong() {
  const n = S.viewer.pts_length();
  if (n <= E().link_limit()) return false;
  $('dataerror').textContent = t('These points are too many for a link ({0} characters compressed; the limit is {1}): a shorter link would be a different experiment. Save them as CSV and share the file; this browser keeps them for the page.', n, E().link_limit());
  return true;
}
