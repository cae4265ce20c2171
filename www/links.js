// Share links: the address bar is the experiment. Links are read and written by the engine
// (Link in src/share/link.rs); this module applies the result: a new Viewer for a new
// experiment, the view for the same one, and the hash written back.
import { S, $, redraw } from './state.js';
import { E } from './engine.js';
import { MSG } from './protocol.js';
import { ask } from './worker-client.js';
import { storedPoints } from './kept-points.js';
import { EVENT, announce } from './events.js';
import { t } from './lang.js';

/** Builds the experiment of a link: the page's Viewer, and the worker's Trainer. */
export function rebuild(hash, { keepIssues = false } = {}) {
  S.viewer?.free();
  S.viewer = new (E().Viewer)(hash, storedPoints());
  S.viewer.set_lang(S.lang);
  S.userPoints = null; // an edit in progress goes on from the new points (editAt sets it back)
  S.generation++;
  if (!keepIssues) showIssues(S.viewer.issues());
  writeHash();
  S.host.halted = false;
  S.stepsWindow = [];
  S.playing = false;
  S.training = false;
  S.resumeOnShow = false; // a new experiment starts paused, seen or not
  announce(EVENT.EXPERIMENT, { imported: false });
  redraw({ panels: true });
  return ask({ type: MSG.SPEC, hash: '#' + S.viewer.spec() });
}

/** Loads a model file: the page shows it, the worker takes it on (training can go on). */
export async function importModel(text) {
  let next;
  try {
    next = E().Viewer.from_model(text);
  } catch (err) {
    $('fileerror').textContent = t('Not loaded: {0}', err);
    return;
  }
  $('fileerror').textContent = '';
  S.viewer?.free();
  S.viewer = next;
  S.viewer.set_lang(S.lang);
  S.generation++;
  showIssues(S.viewer.issues());
  writeHash();
  S.playing = false;
  S.training = false;
  S.resumeOnShow = false;
  announce(EVENT.EXPERIMENT, { imported: true });
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
  // The page's text is put in its language once, as it opens: a link that asks for another
  // language reopens it (a link without lang= keeps the page's).
  if ((E().link_lang(location.hash) ?? S.lang) !== S.lang) {
    location.reload();
    return;
  }
  if (E().link_spec(location.hash) !== S.viewer.spec()) {
    rebuild(location.hash);
    return;
  }
  showIssues(S.viewer.apply_view(location.hash));
  announce(EVENT.VIEW);
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
