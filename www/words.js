// The plots in words, for a screen reader: each figure's sentence, written by the engine
// (src/web/words.rs), in a polite live region that describes the figure's image
// (aria-describedby). A sentence is renewed at once when the user moves what it is about
// (x₀, the target), and otherwise when the model has changed, while training at most
// every WORDS_MS, so that a screen reader is not talked over.
import { S, $ } from './state.js';
import { second } from './compare.js';
import { pace } from './throttle.js';

const WORDS_MS = 2000;
const last = {}; // region id → { model, place } it last said
const words = pace(WORDS_MS, () => S.viewer && sayThePlots());

/** Region `id` says `said()` if `place` (what the user chose) moved, or if `model` (the
 * experiment and its snapshots) changed and, while training, WORDS_MS have passed (else
 * it is said when they have: the last state of a run that stops is never left unsaid). */
function say(id, model, place, said) {
  const was = last[id] ?? {};
  const moved = place !== was.place;
  if (!moved && model === was.model) return;
  if (!words.due(id, { now: moved, busy: S.training })) return;
  last[id] = { model, place };
  const text = said();
  if ($(id).textContent !== text) $(id).textContent = text;
}

/** The sentences of the figures shown: the slice and the main plot (one output), the 2-D
 * views' poses (two), and the loss panel; with a second experiment (compare=), A's and
 * then B's, each named by its settings. */
export function sayThePlots() {
  const v = S.viewer;
  const b = second();
  const model = `${S.generation}:${S.snapshots}`;
  const labels = b ? v.compare_labels() : [];
  const both = (said) => () => (b ? `A (${labels[0]}): ${said(v)} B (${labels[1]}): ${said(b)}` : said(v));
  if (S.twoD) {
    say('pose-words', model, Array.from(v.target()).join(), () => v.pose_words());
  } else {
    say('slice-words', model, S.sliceX, both((w) => w.slice_words(S.sliceX)));
    say('main-words', model, null, both((w) => w.main_words()));
  }
  say('loss-words', model, null, both((w) => w.loss_words()));
}
