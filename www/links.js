// Share links: the address bar is the experiment. Links are read and written by the engine
// (Link in src/link.rs); this module applies the result: a new Viewer for a new
// experiment, the view for the same one, and the hash written back.
import { S, $, redraw } from './state.js';
import { E } from './engine.js';
import { MSG } from './protocol.js';
import { ask } from './worker-client.js';
import { storedPoints, offerRestore } from './points.js';
import { syncForm, showViews, showPlaying, showSampling } from './controls.js';
import { applyShape } from './embed.js';
import { applyTheme } from './theme.js';
import { showTour } from './tour.js';

/** Builds the experiment of a link: the page's Viewer, and the worker's Trainer. */
export function rebuild(hash, { keepIssues = false } = {}) {
  S.viewer?.free();
  S.viewer = new (E().Viewer)(hash, storedPoints());
  S.userPoints = null; // an edit in progress goes on from the new points (editAt sets it back)
  S.generation++;
  offerRestore();
  showViews();
  showSampling();
  if (!keepIssues) showIssues(S.viewer.issues());
  writeHash();
  syncForm();
  applyShape();
  applyTheme();
  showTour();
  S.host.halted = false;
  S.stepsWindow = [];
  S.playing = false;
  S.training = false;
  S.resumeOnShow = false; // a new experiment starts paused, seen or not
  showPlaying();
  redraw({ panels: true });
  return ask({ type: MSG.SPEC, hash: '#' + S.viewer.spec() });
}

/** Loads a model file: the page shows it, the worker takes it on (training can go on). */
export async function importModel(text) {
  let next;
  try {
    next = E().Viewer.from_model(text);
  } catch (err) {
    $('fileerror').textContent = `Not loaded: ${err}`;
    return;
  }
  $('fileerror').textContent = '';
  S.viewer?.free();
  S.viewer = next;
  S.generation++;
  showViews();
  showSampling();
  showIssues(S.viewer.issues());
  writeHash();
  syncForm();
  applyShape();
  applyTheme();
  showTour();
  S.playing = false;
  S.training = false;
  S.resumeOnShow = false;
  showPlaying();
  redraw({ panels: true });
  await ask({ type: MSG.IMPORT, text });
}

/** The hash of the address bar, and the link to the full playground, from the Viewer. */
export function writeHash() {
  history.replaceState(null, '', '#' + S.viewer.link(true));
  const full = new URL(location.href);
  full.hash = '#' + S.viewer.link(false);
  $('openfull').href = full.href;
}

/** The iframe snippet that embeds this experiment. */
export function embedCode() {
  const u = new URL(location.href);
  u.hash = '#' + S.viewer.embed_link();
  const src = u.href.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
  return `<iframe src="${src}" width="640" height="400" style="border:0" title="MDN Playground" loading="lazy"></iframe>`;
}

/** A new link in the address bar: another experiment, or the same one seen otherwise. */
export function onHashChange() {
  if (E().link_spec(location.hash) !== S.viewer.spec()) {
    rebuild(location.hash);
    return;
  }
  showIssues(S.viewer.apply_view(location.hash));
  showSampling();
  applyTheme();
  showTour();
  writeHash();
  redraw({ panels: true });
}

/** The problems of a link (plain text, never HTML). */
export function showIssues(list) {
  const ul = $('issues');
  ul.replaceChildren();
  for (const msg of list) {
    const li = document.createElement('li');
    li.textContent = msg;
    ul.appendChild(li);
  }
}
