// The page's pool of sweep workers: one per core but one (the page keeps a core), at
// most 8, each doing one job at a time (sweep-worker.js): a run of a K sweep, or a
// member of an ensemble. A K sweep's rows go back to the engine's SweepRun, which keeps
// the sweep's order, so the report is the same for any number of workers.
import { MSG } from './protocol.js';
import { wasmModule } from './engine.js';
import { t } from './lang.js';

export const POOL_MAX = 8;

/** How many sweep workers this browser gets. */
export const poolSize = () => Math.min(POOL_MAX, Math.max(1, (navigator.hardwareConcurrency | 0) - 1));

/**
 * Does `jobs` (messages for sweep-worker.js, taken in this order) on the pool. `onReply(m)`
 * hears every reply but an error and returns whether it finished its job (the worker then
 * takes the next); it may throw, which stops the pool. Returns {workers, done, stop}:
 * `done` settles when every job is finished or a worker failed; `stop(why)` ends the
 * workers at once (and `done` is rejected with `why`).
 */
export function runJobs(jobs, onReply) {
  const count = Math.min(poolSize(), jobs.length);
  const workers = [];
  const end = () => workers.forEach((w) => w.terminate());
  let fail;
  let next = 0;
  let left = jobs.length;
  const done = new Promise((resolve, reject) => {
    fail = (why) => {
      end();
      reject(new Error(why));
    };
    const give = (w) => {
      if (next < jobs.length) w.postMessage(jobs[next++]);
    };
    const take = (w, m) => {
      if (m.type === MSG.ERROR) return fail(t('a worker stopped: {0}', m.message));
      if (!onReply(m)) return undefined;
      if (--left === 0) {
        end();
        resolve();
      } else give(w);
      return undefined;
    };
    for (let i = 0; i < count; i++) {
      const w = new Worker(new URL('./workers/sweep-worker.js', import.meta.url), { type: 'module' });
      workers.push(w);
      w.onmessage = (e) => {
        try {
          take(w, e.data);
        } catch (err) {
          fail(String(err?.message ?? err));
        }
      };
      w.onerror = (e) => fail(t('a worker stopped: {0}', e.message ?? t('it could not start')));
      w.postMessage({ type: MSG.MODULE, module: wasmModule() });
      give(w);
    }
  });
  done.catch(() => {});
  return { workers: count, done, stop: (why = 'stopped') => fail(why) };
}

/**
 * Trains the sweep's `links` on the pool. `onRow(index, rowJson)` takes each row,
 * `onProgress(fractions)` hears how far each run is (0…1). Returns what runJobs does.
 */
export function runPool(links, { onRow, onProgress }) {
  const fractions = new Float64Array(links.length);
  // The last runs (largest K) first: the longest start first and the pool ends together.
  const jobs = links.map((link, index) => ({ type: MSG.RUN, link, index })).reverse();
  return runJobs(jobs, (m) => {
    fractions[m.index] = m.type === MSG.RUN_ROW ? 1 : m.fraction;
    if (m.type === MSG.RUN_ROW) onRow(m.index, m.row);
    onProgress(fractions);
    return m.type === MSG.RUN_ROW;
  });
}
