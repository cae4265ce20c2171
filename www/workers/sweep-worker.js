// A sweep worker: trains the runs of a K sweep one at a time (SweepJob) and posts each
// run's progress and row. The pool that starts it and hands it runs is sweep-pool.js; the
// messages are in protocol.js. A run is stopped by ending the worker.
import init, { SweepJob } from '../../mdn-playground.js';
import { MSG, RUN_SLICE_MS } from '../protocol.js';

let ready;

function run(m) {
  const job = new SweepJob(m.link);
  try {
    while (!job.advance_for(RUN_SLICE_MS)) postMessage({ type: MSG.RUN_PROGRESS, index: m.index, fraction: job.fraction() });
    postMessage({ type: MSG.RUN_ROW, index: m.index, row: job.row_json() });
  } finally {
    job.free();
  }
}

onmessage = async (e) => {
  const m = e.data;
  if (m.type === MSG.MODULE) {
    ready = init({ module_or_path: m.module });
    return;
  }
  try {
    await ready;
    if (m.type === MSG.RUN) run(m);
  } catch (err) {
    postMessage({ type: MSG.ERROR, message: String(err?.message ?? err) });
  }
};
