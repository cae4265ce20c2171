// Runs in the page: the same MDN step (full-batch Adam, loss read back every step) in
// this engine and in TF.js 4.22 (wasm and cpu backends), each for a few seconds.
import init, { Trainer } from './dist/mdn-playground.js';
import { timeLoop as time } from './timing.mjs';

const CONFIGS = [
  { name: 'small', n: 1000, hidden: [20], k: 5 },
  { name: 'medium', n: 4096, hidden: [64, 64], k: 10 },
];
const QUERY = new URLSearchParams(location.search);
const SECONDS = Number(QUERY.get('seconds') ?? 3);
// ?profile=small|medium: only this engine on that configuration, for profile.mjs.
const PROFILE = QUERY.get('profile');

function bishop(n) {
  // t ~ U(0,1), x = t + 0.3 sin 2πt + U(-0.1, 0.1); predict t from x.
  const x = new Float32Array(n);
  const t = new Float32Array(n);
  let s = 12345;
  const u = () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32);
  for (let i = 0; i < n; i++) {
    t[i] = u();
    x[i] = t[i] + 0.3 * Math.sin(2 * Math.PI * t[i]) + (u() * 0.2 - 0.1);
  }
  return { x, t };
}

const timeLoop = (step) => time(step, SECONDS).steps_per_s;

function engine(c) {
  const pg = new Trainer(`#data=bishop-inverse&n=${c.n}&k=${c.k}&hidden=${c.hidden.join(',')}&act=tanh&opt=adam&lr=0.01&batch=all&schedule=constant&steps=1000000`);
  pg.set_train_baseline(false);
  let loss = 0;
  const rate = timeLoop(() => { loss = pg.step(1); });
  pg.free();
  return { steps_per_s: rate, last_loss: loss };
}

function tfjs(c) {
  const tf = window.tf;
  const { x, t } = bishop(c.n);
  const X = tf.tensor2d(x, [c.n, 1]);
  const T = tf.tensor2d(t, [c.n, 1]);
  const sizes = [1, ...c.hidden, 3 * c.k];
  const vars = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const lim = Math.sqrt(6 / (sizes[l] + sizes[l + 1]));
    vars.push([tf.variable(tf.randomUniform([sizes[l], sizes[l + 1]], -lim, lim)), tf.variable(tf.zeros([sizes[l + 1]]))]);
  }
  const opt = tf.train.adam(0.01);
  const nll = () => {
    let h = X;
    vars.forEach(([w, b], i) => {
      h = tf.add(tf.matMul(h, w), b);
      if (i + 1 < vars.length) h = tf.tanh(h);
    });
    const logits = h.slice([0, 0], [-1, c.k]);
    const mu = h.slice([0, c.k], [-1, c.k]);
    const s = tf.add(tf.exp(h.slice([0, 2 * c.k], [-1, c.k])), 1e-3);
    const z = tf.div(tf.sub(T, mu), s);
    const lp = tf.sub(tf.sub(tf.sub(tf.logSoftmax(logits), tf.mul(0.5, tf.square(z))), tf.log(s)), 0.5 * Math.log(2 * Math.PI));
    return tf.neg(tf.mean(tf.logSumExp(lp, 1)));
  };
  let loss = 0;
  const rate = timeLoop(() => {
    const l = opt.minimize(nll, true);
    loss = l.dataSync()[0];
    l.dispose();
  });
  vars.flat().forEach((v) => v.dispose());
  X.dispose();
  T.dispose();
  opt.dispose();
  return { steps_per_s: rate, last_loss: loss };
}

async function main() {
  await init();
  if (PROFILE) {
    window.__ready = true;
    await new Promise((resolve) => { window.__go = resolve; });
    window.__report = engine(CONFIGS.find((c) => c.name === PROFILE));
    return;
  }
  const report = { seconds_per_run: SECONDS, results: [] };
  for (const c of CONFIGS) {
    const row = { config: c.name, n: c.n, hidden: c.hidden, k: c.k };
    row.engine = engine(c);
    for (const backend of ['wasm', 'cpu']) {
      await window.tf.setBackend(backend);
      await window.tf.ready();
      row[`tfjs_${backend}`] = tfjs(c);
    }
    row.ratio_vs_tfjs_wasm = row.engine.steps_per_s / row.tfjs_wasm.steps_per_s;
    row.ratio_vs_tfjs_cpu = row.engine.steps_per_s / row.tfjs_cpu.steps_per_s;
    report.results.push(row);
  }
  report.tfjs = window.tf.version.tfjs;
  document.getElementById('out').textContent = JSON.stringify(report, null, 1);
  window.__report = report;
}

main().catch((e) => {
  document.getElementById('out').textContent = 'error: ' + e;
  window.__report = { error: String(e) };
});
