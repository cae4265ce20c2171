// Many embeds on one page: an embed that is scrolled out of view, or in a hidden tab, stops
// training and drawing, and goes on where it was when it comes back. Pausing keeps a step
// under way pending, so the run has the same bits as one never interrupted.
import { S, $ } from './state.js';
import { setPlaying } from './controls.js';

/** Whether the page is seen: in view (for an iframe, within the host page's viewport) and
 * its tab shown. */
function seen() {
  return S.inView && !document.hidden;
}

function update() {
  const now = seen();
  if (now === S.seen) return;
  S.seen = now;
  if (!now && S.playing) {
    S.resumeOnShow = true;
    setPlaying(false);
  } else if (now && S.resumeOnShow) {
    S.resumeOnShow = false;
    setPlaying(true);
  }
}

/** In an embed: watches whether the page is seen; resolves once that is first known (an
 * observer reports at once when it starts), so that an embed loaded out of view does not
 * start training. Until then it counts as not seen. */
export function watchVisibility() {
  if (!S.viewer.embed()) return Promise.resolve();
  S.inView = false;
  S.seen = false;
  return new Promise((known) => {
    new IntersectionObserver((entries) => {
      S.inView = entries.some((e) => e.isIntersecting);
      update();
      known();
    }).observe(document.body);
    document.addEventListener('visibilitychange', update);
  });
}

/** Plays or pauses as the page, its link or a host asks. An embed out of view does not
 * train: asked to play, it starts when it is seen; asked to pause (or reset), it forgets
 * that it was to go on. */
export function requestPlaying(on) {
  if (!on) {
    S.resumeOnShow = false;
    setPlaying(false);
  } else if (S.seen) {
    setPlaying(true);
  } else {
    S.resumeOnShow = true;
  }
}

/** Starts training as the link asks, now or when the page is first seen. */
export const playWhenSeen = () => requestPlaying(true);
