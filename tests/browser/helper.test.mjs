// With three cores or more, a helper worker trains the MSE regressor
// while the training worker trains the MDN (src/train/helper.rs, www/workers/baseline-worker.js). The
// page must give the bits of one worker and of mdn train: after any number of steps, at
// any pause, through a halt, after a model file is loaded, and after the engine traps.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { serve, launch, open, ready } from './harness.mjs';

let server, browser;
before(async () => { server = await serve('/'); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const root = path.resolve(import.meta.dirname, '../..');
/** mdn train's final metrics (it exits with 3 when training halted). */
const cli = (spec) => {
  let out;
  try {
    out = execFileSync('cargo', ['run', '--quiet', '--release', '--bin', 'mdn', '--', 'train', spec, '--every', '1000000'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch (err) {
    if (err.status !== 3) throw err;
    out = err.stdout;
  }
  return JSON.parse(out.trim().split('\n').pop());
};
const helpers = (page) => page.workers().filter((w) => w.url().endsWith('/baseline-worker.js')).length;
const KEYS = ['step', 'train_nll', 'val_nll', 'baseline_train_mse', 'baseline_val_mse', 'baseline_val_nll', 'halted'];
const same = (a, b, what) => { for (const k of KEYS) assert.equal(a[k], b[k], `${what}: ${k} ${a[k]} vs ${b[k]}`); };
/** The training batches' NLL history (its validation readings depend on timing). */
const batches = (csv) => csv.split('\n').filter((l) => l.includes(',mdn_train_batch,')).join('\n');

/** A page pretending to have `cores` cores. With `anyStep`, the helper takes steps of any
 * length (its 50 ms limit measures the machine, which a test must not depend on). */
async function page(hash, cores, { anyStep = true } = {}) {
  const { page, log } = await open(browser, server.url + hash, { cores });
  await ready(page);
  if (anyStep) await page.evaluate(() => window.mdn.helperStepMs(1e9));
  return { page, log };
}

/** Waits until the page has `n` helper workers (workers are listed as they start and end). */
async function helpersAre(page, n) {
  for (let i = 0; i < 600 && helpers(page) !== n; i++) await new Promise((r) => setTimeout(r, 100));
  assert.equal(helpers(page), n, `${n} helper worker(s)`);
}

test('with three cores a helper trains the regressor: the numbers of one worker and of mdn train', { timeout: 180_000 }, async () => {
  const spec = 'data=bishop-inverse&n=600&seed=7&k=4&hidden=12,12&lr=0.02&batch=100&steps=300&noise_y=0.02';
  const one = await page('#' + spec, 2);
  assert.equal(helpers(one.page), 0, 'two cores: one training worker (the page draws on the other)');
  const two = await page('#' + spec, 4);
  assert.equal(helpers(two.page), 0, 'the helper starts with training, not before');
  // In uneven pieces (slices end wherever the helper's pace puts them).
  let m;
  for (const n of [1, 36, 100, 163]) m = await two.page.evaluate((n) => window.mdn.step(n), n);
  await helpersAre(two.page, 1); // four cores: a helper worker
  const m1 = await one.page.evaluate(() => window.mdn.step(300));
  assert.equal(helpers(one.page), 0);
  same(m, m1, 'helper vs one worker');
  // The helper's reports were taken, not thrown away (a replay would give the same bits).
  const run = await two.page.evaluate(() => window.mdn.training());
  assert.equal(await one.page.evaluate(() => window.mdn.training().helper), null);
  assert.ok(run.helper.slices >= 4 && run.helper.replays === 0, JSON.stringify(run));
  same(m, cli(spec), 'helper vs mdn train');
  assert.equal(batches(await two.page.evaluate(() => window.mdn.lossHistory())), batches(await one.page.evaluate(() => window.mdn.lossHistory())));
  for (const p of [one, two]) {
    assert.deepEqual(p.log.errors, []);
    await p.page.close();
  }
});

test('a step left under way by training alone is the first of the helper\'s first slice', { timeout: 180_000 }, async () => {
  // About 6 ms a step here: the first slice (alone, 30 ms) stops in the middle of a
  // step, after its batch was drawn and part of its noise.
  const spec = 'n=3000&k=10&hidden=64,64&batch=1500&noise_y=0.05&steps=100';
  const [one, two] = [await page('#' + spec, 1), await page('#' + spec, 4)];
  const [m1, m2] = [await one.page.evaluate(() => window.mdn.step(40)), await two.page.evaluate(() => window.mdn.step(40))];
  same(m2, m1, 'helper vs one worker');
  const { helper } = await two.page.evaluate(() => window.mdn.training());
  assert.ok(helper?.slices >= 1 && helper.replays === 0, JSON.stringify(helper));
  for (const p of [one, two]) await p.page.close();
});

test('a helper whose engine traps: the training worker goes on alone, with the same numbers', { timeout: 180_000 }, async () => {
  const spec = 'n=800&k=3&hidden=16,16&batch=200&steps=3000';
  const two = await page('#' + spec, 4);
  await two.page.evaluate(() => window.mdn.step(1));
  await two.page.evaluate(() => window.mdn.step(29));
  await helpersAre(two.page, 1);
  // The helper traps on its next order, with that slice under way: the slice is trained
  // again alone, and so is the rest.
  await two.page.evaluate(() => window.mdn.trapForTest({ helper: true }));
  const m = await two.page.evaluate(() => window.mdn.step(2970));
  same(m, cli(spec), 'after the helper trapped vs mdn train');
  await helpersAre(two.page, 0); // the helper is gone
  const { helper } = await two.page.evaluate(() => window.mdn.training());
  assert.equal(helper.replays, 1, `one slice trained again: ${JSON.stringify(helper)}`);
  assert.deepEqual(two.log.errors, []);
  await two.page.close();
});

test('a network whose step takes over 50 ms trains alone, so that a pause lands within a slice', { timeout: 180_000 }, async () => {
  // The real limit: such a step is far over 50 ms on any machine.
  const two = await page('#n=8000&hidden=256,256,256&batch=all&steps=1000', 4, { anyStep: false });
  await two.page.evaluate(() => window.mdn.step(3));
  assert.equal((await two.page.evaluate(() => window.mdn.training())).helper, null);
  assert.equal(helpers(two.page), 0);
  assert.deepEqual(two.log.errors, []);
  await two.page.close();
});

test('a run that blows up halts at the same step with the same message on two workers', { timeout: 180_000 }, async () => {
  // The lab's blow-up preset: the regressor's loss overflows first.
  const spec = 'opt=sgd&lr=1&momentum=0.99&sigma_min=0&n=200&steps=500';
  const two = await page('#' + spec, 4);
  // The first step trains alone (its time decides whether the helper pays), the rest split.
  await two.page.evaluate(() => window.mdn.step(1));
  const m = await two.page.evaluate(() => window.mdn.step(499));
  assert.match(m.halted ?? '', /the MSE regressor's loss was not a finite number; rolled back to step \d+/);
  same(m, cli(spec), 'helper vs mdn train');
  const { helper } = await two.page.evaluate(() => window.mdn.training());
  assert.equal(helper.replays, 1, `the halting slice alone is trained again: ${JSON.stringify(helper)}`);
  assert.deepEqual(two.log.errors, []);
  await two.page.close();
});

test('a pause anywhere, a loaded model and a trapped engine keep the bits of one worker', { timeout: 180_000 }, async () => {
  const spec = 'n=1000&k=3&hidden=16,16&batch=all&steps=100000';
  const two = await page('#' + spec, 4);
  await two.page.click('#play');
  await two.page.waitForFunction(() => Number(/step (\d+)/.exec(document.getElementById('status').textContent)?.[1]) > 10, null, { timeout: 120_000 });
  await two.page.waitForTimeout(Math.random() * 600); // then anywhere
  await two.page.click('#play');
  const paused = await two.page.evaluate(() => window.mdn.metrics());
  assert.ok(paused.step > 10, `paused at step ${paused.step}`);
  const one = await page('#' + spec, 1);
  same(await one.page.evaluate((n) => window.mdn.step(n), paused.step), paused, `paused at step ${paused.step}`);
  // A model file (the CLI's) loaded, then trained further.
  const file = path.join(import.meta.dirname, 'artifacts', 'helper-model.json');
  execFileSync('cargo', ['run', '--quiet', '--release', '--bin', 'mdn', '--', 'train', 'n=500&k=3&hidden=10&steps=200&lr=0.02', '--save', file, '--every', '1000000'], { cwd: root });
  const text = fs.readFileSync(file, 'utf8');
  const loaded = [];
  for (const p of [one, two]) {
    await p.page.evaluate((t) => window.mdn.loadModel(t), text);
    await ready(p.page);
    await p.page.evaluate(() => window.mdn.step(1));
    loaded.push(await p.page.evaluate(() => window.mdn.step(149)));
  }
  same(loaded[1], loaded[0], 'a loaded model trained on');
  // The engine traps in the training worker: the page starts it again, with one helper.
  await two.page.evaluate(() => window.mdn.trapForTest({ worker: true }));
  await ready(two.page);
  await two.page.evaluate(() => window.mdn.step(1));
  const again = await two.page.evaluate(() => window.mdn.step(39));
  await helpersAre(two.page, 1); // one helper after the restart
  assert.ok(Number.isFinite(again.val_nll));
  for (const p of [one, two]) await p.page.close();
});
