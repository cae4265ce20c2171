// The guided tour (`tour=N`): the step's text from the engine (src/share/tour.rs), links to the
// steps before and after, and what the page can tell from the metrics ("Done: …").
// Text is set with textContent only.
import { S, $ } from './state.js';
import { E } from './engine.js';
import { onHashChange } from './links.js';
import { t } from './lang.js';

let steps = null;

/** Shows the tour step of the current link (or hides the tour). */
export function showTour() {
  steps ??= E().tour_steps(S.lang);
  const n = S.viewer.tour();
  $('tour').hidden = n === 0;
  if (n === 0) return;
  const step = steps[n - 1];
  $('tour-title').textContent = t('Tour, step {0} of {1}: {2}', n, steps.length, step.title);
  $('tour-look').textContent = step.look;
  $('tour-try').textContent = step.try;
  $('tour-count').textContent = `${n} / ${steps.length}`;
  $('tour-prev').hidden = n === 1;
  $('tour-next').hidden = n === steps.length;
  if (n > 1) $('tour-prev').href = '#' + steps[n - 2].link;
  if (n < steps.length) $('tour-next').href = '#' + steps[n].link;
  $('tour-close').href = '#' + S.viewer.spec();
  $('tour-done').textContent = '';
  checkTour();
}

/** After fresh metrics: says so when the learner has done what the step asks. */
export function checkTour() {
  if (!S.viewer || S.viewer.tour() === 0) return;
  const done = S.viewer.tour_check();
  const text = done ?? '';
  if ($('tour-done').textContent !== text) $('tour-done').textContent = text;
}

/** The "Guided tour" button: the first step. */
export function startTour() {
  steps ??= E().tour_steps(S.lang);
  location.hash = '#' + steps[0].link;
}

/** The tour's links go to their step at once (not on a later hashchange, which an edit of
 * the form made just before, on leaving its field, could overtake). */
export function wireTour() {
  for (const id of ['tour-prev', 'tour-next', 'tour-close']) {
    $(id).addEventListener('click', (e) => {
      e.preventDefault();
      history.pushState(null, '', $(id).href);
      onHashChange();
    });
  }
}
