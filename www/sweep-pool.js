// The page's pool of sweep workers: one per core but one (the page keeps a core), at
// most 8, each training one run of a K sweep at a time (sweep-worker.js). The runs are
// links from the engine's SweepRun; each row goes back to it, which keeps the sweep's
// order, so the report is the same for any number of workers.
import { MSG } from './protocol.js';
import { wasmModule } from './engine.js';

export const POOL_MAX = 8;

/** How many sweep workers this browser gets. */
export const poolSize = () => Math.min(POOL_MAX, Math.max(1, (navigator.hardwareConcurrency | 0) - 1));

/**
 * Trains `links` on the pool. `onRow(index, rowJson)` takes each row (it may throw: the
 * pool stops), `onProgress(fractions)` hears how far each run is (0…1). Returns
 * {workers, done, stop}: `done` settles when every row is in or a worker failed; `stop(why)`
 * ends the workers at once (and `done` is rejected with `why`).
 */
export function runPool(links, { onRow, onProgress }) {
  const count = Math.min(poolSize(), links.length);
  // The last runs (largest K) first: the longest start first and the pool ends together.
  const order = links.map((_, i) => i).reverse();
  const fractions = new Float64Array(links.length);
  const workers = [];
  const end = () => workers.forEach((w) => w.terminate());
  let fail;
  let next = 0;
  let left = links.length;
  const done = new Promise((resolve, reject) => {
    fail = (why) => {
      end();
      reject(new Error(why));
    };
    const give = (w) => {
      if (next < order.length) w.postMessage({ type: MSG.RUN, link: links[order[next]], index: order[next++] });
    };
    const take = (w, m) => {
      if (m.type === MSG.ERROR) return fail(`a sweep worker stopped: ${m.message}`);
      fractions[m.index] = m.type === MSG.RUN_ROW ? 1 : m.fraction;
      if (m.type === MSG.RUN_PROGRESS) return onProgress(fractions);
      onRow(m.index, m.row);
      onProgress(fractions);
      if (--left === 0) {
        end();
        resolve();
      } else give(w);
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
      w.onerror = (e) => fail(`a sweep worker stopped: ${e.message ?? 'it could not start'}`);
      w.postMessage({ type: MSG.MODULE, module: wasmModule() });
      give(w);
    }
  });
  done.catch(() => {});
  return { workers: count, done, stop: (why = 'stopped') => fail(why) };
}
