// A sweep worker: trains the runs of a K sweep one at a time (SweepJob) and posts each
// run's progress and row; or an ensemble's member (MemberJob), posting its parameters as
// it trains. The pool that starts it and hands it runs is sweep-pool.js; the
// messages are in protocol.js. A run is stopped by ending the worker.
import init, { SweepJob, MemberJob } from '../../mdn-playground.js';
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

function member(m) {
  const job = new MemberJob(m.link, m.index);
  try {
    let done = false;
    while (!done) {
      done = job.advance_for(RUN_SLICE_MS);
      const params = job.params();
      postMessage({
        type: MSG.MEMBER_PROGRESS, index: m.index, step: job.step(), fraction: job.fraction(),
        params, done, val_nll: done ? job.val_nll() : 0,
      }, [params.buffer]);
    }
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
    if (m.type === MSG.MEMBER) member(m);
  } catch (err) {
    postMessage({ type: MSG.ERROR, message: String(err?.message ?? err) });
  }
};
