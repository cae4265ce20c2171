// The handwriting page's "write what you type": a TextWriter (src/web/writer.rs) writes
// the text box's text with the model shipped with the page, or with the run's own
// synthesis model; the line is revealed a few moves a frame, the letter under the window
// highlighted in the text above it, the alignment drawn below. User text is only ever
// set with textContent.
import { H, $ } from './state.js';
import { E } from '../engine.js';
import { sizeCanvas } from '../canvas.js';
import { t, decimal } from '../lang.js';

/** The model shipped with the page (trained by `mdn strokes train` from its spec), and
 * the unconditional one trained beside it. */
const SHIPPED = new URL('../models/synthesis.json', import.meta.url);
const SHIPPED_BLIND = new URL('../models/unconditional.json', import.meta.url);

const T = {
  writer: null,
  shipped: null, // the shipped model file's text, once loaded
  blind: null, // the unconditional model file's text, once loaded
  seed: 0, // the next line's draws (the link's `draw` first, then one more each time)
  lastSeed: 0,
  shown: 0,
  revealing: false,
  run: 0, // the reveal under way (see reveal)
  due: false,
  writtenAt: -1, // the training step of "your model" that wrote the line shown
};

/** The text above the line, a span per character, the one under the window marked. */
function showLetters() {
  const text = [...$('hw-text').value];
  const p = $('hw-letters');
  if (p.dataset.text !== $('hw-text').value) {
    p.replaceChildren(...text.map((c) => Object.assign(document.createElement('span'), { textContent: c === ' ' ? '\u00a0' : c })));
    p.dataset.text = $('hw-text').value;
  }
  const at = T.writer?.letter() ?? -1;
  [...p.children].forEach((s, i) => s.classList.toggle('on', i === at));
  // The marked letter is hidden from a screen reader (one span per character); the pen-move
  // slider says it instead, as its value.
  const slider = $('hw-at');
  const move = t('pen move {0} of {1}', slider.value, slider.max);
  slider.setAttribute('aria-valuetext', at >= 0 && at < text.length ? t('{0}: the window reads “{1}”, character {2} of {3}', move, text[at], at + 1, text.length) : move);
}

function draw() {
  T.due = false;
  if (!T.writer) return;
  for (const c of [$('hw-line'), $('hw-align'), $('hw-blind')]) sizeCanvas(c);
  T.writer.dark = H.dark;
  T.writer.ellipses = $('hw-ellipses').checked;
  T.writer.draw_line($('hw-line'));
  T.writer.draw_alignment($('hw-align'));
  T.writer.draw_blind($('hw-blind'));
  showLetters();
}

export const redrawText = () => { if (!T.due) { T.due = true; requestAnimationFrame(draw); } };

/** The pen-move slider at the move shown. */
function showAt() {
  const n = T.writer.moves();
  const at = Math.min(T.shown, n);
  Object.assign($('hw-at'), { max: String(n), value: String(at) });
  $('hw-at-out').textContent = t('{0} of {1}', at, n);
}

/** Reveals the line two moves a frame; `run`: which reveal this is (a newer line or a
 * hand on the slider ends it). */
function reveal(run) {
  if (run !== T.run) return;
  const all = T.writer.reveal(T.shown);
  showAt();
  redrawText();
  T.shown += 2;
  if (!all) requestAnimationFrame(() => reveal(run));
  else T.revealing = false;
}

/** Writes the text box's text with the draws of `seed`; `animate`: the pen moves. */
function writeWith(seed, animate) {
  if (!T.writer) return;
  const primed = $('hw-primed').checked;
  const said = $('hw-said').value.trim();
  const why = primed && !said ? 'To write in your hand, type what your word on the pad says (beside it, below).'
    : T.writer.write($('hw-text').value, Number($('hw-bias').value), Number($('hw-temp').value), seed, H.viewer, primed ? said : '');
  T.lastSeed = seed;
  $('hw-line-note').textContent = why || T.writer.note();
  $('hw-line').dataset.written = why ? 'no' : 'yes';
  T.shown = animate ? 0 : 1e9;
  const run = ++T.run;
  T.revealing = animate && !why;
  if (!T.revealing) {
    T.writer.reveal(T.shown);
    showAt();
    redrawText();
  } else {
    requestAnimationFrame(() => reveal(run));
  }
}

function say() {
  const seed = T.seed++;
  writeWith(seed, true);
  if ($('hw-line').dataset.written === 'yes') {
    history.replaceState(null, '', '#' + H.viewer.set_text($('hw-text').value, Number($('hw-bias').value), seed));
  }
}

/** Which model writes: the shipped one, or the run's own when it has a window. */
function choose() {
  if ($('hw-by').value === 'yours' && T.writer.adopt(H.viewer)) {
    T.writtenAt = H.step;
  } else if (T.shipped) {
    $('hw-by').value = 'shipped';
    loadShipped();
    T.writtenAt = -1;
  }
}

/** Writes with the shipped models from now on; returns why not ('' when it can). */
function loadShipped() {
  const why = T.writer.load(T.shipped, t('the model shipped with the page'));
  if (!why && T.blind) T.writer.load_blind(T.blind);
  return why;
}

/** A file beside the page, as text (throws when it cannot be had). */
async function fetchText(url) {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${r.status} ${r.statusText}`);
  return r.text();
}

/** After each training snapshot: "your model" can be chosen once the run has a window,
 * and the line it wrote is written again with the same draws as training goes on (every
 * twentieth of the planned steps, and when training stops). */
export function afterSnapshot(stopped) {
  if (!T.writer) return;
  const yours = H.viewer.has_window();
  const option = $('hw-by').querySelector('option[value="yours"]');
  option.disabled = !yours;
  if (!yours && $('hw-by').value === 'yours') choose();
  if ($('hw-by').value !== 'yours' || T.revealing) return;
  const every = Math.max(1, H.viewer.planned_steps() / 20);
  if (H.step > T.writtenAt && (stopped || H.step >= T.writtenAt + every)) {
    choose();
    writeWith(T.lastSeed, false);
  }
}

/** Switches the writer to the run's model (after "train your own"). */
export function writeWithYours() {
  $('hw-by').value = 'yours';
  T.writtenAt = -1;
}

/** The shipped model file's text (for fine-tuning), once loaded. */
export const shippedModel = () => T.shipped;

/** The link of a run of one's own from the shipped model's spec ('' before it has loaded). */
export const ownLink = (tune) => T.writer?.own_link(H.viewer, tune) ?? '';

export async function startWriter() {
  T.writer = new (E().TextWriter)();
  T.writer.set_lang(H.lang);
  $('hw-text').value = H.viewer.first_text();
  $('hw-bias').value = String(H.viewer.first_bias());
  $('hw-bias-out').textContent = decimal($('hw-bias').value);
  $('hw-say').addEventListener('click', say);
  $('hw-text').addEventListener('keydown', (e) => { if (e.key === 'Enter') say(); });
  $('hw-text').addEventListener('input', () => {
    const why = T.writer.check($('hw-text').value);
    if (why) $('hw-line-note').textContent = why;
  });
  $('hw-by').addEventListener('change', () => { choose(); writeWith(T.lastSeed, true); });
  $('hw-primed').addEventListener('change', () => writeWith(T.lastSeed, true));
  $('hw-ellipses').addEventListener('change', redrawText);
  $('hw-at').addEventListener('input', () => {
    T.run++; // a hand on the slider stops the pen
    T.revealing = false;
    T.shown = Number($('hw-at').value);
    T.writer.reveal(T.shown);
    showAt();
    redrawText();
  });
  window.addEventListener('resize', redrawText);
  $('hw-line-note').textContent = t('Loading the model shipped with the page…');
  try {
    [T.shipped, T.blind] = await Promise.all([fetchText(SHIPPED), fetchText(SHIPPED_BLIND).catch(() => null)]);
  } catch (e) {
    $('hw-line-note').textContent = t('The shipped model could not be loaded ({0}): train your own below.', e.message);
    return;
  }
  const why = loadShipped();
  if (why) {
    $('hw-line-note').textContent = why;
    return;
  }
  T.seed = H.viewer.first_draw();
  say();
}

/** For tests: the line is written and all of it shown. */
export const textDone = () => $('hw-line').dataset.written === 'yes' && !T.revealing && !T.due;

/** For tests: the line written, as `mdn strokes write --json` prints it. */
export const textLine = () => ({
  moves: Array.from(T.writer.line_moves()),
  phi_argmax: Array.from(T.writer.line_argmax()),
  shown: T.shown,
});
