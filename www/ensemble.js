// The "Two kinds of uncertainty" panel: an ensemble's other members (ensemble=M) train on
// the pool of workers, one member a job (sweep-worker.js, MemberJob); their parameters
// come back as they train (Viewer::set_member), and the page shows the even mixture of
// all, each member's mean, and the panel of aleatoric and epistemic variance against x.
import { S, $, redraw } from './state.js';
import { MSG } from './protocol.js';
import { wasmModule } from './engine.js';
import { poolSize } from './sweep-pool.js';
import { sizeCanvas } from './canvas.js';
import { fixed } from './numbers.js';

const E_ = { workers: [], fractions: [], vals: [], generation: -1 };

/** A new experiment: any members under way stop; the panel shows for an ensemble. */
export function syncEnsemble() {
  stopMembers();
  const m = S.viewer.ensemble();
  $('ensemble').hidden = m < 2;
  $('ens-train').textContent = `Train the other ${m - 1} member${m > 2 ? 's' : ''}`;
  $('ens-train').disabled = false;
  $('ens-progress').hidden = true;
  $('ens-member').replaceChildren(...Array.from({ length: Math.max(0, m) }, (_, i) => Object.assign(document.createElement('option'), { value: String(i + 1), textContent: `member ${i + 1}` })));
  setStatus(m < 2 ? '' : `Member 1 is the network the page trains. The other ${m - 1} start from their own initialisation and batches.`);
}

function setStatus(text, done = false) {
  const s = $('ens-status');
  s.textContent = text;
  s.dataset.done = done ? 'true' : '';
}

/** Ends the members' workers (their latest parameters stay shown until the next experiment). */
export function stopMembers() {
  for (const w of E_.workers) w.terminate();
  E_.workers = [];
}

/** Trains members 1 … M−1 on the pool, showing each as it trains. */
export function trainMembers() {
  stopMembers();
  const m = S.viewer.ensemble();
  if (m < 2) return;
  const link = '#' + S.viewer.spec();
  const generation = S.generation;
  const queue = Array.from({ length: m - 1 }, (_, i) => i + 1);
  Object.assign(E_, { fractions: new Array(m - 1).fill(0), vals: new Array(m - 1).fill(null), generation });
  const count = Math.min(poolSize(), queue.length);
  const give = (w) => { if (queue.length) w.postMessage({ type: MSG.MEMBER, link, index: queue.shift() }); };
  const fail = (why) => { stopMembers(); setStatus(`Stopped: ${why}.`); $('ens-train').disabled = false; };
  for (let i = 0; i < count; i++) {
    const w = new Worker(new URL('./workers/sweep-worker.js', import.meta.url), { type: 'module' });
    E_.workers.push(w);
    w.onmessage = (e) => {
      if (S.generation !== generation) return;
      const r = e.data;
      if (r.type === MSG.ERROR) return fail(`a worker stopped: ${r.message}`);
      if (r.type !== MSG.MEMBER_PROGRESS) return undefined;
      if (!S.viewer.set_member(r.index, r.step, r.params)) return fail('a member did not fit this experiment');
      E_.fractions[r.index - 1] = r.fraction;
      if (r.done) {
        E_.vals[r.index - 1] = r.val_nll;
        give(w);
      }
      showProgress(count);
      redraw({ panels: true });
      return undefined;
    };
    w.onerror = (e) => fail(`a worker stopped: ${e.message ?? 'it could not start'}`);
    w.postMessage({ type: MSG.MODULE, module: wasmModule() });
    give(w);
  }
  $('ens-train').disabled = true;
  $('ens-progress').hidden = false;
  showProgress(count);
}

function showProgress(workers) {
  const f = E_.fractions.reduce((a, b) => a + b, 0) / Math.max(1, E_.fractions.length);
  $('ens-progress').value = f;
  const finished = E_.vals.filter((v) => v !== null).length;
  const all = E_.vals.length;
  if (finished < all) {
    setStatus(`Members 2–${all + 1} training on ${workers} worker${workers > 1 ? 's' : ''}: ${finished} of ${all} done; the plots show all ${S.viewer.members_in()} as they are.`);
    return;
  }
  stopMembers();
  $('ens-progress').hidden = true;
  $('ens-train').disabled = false;
  const nll = E_.vals.map((v, i) => `${i + 2}: ${fixed(v, 3)}`).join(', ');
  setStatus(`All ${all} other members trained to the planned steps. Their validation NLL: ${nll} nats. The plots show the even mixture of all ${all + 1}.`, true);
  $('ens-status').dataset.vals = JSON.stringify(E_.vals);
}

/** The split panel, when shown. */
export function drawSplit() {
  const c = $('split');
  if ($('ensemble').hidden || c.offsetParent === null) return;
  S.viewer.draw_split(c, sizeCanvas(c), Number($('ens-member').value) || 1);
}
