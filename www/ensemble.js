// The "Two kinds of uncertainty" panel: an ensemble's other members (ensemble=M) train on
// the pool of workers, one member a job (sweep-worker.js, MemberJob); their parameters
// come back as they train (Viewer::set_member), and the page shows the even mixture of
// all, each member's mean, and the panel of aleatoric and epistemic variance against x.
import { S, $, redraw } from './state.js';
import { MSG } from './protocol.js';
import { runJobs } from './sweep-pool.js';
import { sizeCanvas } from './canvas.js';
import { fixed } from './numbers.js';
import { t } from './lang.js';

// The members' training: the pool's handle, how far each member is, and each one's
// validation NLL once it finished (null before).
const training = { pool: null, fractions: [], vals: [] };

/** A new experiment: any members under way stop; the panel shows for an ensemble. */
export function syncEnsemble() {
  stopMembers();
  const m = S.viewer.ensemble();
  $('ensemble').hidden = m < 2;
  $('ens-train').textContent = m > 2 ? t('Train the other {0} members', m - 1) : t('Train the other member');
  $('ens-train').disabled = false;
  $('ens-progress').hidden = true;
  $('ens-member').replaceChildren(...Array.from({ length: Math.max(0, m) }, (_, i) => Object.assign(document.createElement('option'), { value: String(i + 1), textContent: t('member {0}', i + 1) })));
  setStatus(m < 2 ? '' : t('Member 1 is the network the page trains. The other {0} start from their own initialisation and batches.', m - 1));
}

function setStatus(text, done = false) {
  const s = $('ens-status');
  s.textContent = text;
  s.dataset.done = done ? 'true' : '';
}

/** Ends the members' workers (their latest parameters stay shown until the next experiment). */
export function stopMembers() {
  const pool = training.pool;
  training.pool = null;
  pool?.stop();
}

/** Trains members 2 … M on the pool, one member a job, showing each as it trains. */
export function trainMembers() {
  stopMembers();
  const m = S.viewer.ensemble();
  if (m < 2) return;
  const link = '#' + S.viewer.spec();
  const jobs = Array.from({ length: m - 1 }, (_, i) => ({ type: MSG.MEMBER, link, index: i + 1 }));
  Object.assign(training, { fractions: new Array(m - 1).fill(0), vals: new Array(m - 1).fill(null) });
  const pool = runJobs(jobs, (r) => {
    // A reply on its way when a new experiment stopped the pool.
    if (training.pool !== pool || r.type !== MSG.MEMBER_PROGRESS) return false;
    if (!S.viewer.set_member(r.index, r.step, r.params)) throw new Error('a member did not fit this experiment');
    training.fractions[r.index - 1] = r.fraction;
    if (r.done) training.vals[r.index - 1] = r.val_nll;
    showProgress(pool.workers);
    redraw({ panels: true });
    return r.done;
  });
  training.pool = pool;
  pool.done.then(
    () => training.pool === pool && finished(),
    (err) => {
      // Stopped by a new experiment (training.pool moved on), or failed.
      if (training.pool !== pool) return;
      training.pool = null;
      $('ens-progress').hidden = true;
      $('ens-train').disabled = false;
      setStatus(`Stopped: ${err.message}.`);
    },
  );
  $('ens-train').disabled = true;
  $('ens-progress').hidden = false;
  showProgress(pool.workers);
}

function showProgress(workers) {
  $('ens-progress').value = training.fractions.reduce((a, b) => a + b, 0) / Math.max(1, training.fractions.length);
  const done = training.vals.filter((v) => v !== null).length;
  const all = training.vals.length;
  setStatus(t(workers > 1 ? 'Members 2–{0} training on {1} workers: {2} of {3} done; the plots show all {4} as they are.' : 'Members 2–{0} training on {1} worker: {2} of {3} done; the plots show all {4} as they are.', all + 1, workers, done, all, S.viewer.members_in()));
}

function finished() {
  training.pool = null;
  $('ens-progress').hidden = true;
  $('ens-train').disabled = false;
  const all = training.vals.length;
  const nll = training.vals.map((v, i) => `${i + 2}: ${fixed(v, 3)}`).join(', ');
  setStatus(t('All {0} other members trained to the planned steps. Their validation NLL: {1} nats. The plots show the even mixture of all {2}.', all, nll, all + 1), true);
  $('ens-status').dataset.vals = JSON.stringify(training.vals);
}

/** The split panel, when shown. */
export function drawSplit() {
  const c = $('split');
  if ($('ensemble').hidden || c.offsetParent === null) return;
  S.viewer.draw_split(c, sizeCanvas(c), Number($('ens-member').value) || 1);
}
