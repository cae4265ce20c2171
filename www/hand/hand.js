// The handwriting page: startup and wiring. The run trains in hand-worker.js; the page
// holds a HandViewer (src/web/strokes.rs) that reads the link, keeps the drawn words,
// writes with the latest model and draws. User text is only ever set with textContent.
import { H, $ } from './state.js';
import { E, loadEngine, wasmModule } from '../engine.js';
import { MSG } from '../protocol.js';
import { wirePad } from './pad.js';
import { startWriter, afterSnapshot, writeWithYours, shippedModel, ownLink, textDone, textLine } from './write.js';
import { sizeCanvas } from '../canvas.js';
import { workOffline } from '../offline.js';
import { renderTable } from '../table-view.js';
import { pace } from '../throttle.js';
import { translatePage, t, decimal } from '../lang.js';

const STORE = 'mdn-hand-drawn';
const STORE_SAID = 'mdn-hand-said';

function draw() {
  H.due = false;
  if (!H.viewer) return;
  for (const c of [$('hw-pad'), $('hw-loss'), $('hw-compare')]) sizeCanvas(c);
  H.viewer.dark = H.dark;
  H.viewer.ellipses = $('hw-ellipses').checked;
  H.viewer.draw_pad($('hw-pad'), Number($('hw-bias').value));
  H.viewer.draw_compared($('hw-compare'));
  H.viewer.draw_losses($('hw-loss'));
  const [compared, losses] = H.viewer.captions();
  $('hw-compare-caption').textContent = compared;
  $('hw-loss-caption').textContent = losses;
  $('hw-written').textContent = H.viewer.written_note();
  $('hw-status').textContent = H.viewer.status();
  $('hw-words').textContent = t('{0} drawn words kept, {1} of them with what they say.', H.viewer.word_count(), H.viewer.said_count());
  fillLossTable();
}

const redraw = () => { if (!H.due) { H.due = true; requestAnimationFrame(draw); } };

const TABLE_MS = 1000; // the loss table at most every second (a reader's pace)
const table = pace(TABLE_MS, () => fillLossTable());

/** The loss curves' numbers, in their <details> while it is open; a fill held back is
 * done when its second is over, so that the last reading of a run is always there. */
function fillLossTable(force = false) {
  const el = $('hw-loss-numbers');
  if (!el.open || !H.viewer || !table.due('loss', { now: force })) return;
  renderTable(el.querySelector('table'), H.viewer.loss_table());
}

/** The browser's kept words; storage can be refused (an embed in a page of another
 * origin, private modes): then nothing is kept there, and the link still carries them. */
function stored(key = STORE) {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function store(text, key = STORE) {
  try {
    localStorage.setItem(key, text);
  } catch {
    // Refused: the link carries the words.
  }
}

/** A link with the browser's kept words when it asks for drawn ones but has none. */
function withStored(hash) {
  const kept = stored();
  const said = stored(STORE_SAID);
  if (!/(^|[#&])data=drawn(&|$)/.test(hash) || /(^|[#&])drawn=/.test(hash) || !kept) return hash;
  return `${hash}&drawn=${kept}${said && !/(^|[#&])said=/.test(hash) ? `&said=${encodeURIComponent(said)}` : ''}`;
}

function rebuild(hash) {
  H.viewer?.free();
  H.viewer = new (E().HandViewer)(withStored(hash));
  H.viewer.set_lang(H.lang);
  const link = H.viewer.link();
  history.replaceState(null, '', '#' + link);
  document.body.classList.toggle('embed', H.viewer.embed());
  const issues = $('issues');
  issues.replaceChildren(...H.viewer.issues().map((t) => Object.assign(document.createElement('li'), { textContent: t })));
  H.gen++;
  H.playing = false;
  H.worker.postMessage({ type: MSG.HAND_SPEC, link: '#' + link, gen: H.gen });
  buildForm();
  showPlaying();
  redraw();
}

function buildForm() {
  const form = $('hw-spec');
  form.replaceChildren();
  for (const [name, value, accepts, meaning] of H.viewer.form()) {
    const label = Object.assign(document.createElement('label'), { title: `${meaning} (${accepts})` });
    label.append(Object.assign(document.createElement('span'), { textContent: name }));
    const choices = accepts.includes(' | ') ? accepts.split(' | ') : null;
    const field = document.createElement(choices ? 'select' : 'input');
    for (const c of choices ?? []) field.append(Object.assign(document.createElement('option'), { value: c, textContent: c }));
    Object.assign(field, { id: `hw-spec-${name}`, value });
    field.addEventListener('change', () => { location.hash = H.viewer.link_with(name, field.value); });
    label.append(field);
    form.append(label);
  }
}

function showPlaying() {
  $('hw-play').textContent = H.playing ? t('❚❚ Pause') : t('▶ Train');
  $('hw-play').setAttribute('aria-pressed', String(H.playing));
}

function onSnapshot(m) {
  if (m.gen !== H.gen) return;
  H.viewer.apply(m.snap);
  H.step = m.snap.step;
  H.playing = m.playing;
  showPlaying();
  H.waiters = H.waiters.filter(([n, resolve]) => (H.step >= n && !m.playing && !m.validating ? resolve(m.snap) : true));
  rewrite(!m.playing && !m.validating);
  afterSnapshot(!m.playing && !m.validating);
  redraw();
}

/** What is written on the pad is written again by the newer model, with the same draws,
 * shown at once: every twentieth of the planned steps while training runs, and whenever
 * it stops (so that what is shown once it stops is the latest model's, at any speed). */
function rewrite(stopped) {
  const at = H.viewer.written_step();
  if (at === undefined || H.writing || H.step <= at) return;
  if (!stopped && H.step < at + Math.max(1, H.viewer.planned_steps() / 20)) return;
  writeWith(H.lastSeed);
  H.viewer.reveal(1e9);
}

function startWorker() {
  H.worker = new Worker(new URL('../workers/hand-worker.js', import.meta.url), { type: 'module' });
  H.worker.postMessage({ type: MSG.MODULE, module: wasmModule() });
  H.worker.onmessage = (e) => {
    if (e.data.type === MSG.HAND_SNAPSHOT) onSnapshot(e.data);
    else if (e.data.type === MSG.ERROR) $('hw-status').textContent = t('Training failed: {0}', e.data.message);
  };
}

/** Reveals the model's writing a few moves a frame: the pen moves, its prediction at the tip. */
function reveal() {
  const all = H.viewer.reveal(H.shown);
  redraw();
  H.shown += 2;
  if (!all) requestAnimationFrame(reveal);
  else H.writing = false;
}

function writeWith(seed) {
  const pad = $('hw-pad');
  H.lastSeed = seed;
  return H.viewer.write(400, Number($('hw-bias').value), Number($('hw-temp').value), seed, pad.width, pad.height);
}

function write() {
  const wrote = writeWith(H.seed++);
  $('hw-note').textContent = wrote ? '' : t('Train first: there is no model to write with yet.');
  H.shown = 0;
  if (wrote && !H.writing) {
    H.writing = true;
    requestAnimationFrame(reveal);
  }
}

function keep() {
  const said = $('hw-said').value.trim();
  const why = H.viewer.keep_word(said);
  if (why) {
    $('hw-note').textContent = t('Nothing kept: {0}', why);
    return;
  }
  store(H.viewer.drawn());
  store(H.viewer.said(), STORE_SAID);
  history.replaceState(null, '', '#' + H.viewer.link());
  $('hw-said').value = '';
  $('hw-note').textContent = said
    ? t('Kept with what it says. With two or more such words, fine-tune the shipped writer on them (“from the shipped model” above), or choose data = drawn.')
    : t('Kept. With two or more words, choose data = drawn to train on them (type what a word says to train a writer on it too).');
  redraw();
}

/** Trains a writer of one's own with the shipped model's spec: from scratch, or (`tune`)
 * from the shipped model's weights (a smaller rate and fewer steps). */
function trainOwn(tune) {
  const link = ownLink(tune);
  if (!link) {
    $('hw-note').textContent = t('The shipped model has not loaded: its spec is not known yet.');
    return;
  }
  rebuild(`#${link}`);
  $('hw-note').textContent = !tune ? t('Training a writer from scratch on the built-in lines.')
    : H.viewer.tunes_on_drawn() ? t('Fine-tuning the shipped writer on your drawn words.') : t('Fine-tuning the shipped writer on the built-in lines (keep two or more drawn words with what they say to tune it on yours).');
  if (tune) H.worker.postMessage({ type: MSG.HAND_START, gen: H.gen, model: shippedModel() });
  H.worker.postMessage({ type: MSG.PLAY, on: true });
  writeWithYours();
}

function wire() {
  $('hw-play').addEventListener('click', () => H.worker.postMessage({ type: MSG.PLAY, on: !H.playing }));
  $('hw-reset').addEventListener('click', () => rebuild('#' + H.viewer.link()));
  $('hw-write').addEventListener('click', write);
  $('hw-clear').addEventListener('click', () => { H.viewer.clear_pad(); redraw(); });
  $('hw-loss-numbers').addEventListener('toggle', () => fillLossTable(true));
  $('hw-keep').addEventListener('click', keep);
  $('hw-own').addEventListener('click', () => trainOwn(false));
  $('hw-tune').addEventListener('click', () => trainOwn(true));
  for (const id of ['hw-bias', 'hw-temp']) $(id).addEventListener('input', () => { $(`${id}-out`).textContent = decimal($(id).value); });
  $('hw-ellipses').addEventListener('change', redraw);
  wirePad($('hw-pad'), (note) => {
    if (note || $('hw-note').dataset.pad) {
      $('hw-note').textContent = note;
      $('hw-note').dataset.pad = note ? '1' : '';
    }
    redraw();
  });
  window.addEventListener('hashchange', () => {
    // The page's text is put in its language once: a link that asks for another reopens it.
    if ((E().hand_link_lang(location.hash) ?? H.lang) !== H.lang) location.reload();
    else rebuild(location.hash);
  });
  window.addEventListener('resize', redraw);
  const dark = window.matchMedia?.('(prefers-color-scheme: dark)');
  H.dark = Boolean(dark?.matches);
  document.documentElement.classList.toggle('dark', H.dark);
}

/** For tests and course pages: train n steps and wait for them; write; the link. */
function installApi() {
  window.mdnHand = {
    step: (n) => new Promise((resolve) => {
      H.waiters.push([H.step + n, resolve]);
      H.worker.postMessage({ type: MSG.STEP, n });
    }),
    writing: () => H.writing,
    /** Everything asked for is drawn (no redraw waiting for its frame). */
    drawn: () => !H.due,
    link: () => H.viewer.link(),
    /** The run's synthesis network starts from the shipped model (before its first step). */
    startFromShipped: () => H.worker.postMessage({ type: MSG.HAND_START, gen: H.gen, model: shippedModel() }),
    /** The typed text is written and all of it shown. */
    textDone,
    textLine,
  };
}

async function main() {
  await loadEngine();
  H.lang = E().hand_page_lang(location.hash, [...navigator.languages]);
  translatePage(H.lang, E().lang_texts(H.lang));
  if (H.lang !== 'en') $('to-main').hash = `lang=${H.lang}`; // the other page in the same language
  startWorker();
  wire();
  installApi();
  rebuild(location.hash);
  $('hw-status').dataset.ready = 'true';
  await startWriter();
  workOffline(null);
}

main().catch((e) => {
  $('hw-status').textContent = t('The engine failed to load: {0}', e);
  $('hw-status').dataset.ready = 'error';
});
