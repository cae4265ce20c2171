// The handwriting page's state, in one object.
export const $ = (id) => document.getElementById(id);

export const H = {
  viewer: null, // the HandViewer: the link, the drawn words, the latest model (src/web/strokes.rs)
  worker: null,
  gen: 0, // which run the worker's snapshots belong to
  playing: false,
  step: 0,
  seed: 1, // the next sample's seed
  lastSeed: 1, // the seed of the writing shown (written again with it as training goes on)
  shown: 0, // how many of the written moves are revealed
  writing: false, // the writing is being revealed
  dark: false,
  lang: 'en', // the page's language, chosen as it opens (../lang.js)
  due: false, // a redraw is due in the next frame
  waiters: [], // [step, resolve]: window.mdnHand.step's promises
};
