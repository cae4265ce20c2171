// Figures for slides and handouts: every plot as PNG (its canvases) or SVG (the engine
// draws it again with plotters' SVG backend: Viewer::svg, sweep_svg).
import { S, $ } from './state.js';
import { E } from './engine.js';
import { runPool } from './sweep-pool.js';
import { MSG } from './protocol.js';
import { t } from './lang.js';

export function download(name, type, data) {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The main plot's layers (or the two 2-D views) composed into one canvas. */
export function composedPlot() {
  const out = document.createElement('canvas');
  const ctx = out.getContext('2d');
  const [left, right] = S.twoD ? [['in-static', 'in-live'], ['out-heat', 'out-static']] : [['heat', 'points', 'curves'], []];
  const first = $(left[0]);
  const second = right.length ? $(right[0]) : null;
  out.width = first.width + (second ? second.width : 0);
  out.height = Math.max(first.height, second ? second.height : 0);
  ctx.fillStyle = getComputedStyle(document.body).backgroundColor;
  ctx.fillRect(0, 0, out.width, out.height);
  for (const id of left) ctx.drawImage($(id), 0, 0);
  for (const id of right) ctx.drawImage($(id), first.width, 0);
  return out;
}

const CANVAS = { slice: 'slice', params: 'components', loss: 'loss', sweep: 'sweep-plot', calibration: 'cal-plot' };

/** The SVG text of a plot, about the size it has on screen (at least 600 wide). */
export function svgOf(which) {
  const el = which === 'main' ? $('stack') : which === 'planes' ? document.querySelector('.planes') : $(CANVAS[which]);
  const scale = Math.max(1, 600 / Math.max(1, el.clientWidth));
  const w = Math.round(el.clientWidth * scale);
  const h = Math.round((which === 'planes' ? $('instack').clientHeight : el.clientHeight) * scale);
  if (which === 'sweep') return E().sweep_svg(S.sweep.report, w, h, S.dark, S.lang);
  return S.viewer.svg(which, w, h, S.sliceX ?? NaN);
}

/** Saves plot `which` as `png` or `svg`. */
export function saveFigure(which, as, button) {
  const name = `mdn-${which === 'main' ? 'playground' : which}.${as}`;
  if (as === 'svg') {
    let svg;
    try {
      svg = svgOf(which);
    } catch (err) {
      // Nothing to draw yet (the calibration before it is scored): said beside the button.
      return saySaveProblem(button, String(err?.message ?? err));
    }
    return download(name, 'image/svg+xml', svg);
  }
  const canvas = which === 'main' || which === 'planes' ? composedPlot() : $(CANVAS[which]);
  canvas.toBlob((b) => download(name, 'image/png', b));
}

/** A figure that cannot be saved yet: the reason beside its buttons (text only). */
function saySaveProblem(button, message) {
  const where = button?.closest('.save');
  if (!where) return;
  let note = where.querySelector('.save-note');
  if (!note) {
    note = document.createElement('span');
    note.className = 'save-note';
    note.setAttribute('role', 'status');
    where.append(note);
  }
  note.textContent = message;
}

/** The export's framework choices, from the engine's list ([name, title] pairs). */
export function fillFrameworks(pairs) {
  const select = $('exportto');
  for (let i = 0; i + 1 < pairs.length; i += 2) {
    select.append(new Option(pairs[i + 1], pairs[i]));
  }
}

/** The export under way: its band's pool, stopped when the experiment changes. */
let exporting = null;

/** Messages to the training worker that end an export under way: its band and its
 * weights must be of one experiment. */
export function interruptExport(m) {
  if (exporting && (m.type === MSG.SPEC || m.type === MSG.IMPORT)) {
    exporting.stop(t('the experiment changed while its band trained; nothing was saved: export again'));
  }
}

/** The retrain band's runs (the spec over 5 seeds) on the pool of sweep workers; their
 * validation NLLs, in the runs' order. Throws the reason when the spec cannot be exported. */
async function bandOnPool(note, spec) {
  const links = E().export_band_links('#' + spec);
  const vals = new Float64Array(links.length).fill(NaN);
  const pool = runPool(links, {
    onRow: (i, row) => { vals[i] = JSON.parse(row).val_nll ?? NaN; },
    onProgress: (f) => {
      const done = Math.round((100 * f.reduce((a, b) => a + b, 0)) / f.length);
      note.textContent = t('Preparing the export: training this spec over {0} seeds for the retrain band ({1}%)…', links.length, done);
    },
  });
  exporting = pool;
  try {
    await pool.done;
  } finally {
    if (exporting === pool) exporting = null;
  }
  return vals;
}

/** The experiment as a zipped project in the chosen framework: the band's runs on the
 * pool of sweep workers (training pauses), then the files from the training worker, which
 * refuses them if it holds another experiment by then. */
export async function exportCode(ask) {
  const note = $('exportnote');
  const to = $('exportto').value;
  const name = `mdn-${to}.zip`;
  const spec = S.viewer.spec();
  note.textContent = t('Preparing the export: training this spec over {0} seeds for the retrain band…', 5);
  try {
    await ask({ type: MSG.PLAY, on: false });
    const band = await bandOnPool(note, spec);
    const bytes = await ask({ type: MSG.EXPORT, to, band, spec });
    download(name, 'application/zip', bytes);
    note.textContent = t('Exported {0} ({1} KB): unzip it, then python experiment.py check (see its README).', name, Math.round(bytes.length / 1024));
  } catch (err) {
    note.textContent = t('Not exported: {0}', err.message ?? err);
  }
}
