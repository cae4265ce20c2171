// Can the page's own training use a second worker without shared
// memory (no SharedArrayBuffer: it needs cross-origin isolation, which breaks embedding)?
//
// The same-bits split of a step over two workers (train::threads natively) needs two
// exchanges per step: after each worker's half of the blocks (forward, loss, backward to
// the layers' outputs), each sends the other its blocks' layer-output gradients and half
// of its activations (each worker then sums its half of the gradient's rows over all the
// blocks, in order); then each sends its half of the gradient (so that both take the same
// Adam step). This page measures that for real: one worker training the page's
// experiment (MDN and MSE regressor) on n samples, against two workers each training the
// same network on n/2 samples in lockstep and exchanging, every step, payloads of the
// sizes above through a MessageChannel (copied out of and into typed arrays, as out of
// and into wasm memory), with no help from the page's thread.
//
// It also measures the way the page does use two workers: one model each (the MDN on the
// training worker, the MSE regressor on its helper, src/train/helper.rs), which needs no exchange
// per step: the page's own worker (dist/www/workers/worker.js), with and without its helper, driven
// by the page's messages, nothing drawn.
import init, { Trainer } from './dist/mdn-playground.js';
import { MSG } from './dist/www/protocol.js';
import { timeLoop } from './timing.mjs';

const Q = new URLSearchParams(location.search);
const SECONDS = Number(Q.get('seconds') ?? 3);
const CONFIGS = [
  { name: 'small', n: 1000, hidden: [20], k: 5 },
  { name: 'medium', n: 4096, hidden: [64, 64], k: 10 },
];

const spec = (c, n) => `#data=bishop-inverse&n=${n}&k=${c.k}&hidden=${c.hidden.join(',')}&act=tanh&opt=adam&lr=0.01&batch=all&schedule=constant&steps=1000000`;

/** Floats each worker sends per step: its samples' gradients at every layer's output and
 * half of their activations (MDN and regressor), then half of both gradients. */
function payload(c) {
  const half = c.n / 2;
  const mdn = [1, ...c.hidden, 3 * c.k];
  const reg = [1, ...c.hidden, 1];
  const perSample = (s) => s.slice(1).reduce((a, b) => a + b, 0) + s.slice(0, -1).reduce((a, b) => a + b, 0) / 2;
  const params = (s) => s.slice(1).reduce((a, d, i) => a + (s[i] + 1) * d, 0);
  return { blocks: Math.round(half * (perSample(mdn) + perSample(reg))), grads: Math.round((params(mdn) + params(reg)) / 2) };
}

/** Steps per second of one worker (this page's thread) training the spec of `c`, both
 * models. */
function oneWorker(c) {
  const t = new Trainer(spec(c, c.n));
  const rate = timeLoop(() => t.step(1), SECONDS).steps_per_s;
  t.free();
  return rate;
}

async function twoWorkers(c, train) {
  const { port1, port2 } = new MessageChannel();
  const sizes = payload(c);
  const ws = [0, 1].map(() => new Worker(new URL('./half-worker.mjs', import.meta.url), { type: 'module' }));
  const ready = ws.map((w) => new Promise((r) => { w.onmessage = r; }));
  ws[0].postMessage({ port: port1, spec: spec(c, c.n / 2), sizes, seconds: SECONDS, train, leader: true }, [port1]);
  ws[1].postMessage({ port: port2, spec: spec(c, c.n / 2), sizes, seconds: SECONDS, train }, [port2]);
  const [a] = await Promise.all(ready.map((p) => p.then((e) => e.data)));
  ws.forEach((w) => w.terminate());
  return { steps_per_s: a.steps / a.seconds, floats_per_step_each_way: sizes.blocks + sizes.grads };
}

/** Steps per second of the page's training worker (with or without its helper), over
 * STEP messages of about a second each (their answers bring fresh metrics, as in the
 * page); the best of SECONDS of them. */
async function pageWorker(c, helper) {
  const module = await WebAssembly.compileStreaming(fetch('./dist/mdn-playground_bg.wasm'));
  const w = new Worker('./dist/www/workers/worker.js', { type: 'module' });
  let id = 0;
  const ask = (msg) => new Promise((resolve) => {
    const mine = ++id;
    const hear = (e) => {
      if (!e.data.ids?.includes(mine)) return;
      w.removeEventListener('message', hear);
      resolve();
    };
    w.addEventListener('message', hear);
    w.postMessage({ ...msg, id: mine, generation: 1 });
  });
  w.postMessage({ type: MSG.MODULE, module, helper });
  w.postMessage({ type: MSG.SPEC, hash: spec(c, c.n), generation: 1 });
  let [n, best] = [20, 0];
  for (let i = 0; i <= SECONDS; i++) {
    const t0 = performance.now();
    await ask({ type: MSG.STEP, n });
    const rate = n / ((performance.now() - t0) / 1000);
    if (i > 0) best = Math.max(best, rate); // the first one warms up and sizes the rest
    n = Math.max(1, Math.round(rate));
  }
  w.terminate();
  return best;
}

async function main() {
  await init();
  const report = { seconds_per_run: SECONDS, cores: navigator.hardwareConcurrency, results: [] };
  for (const c of CONFIGS) {
    const one = oneWorker(c);
    const two = await twoWorkers(c, true);
    const exchangeOnly = await twoWorkers(c, false);
    const alone = await pageWorker(c, false);
    const helped = await pageWorker(c, true);
    report.results.push({
      config: c.name,
      one_worker_steps_per_s: Math.round(one),
      two_workers_steps_per_s: Math.round(two.steps_per_s),
      speedup: +(two.steps_per_s / one).toFixed(2),
      floats_per_step_each_way: two.floats_per_step_each_way,
      exchanges_alone_per_s: Math.round(exchangeOnly.steps_per_s),
      // Split by model, as the page does: its training worker alone, and with its helper.
      page_worker_steps_per_s: Math.round(alone),
      page_worker_with_helper_steps_per_s: Math.round(helped),
      model_split_speedup: +(helped / alone).toFixed(2),
    });
  }
  window.__report = report;
}
main().catch((e) => { window.__report = { error: String(e) }; });
