// The page: startup and wiring. Each concern has its module: state.js (the one state
// object), engine.js and recovery.js (the wasm engine, and a fresh one after a trap),
// worker-client.js and protocol.js (the training worker, whose code is in workers/),
// events.js (what modules announce; wired here, in wireEvents), links.js (share links),
// controls.js (form, lab, play, sampling, status), points.js and kept-points.js (your own
// data), sweep.js and sweep-pool.js (choosing K), draw.js (drawing and the frame
// scheduler), pointer.js (the plots under the pointer), embed.js (the page as the link
// shapes it), visibility.js (embeds out of view pause), api.js (window.mdn), theme.js
// (light or dark), tour.js (the guided tour), builder.js (the embed builder), host.js
// (messages from a host page), figures.js (PNG and SVG files), ensemble.js (an ensemble's
// other members on the pool, and the panel of the two uncertainties), compare.js (a second
// experiment beside the first), goal.js (an exercise's goal), words.js and tables.js
// (each figure in words and as a table; throttle.js keeps them to a reader's pace),
// offline.js (the service worker: use without a network), lang.js (the page in the
// reader's language: t() for every text a script writes). The handwriting page is in
// hand/. All maths, drawing and link parsing live in Rust (src/web/); user text is only
// ever set with textContent.

import { S, $, redraw } from './state.js';
import { E, loadEngine } from './engine.js';
import { MSG } from './protocol.js';
import { EVENT, on } from './events.js';
import { startWorker, ask } from './worker-client.js';
import { rebuild, onHashChange, importModel, showIssues } from './links.js';
import {
  buildForm, buildLab, setPlaying, step, applySampling, applyIntervals, applyTruth,
  syncForm, showViews, showPlaying, showSampling, updateStatus, showSpeed, applySpeed,
} from './controls.js';
import { usePoints, linkTooLong, offerRestore } from './points.js';
import { startSweep, cancelSweep, drawSweep, interruptSweep } from './sweep.js';
import { drawFrame, drawAll, calibrateSome } from './draw.js';
import { wirePointer } from './pointer.js';
import { wireTables } from './tables.js';
import { installApi } from './api.js';
import { watchVisibility, playWhenSeen } from './visibility.js';
import { recoverEngine, recoveringNow, watchForTraps } from './recovery.js';
import { download, saveFigure, exportCode, fillFrameworks, interruptExport } from './figures.js';
import { openBuilder, wireBuilder } from './builder.js';
import { startTour, wireTour, showTour, checkTour } from './tour.js';
import { watchTheme, applyTheme } from './theme.js';
import { listenToHost, announceReady, hostTick } from './host.js';
import { applyShape } from './embed.js';
import { syncEnsemble, stopMembers, trainMembers } from './ensemble.js';
import { syncCompare, follow } from './compare.js';
import { showGoal, checkGoal } from './goal.js';
import { workOffline } from './offline.js';
import { translatePage, t } from './lang.js';

/** Who reacts to what the modules announce (events.js), in order. */
function wireEvents() {
  on(EVENT.EXPERIMENT, ({ imported }) => {
    if (!imported) offerRestore();
    showViews();
    syncCompare();
    showSampling();
    syncForm();
    applyShape();
    applyTheme();
    showTour();
    showGoal();
    showPlaying();
    showSpeed();
    syncEnsemble();
  });
  on(EVENT.VIEW, () => {
    showSampling();
    showSpeed();
    applyTheme();
    showTour();
  });
  on(EVENT.SNAPSHOT, () => {
    follow();
    showPlaying();
    updateStatus();
    checkTour();
    checkGoal();
    hostTick();
  });
  on(EVENT.SECOND_SNAPSHOT, updateStatus);
  on(EVENT.SENDING, (msg) => {
    interruptSweep(msg);
    if (msg.type === MSG.SPEC || msg.type === MSG.IMPORT) stopMembers();
    interruptExport(msg);
  });
  on(EVENT.WORKER_ERROR, ({ message, fatal }) => {
    if (!fatal) return showIssues([t('Training stopped: {0}', message)]);
    // The new worker takes the same experiment on.
    S.worker.restarting = rebuild('#' + S.viewer.link(false), { keepIssues: true }).then(() => {
      showIssues([t('The training engine stopped ({0}) and was restarted; training starts again from step 0.', message)]);
    });
    return undefined;
  });
}

function frame() {
  try {
    if (S.viewer && !recoveringNow() && S.seen) {
      const t0 = performance.now();
      drawFrame();
      calibrateSome(performance.now() - t0);
    }
  } catch (err) {
    if (!(err instanceof WebAssembly.RuntimeError)) throw err;
    recoverEngine(err);
  } finally {
    requestAnimationFrame(frame);
  }
}

/** A file chosen in `input`, read as text by `use` (refused with `tooLarge` past `max` bytes). */
function onFile(input, max, tooLarge, use) {
  $(input).addEventListener('change', async (ev) => {
    const file = ev.target.files?.[0];
    ev.target.value = '';
    if (!file) return;
    if (file.size > max) return tooLarge(file);
    use(await file.text(), file.name);
  });
}

async function copyText(button, text, label) {
  try {
    await navigator.clipboard.writeText(text);
    button.textContent = t('Copied');
  } catch {
    button.textContent = t('Copy failed');
    window.prompt(t('Copy this:'), text);
  }
  setTimeout(() => (button.textContent = label), 1500);
}

function wireToolbar() {
  $('play').addEventListener('click', () => setPlaying(!S.playing));
  $('stepbtn').addEventListener('click', () => step(1));
  $('reset').addEventListener('click', () => rebuild('#' + S.viewer.link(true)));
  $('copy').addEventListener('click', () => linkTooLong() || copyText($('copy'), location.href, t('Copy link')));
  $('embedcode').addEventListener('click', () => linkTooLong() || openBuilder());
  $('tourbtn').addEventListener('click', startTour);
  wireTour();
  wireTables();
  for (const b of document.querySelectorAll('[data-save]')) b.addEventListener('click', () => saveFigure(b.dataset.save, b.dataset.as, b));
  wireBuilder(copyText);
  for (const id of ['samp-n', 'samp-tpi', 'samp-ts', 'samp-mode']) $(id).addEventListener('input', applySampling);
  $('intervals-on').addEventListener('change', applyIntervals);
  $('truth-on').addEventListener('change', applyTruth);
  $('speed').addEventListener('change', applySpeed);
  $('sweep-run').addEventListener('click', () => startSweep($('sweep-k').value, $('sweep-seeds').value));
  $('sweep-cancel').addEventListener('click', cancelSweep);
  $('ens-train').addEventListener('click', trainMembers);
  $('ens-member').addEventListener('change', () => redraw({ panels: true }));
}

function wireFiles() {
  $('usecsv').addEventListener('click', () => usePoints($('csvtext').value, t('Pasted text')));
  onFile('loadcsv', 2 * 1024 * 1024, (f) => {
    $('dataerror').textContent = t('{0}: not used: larger than 2 MB (at most 20000 points are accepted).', f.name);
  }, (text, name) => usePoints(text, name));
  onFile('loadmodel', 20 * 1024 * 1024, (f) => {
    $('fileerror').textContent = t('Not loaded: {0} is larger than 20 MB.', f.name);
  }, (text) => importModel(text));
  $('savecsvpts').addEventListener('click', () => download('mdn-points.csv', 'text/csv', S.viewer.data_csv()));
  $('savepng').addEventListener('click', () => saveFigure(S.twoD ? 'planes' : 'main', 'png'));
  $('savesvg').addEventListener('click', () => saveFigure(S.twoD ? 'planes' : 'main', 'svg'));
  $('savemodel').addEventListener('click', () => download('mdn-model.json', 'application/json', S.viewer.model_json()));
  $('savecsv').addEventListener('click', () => download('mdn-loss.csv', 'text/csv', S.viewer.history_csv()));
  fillFrameworks(E().export_frameworks());
  $('exportcode').addEventListener('click', () => {
    setPlaying(false);
    exportCode(ask);
  });
}

async function main() {
  // The per-component list is open where there is room; on a phone it would push the plot down.
  $('diag').open = window.innerWidth >= 820;
  listenToHost(); // from the first moment: commands sent while the engine loads wait
  wireEvents();
  await loadEngine();
  S.lang = E().page_lang(location.hash, [...navigator.languages]);
  translatePage(S.lang, E().lang_texts(S.lang));
  if (S.lang !== 'en') $('to-hand').hash = `lang=${S.lang}`; // the other page in the same language
  watchForTraps();
  startWorker();
  $('version').textContent = E().version();
  S.keys = E().spec_keys(S.lang);
  buildForm();
  buildLab();
  const first = rebuild(location.hash);
  // An embed counts as unseen until its observer says otherwise (from now on: commands of
  // a host page carried out below already know it).
  const visibility = watchVisibility();
  wireToolbar();
  wireFiles();
  wirePointer();
  window.addEventListener('resize', () => {
    S.calDue = true;
    redraw({ panels: true });
    drawSweep();
  });
  window.addEventListener('hashchange', onHashChange);
  watchTheme(drawSweep);
  installApi(first);
  await first;
  if (S.viewer.play()) playWhenSeen(); // the link's wish first, then what a host sent
  announceReady();
  workOffline($('update'));
  // Warm up: WebAssembly code starts in a quick baseline compiler and is optimised once it
  // has run a few times; drawing a few times now, one task each, keeps those slow first
  // frames out of the training that follows.
  for (let i = 0; i < 4; i++) {
    await new Promise((r) => setTimeout(r, 0));
    drawAll();
  }
  await visibility;
  requestAnimationFrame(frame);
}

main().catch((e) => {
  $('status').textContent = t('The engine failed to load: {0}', e);
  $('status').dataset.ready = 'error';
});
